// The hot-plug form (prefix h): asks what to plug into the focused guest field by field, proposes the next free
// device, checks each answer the way the server will (planConfig, the file on this host) before anything is sent,
// and shows the reply with the guest's `config DEVICE` re-query.

import fs from 'node:fs';
import path from 'node:path';
import { isUmuxError } from '../core/errors.js';
import { planConfig } from '../protocol/hotplug.js';
import type { RequestResult } from '../client/session.js';
import { errorText } from './status-line.js';

export interface FormDeps {
  ask: (label: string, initial?: string, note?: string) => Promise<string | undefined>;
  confirm: (question: string) => Promise<boolean>;
  request: (argv: string[]) => Promise<RequestResult>;
  show: (text: string) => void;
  flash: (text: string, level?: 'ok' | 'error' | 'info') => void;
  cwd: string;
}

const KINDS: Readonly<Record<string, 'disk' | 'console' | 'serial' | 'memory'>> = { d: 'disk', c: 'console', s: 'serial', m: 'memory' };

/** Asks until the answer passes `check` (which returns the complaint, or undefined); undefined when cancelled. */
async function askValid(deps: FormDeps, label: string, initial: string, check: (v: string) => string | undefined): Promise<string | undefined> {
  let complaint: string | undefined;
  for (;;) {
    const v = await deps.ask(label, initial, complaint);
    if (v === undefined) return undefined;
    const problem = check(v.trim());
    if (problem === undefined) return v.trim();
    complaint = `${problem}: try again, or Esc to cancel`;
    initial = v;
  }
}

/** The complaint planConfig has about `spec`, or undefined when it would be sent. */
export function specProblem(spec: string): string | undefined {
  try {
    planConfig(spec);
    return undefined;
  } catch (err) {
    return isUmuxError(err) ? err.message : String(err);
  }
}

/** A disk image on this host: absolute, existing, a regular file or block device, readable. */
export function imageProblem(file: string): string | undefined {
  if (file === '') return 'expected the disk image file, got nothing';
  try {
    const st = fs.statSync(file);
    if (!st.isFile() && !st.isBlockDevice()) return `expected a disk image file, got ${file}, which is not a file`;
    fs.accessSync(file, fs.constants.R_OK);
    return undefined;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? `expected an existing disk image, got ${file}: no such file` : `cannot read ${file}: ${code}`;
  }
}

/** The first device of `stem` from `from` to `to` whose `config` query says nothing is there. */
async function firstFree(deps: FormDeps, guest: string, names: string[]): Promise<string | undefined> {
  for (const name of names) {
    try {
      const r = await deps.request(['mc', guest, 'config', name]);
      const now = (r.text ?? '').replace(/^OK\s*/, '').trim();
      if (now === '' || now === 'none' || now === 'not configured') return name;
    } catch {
      // an ERR means no such device slot: try the next
    }
  }
  return undefined;
}

export async function hotplugForm(guest: string, deps: FormDeps): Promise<void> {
  const kindKey = await askValid(deps, `hot-plug into ${guest}: d disk, c console, s serial line, m memory? `, '', (v) =>
    KINDS[v.toLowerCase().slice(0, 1)] ? undefined : `expected d, c, s or m, got "${v}"`,
  );
  if (kindKey === undefined) return deps.flash('hot-plug cancelled');
  const kind = KINDS[kindKey.toLowerCase().slice(0, 1)]!;
  let spec: string;
  if (kind === 'memory') {
    const size = await askValid(deps, `memory for ${guest} (+64M plugs, -64M unplugs): `, '+64M', (v) => {
      const m = /^([+-])(.+)$/.exec(v);
      if (!m) return `expected +SIZE or -SIZE such as +64M, got "${v}"`;
      return specProblem(`mem${m[1]}=${m[2]}`);
    });
    if (size === undefined) return deps.flash('hot-plug cancelled');
    spec = `mem${size[0]}=${size.slice(1)}`;
  } else if (kind === 'disk') {
    const free = (await firstFree(deps, guest, [...'bcdefghijklmnop'].map((l) => `ubd${l}`))) ?? 'ubdb';
    const device = await askValid(deps, `${guest}: disk device: `, free, (v) => specProblem(`${v}=/x`));
    if (device === undefined) return deps.flash('hot-plug cancelled');
    const file = await askValid(deps, `${guest}:${device}: image file on this host: `, '', (v) => imageProblem(path.resolve(deps.cwd, v)));
    if (file === undefined) return deps.flash('hot-plug cancelled');
    const ro = await deps.ask(`${guest}:${device}: read-only? [y/N] `, '');
    if (ro === undefined) return deps.flash('hot-plug cancelled');
    spec = `${device}${/^y/i.test(ro) && !device.includes('r') ? 'r' : ''}=${path.resolve(deps.cwd, file)}`;
  } else {
    const stem = kind === 'console' ? 'con' : 'ssl';
    const max = kind === 'console' ? 15 : 63;
    const free = (await firstFree(deps, guest, Array.from({ length: Math.min(max, 8) }, (_, i) => `${stem}${i + 1}`))) ?? `${stem}1`;
    const device = await askValid(deps, `${guest}: ${kind} line: `, free, (v) => specProblem(`${v}=pts`));
    if (device === undefined) return deps.flash('hot-plug cancelled');
    const channel = await askValid(deps, `${guest}:${device}: channel (pts gives a pty umux can attach): `, 'pts', (v) => specProblem(`${device}=${v}`));
    if (channel === undefined) return deps.flash('hot-plug cancelled');
    spec = `${device}=${channel}`;
  }
  const plan = planConfig(spec);
  if (plan.warning && !(await deps.confirm(`${plan.warning}. Plug it in?`))) return deps.flash('not sent');
  try {
    const reply = await deps.request(['config', guest, spec, ...(plan.warning ? ['--yes'] : [])]);
    deps.show(reply.text ?? `${guest}: config ${spec}: OK`);
  } catch (err) {
    deps.flash(errorText(err), 'error');
  }
}
