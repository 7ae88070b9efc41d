// Recovery, control and hot-plug on any guest, managed or adopted: MConsole verbs (cad, halt, reboot, sysrq,
// stop/go as pause/go), signals (kill, kill --hard), checked hot-plug with a re-query, online backup, stale cleanup.
// One file on purpose (over 400 lines): what the command files (commands/cmd-*.ts) reach through ServeScope for
// these, each a few lines over the shared send/requireLive/explainRefusal helpers; backup (a third of it) would be
// the piece to move out next.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { MconsoleError, UmuxError } from '../core/errors.js';
import { groupMembers, processExists, waitGroupGone } from '../guests/process-group.js';
import { killGuestGroup } from '../guests/winch-helpers.js';
import { requireGuestPid } from '../guests/uml-process.js';
import { procInfo } from '../guests/proc-info.js';
import type { MconsoleClient } from '../mconsole/client.js';
import { busyRule, memRequest, planConfig, planRemove, type HotplugFile } from '../protocol/hotplug.js';
import { parseMeminfo } from '../protocol/mconsole-replies.js';
import { formatBytes, parseMemSize } from '../protocol/host-types.js';
import { ENDS_GUEST, SYSRQ_LETTERS } from '../protocol/mconsole-verbs.js';
import type { AdoptedGuest } from './adopted-guest.js';
import { describeLeftovers, killLeftovers, leftoverPortHelpers } from '../guests/port-helpers.js';
import { startCommand, type Guest } from './guest.js';
import type { ManagedGuest } from './managed-guest.js';
import { makeDirs } from '../files/make-dirs.js';
import { PROGRESS_MIN_MS, type ProgressWire } from '../protocol/progress.js';

const VERB_TIMEOUT_MS = 5000;

export interface ControlResult {
  data: unknown;
  text: string;
}

function requireLive(g: Guest): number {
  if (g.pid === null || !processExists(g.pid)) {
    throw new UmuxError('not-running', `${g.name} is ${g.state}: no process to talk to`, { hint: startCommand(g) });
  }
  return g.pid;
}

async function send(mc: MconsoleClient, g: Guest, command: string, timeoutMs = VERB_TIMEOUT_MS): Promise<string> {
  requireLive(g);
  const reply = await mc.callOk(g.socket, command, { name: g.umid, timeoutMs });
  return reply.text;
}

/** Failures of a request that a guest dying while it answers causes. */
const CUT_SHORT = new Set(['incomplete-reply', 'timeout']);

async function pidGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processExists(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

/**
 * Sends a request that may end the guest (ENDS_GUEST): a reply cut short because the guest died doing what was
 * asked is that outcome, said as `ended`; any other failure, or a guest still there after 5 s, is the error it was.
 */
async function sendEnding(mc: MconsoleClient, g: Guest, command: string): Promise<{ text: string; ended?: string }> {
  const pid = requireLive(g);
  try {
    return { text: await send(mc, g, command) };
  } catch (err) {
    const outcome = ENDS_GUEST[command];
    if (outcome === undefined || !(err instanceof MconsoleError) || !CUT_SHORT.has(err.code) || !(await pidGone(pid, 5000))) throw err;
    g.event(`${command}: the reply was cut short (${err.message}) and pid ${pid} is gone`);
    return { text: '', ended: `the guest ${outcome} as asked (pid ${pid} is gone; its reply was cut short)` };
  }
}

/** cad, halt, reboot, pause (MConsole stop), go, sysrq LETTER. */
export async function guestVerb(mc: MconsoleClient, g: Guest, verb: 'cad' | 'halt' | 'reboot' | 'pause' | 'go' | 'sysrq', letter?: string): Promise<ControlResult> {
  if (verb === 'sysrq') {
    if (letter === undefined || !(letter in SYSRQ_LETTERS)) {
      throw new UmuxError('usage', `sysrq: expected one of ${Object.keys(SYSRQ_LETTERS).join(' ')}, got "${letter ?? ''}"`, { hint: 'umux help sysrq describes each letter' });
    }
    const { text, ended } = await sendEnding(mc, g, `sysrq ${letter}`);
    if (ended !== undefined) {
      g.event(`sysrq ${letter} (${SYSRQ_LETTERS[letter]}): ${ended}`);
      return { data: { reply: text, ended }, text: `${g.name}: sysrq ${letter}: ${ended}` };
    }
    const lines = text.split('\n');
    // The event log keeps one line: the first of the reply (sysrq m answers with pages).
    g.event(`sysrq ${letter} (${SYSRQ_LETTERS[letter]}): ${lines[0] || 'OK'}${lines.length > 1 ? ` (+${lines.length - 1} lines)` : ''}`);
    return { data: { reply: text }, text: text ? `OK ${text}` : 'OK' };
  }
  if (verb === 'pause') {
    if (g.paused) throw new UmuxError('usage', `${g.name} is already paused`, { hint: `umux go ${g.name}` });
    const text = await send(mc, g, 'stop');
    g.paused = true;
    g.setState('paused', 'MConsole stop (umux pause): umux go resumes it');
    return { data: { reply: text }, text: `${g.name}: paused` };
  }
  if (verb === 'go') {
    const text = await send(mc, g, 'go');
    g.paused = false;
    g.setState('running', 'MConsole go (umux go)');
    return { data: { reply: text }, text: `${g.name}: running` };
  }
  g.event(`${verb} requested`);
  const { text, ended } = await sendEnding(mc, g, verb);
  g.event(`${verb}: ${ended ?? (text || 'OK')}`);
  if (ended !== undefined) return { data: { reply: text, ended }, text: `${g.name}: ${verb}: ${ended}` };
  return { data: { reply: text }, text: `${g.name}: ${verb} sent${text ? ` (${text})` : ''}` };
}

/** SIGTERM to the main pid (UML's own quick shutdown), or SIGKILL to the whole process group. */
export async function killGuest(g: Guest, hard: boolean, waitMs = 10_000): Promise<ControlResult> {
  const pid = requireLive(g);
  requireGuestPid({ umid: g.umid, socket: g.socket, pid, ownerUid: g.ownerUid });
  g.event(hard ? `kill --hard: SIGKILL to process group ${pid}` : `kill: SIGTERM to pid ${pid}`);
  try {
    // The group and UML's winch helpers, which sit in sessions of their own (a guest on a pty that is not its own terminal).
    if (hard) killGuestGroup(pid);
    else process.kill(pid, 'SIGTERM');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UmuxError(code === 'EPERM' ? 'permission' : 'io', `cannot signal ${g.name} (pid ${pid}): ${code}`, { hint: 'run umux as the guest\'s owner or root' });
  }
  const gone = await waitGroupGone(pid, waitMs);
  const text = gone ? `${g.name}: pid ${pid} and its helpers are gone` : `${g.name}: pid ${pid} still has processes after ${waitMs} ms`;
  g.event(text);
  return { data: { gone }, text: gone ? text : `${text}; umux kill --hard ${g.name}` };
}

function checkFile(f: HotplugFile, readOnly: boolean): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(f.path);
  } catch (err) {
    if (f.mayCreate && (err as NodeJS.ErrnoException).code === 'ENOENT') {
      if (!fs.existsSync(path.dirname(f.path))) throw new UmuxError('usage', `hot-plug: the directory of COW file ${f.path} does not exist`, { hint: 'create it first' });
      return; // UML creates the COW file
    }
    const what = f.role === 'socket' ? "control socket (uml_switch's)" : `${f.role} file`;
    throw new UmuxError('usage', `hot-plug: expected an existing ${what}, got ${f.path} (${(err as NodeJS.ErrnoException).code})`, {
      hint: f.role === 'image' ? `create a sparse one: truncate -s 1G ${f.path}` : f.role === 'socket' ? `start the switch first: uml_switch -unix ${f.path}` : 'check the path',
    });
  }
  if (f.role === 'socket') {
    if (!st.isSocket()) throw new UmuxError('usage', `hot-plug: expected a unix socket (uml_switch's control socket), got ${f.path} (not a socket)`, { hint: 'give the path uml_switch listens on' });
    return;
  }
  if (f.role === 'tty') {
    if (!st.isCharacterDevice()) throw new UmuxError('usage', `hot-plug: expected a terminal device, got ${f.path} (not a character device)`);
    return;
  }
  if (!st.isFile() && !st.isBlockDevice()) throw new UmuxError('usage', `hot-plug: expected a regular file or block device, got ${f.path}`, { hint: 'UML needs a seekable file' });
  try {
    fs.accessSync(f.path, readOnly || f.role === 'backing' ? fs.constants.R_OK : fs.constants.R_OK | fs.constants.W_OK);
  } catch {
    throw new UmuxError('permission', `hot-plug: ${f.path} is not ${readOnly || f.role === 'backing' ? 'readable' : 'readable and writable'} here`, { hint: 'fix its mode, or add the r flag for read-only' });
  }
}

function explainRefusal(err: unknown, kind: Parameters<typeof busyRule>[0], device: string): never {
  if (err instanceof MconsoleError && err.code === 'guest-error') {
    // "Device is already configured" is a slot taken, not a busy device: no unmounting helps, another slot does.
    if (/already configured/i.test(err.message)) {
      throw new UmuxError('guest-error', err.message, { hint: `${device} is in use already: umux config with the next free ${device.replace(/\d+$|[a-z]$/, '')} device, or umux remove NAME ${device} first` });
    }
    const busy = /busy|already open|in use/i.test(err.message);
    throw new UmuxError('guest-error', err.message, { hint: busy ? busyRule(kind, device) : `${busyRule(kind, device)}; the guest's console may say more` });
  }
  throw err;
}

/** Re-asks the guest for a device's config; eth has no query in UML 6.1 ("No get_config routine defined"). */
async function requery(mc: MconsoleClient, g: Guest, device: string): Promise<string> {
  const reply = await mc.call(g.socket, `config ${device}`, { name: g.umid, timeoutMs: VERB_TIMEOUT_MS });
  if (reply.ok) return reply.text;
  return `(not queryable: ${reply.text}${device.startsWith('eth') ? '; check with ip link in the guest' : ''})`;
}

async function guestMemory(mc: MconsoleClient, g: Guest): Promise<{ total: number; available: number }> {
  const m = parseMeminfo(await send(mc, g, 'proc meminfo'));
  return { total: m['MemTotal']!, available: m['MemAvailable'] ?? m['MemFree'] ?? 0 };
}

/** The mem= the guest booted with, in bytes; refused when umux does not know it (an adopted guest without mem=). */
function bootMemory(g: Guest): number {
  try {
    return parseMemSize(g.mem);
  } catch {
    throw new UmuxError('usage', `hot-plug: ${g.name} booted with mem=${g.mem}, which umux cannot read: it cannot tell how much memory the guest may have`, {
      hint: 'UML 6.1 takes relative changes: umux mc NAME config mem=-SIZE (or mem=+SIZE)',
    });
  }
}

/** mem hot-plug: relative request from the guest's own meminfo, verified by how much MemAvailable moved. */
async function hotplugMem(mc: MconsoleClient, g: Guest, op: NonNullable<ReturnType<typeof planConfig>['memOp']>): Promise<ControlResult> {
  const boot = bootMemory(g);
  const before = await guestMemory(mc, g);
  const { request, delta } = memRequest(op, { boot, available: before.available, unplugged: g.memUnplugged });
  if (request === '') return { data: { request, delta: 0 }, text: `${g.name}: memory is already ${formatBytes(boot - g.memUnplugged)}; nothing sent` };
  try {
    await send(mc, g, request);
  } catch (err) {
    g.event(`${request} refused: ${(err as Error).message}`);
    explainRefusal(err, 'mem', 'mem');
  }
  g.memUnplugged -= delta;
  const after = await guestMemory(mc, g);
  const moved = after.available - before.available;
  // Other activity in the guest moves MemAvailable too: count it verified within a quarter of the change.
  const verified = Math.abs(moved - delta) <= Math.max(4 * 2 ** 20, Math.abs(delta) / 4);
  const sign = (n: number) => `${n < 0 ? '-' : '+'}${formatBytes(Math.abs(n))}`;
  const line = `MemAvailable ${formatBytes(before.available)} -> ${formatBytes(after.available)} (${sign(moved)}, asked ${sign(delta)})`;
  g.event(`hot-plug ${request}: ${line}`);
  return {
    data: { request, delta, before, after, verified },
    text: `${g.name}: ${request}: OK\n${line}${verified ? '' : '\nwarning: the guest did not move by what was asked (plugging back more than was unplugged does nothing)'}`,
  };
}

/** Hot-plug: checks the request and its host files, sends it, and asks `config DEVICE` again to show what took. */
export async function hotplug(mc: MconsoleClient, g: Guest, spec: string): Promise<ControlResult> {
  requireLive(g);
  const plan = planConfig(spec);
  if (plan.memOp) return hotplugMem(mc, g, plan.memOp);
  const readOnly = /^ubd([a-z]|\d+)[sdc]*r/.test(spec);
  for (const f of plan.files) checkFile(f, readOnly);
  try {
    await send(mc, g, plan.request);
  } catch (err) {
    g.event(`${plan.request} refused: ${(err as Error).message}`);
    explainRefusal(err, plan.kind, plan.device);
  }
  const now = await requery(mc, g, plan.device);
  g.event(`hot-plug ${plan.request}: config ${plan.device} now says "${now}"`);
  const verified = plan.kind === 'ubd' ? now.split(',')[0] === plan.files[0]!.path : plan.kind === 'eth' ? true : now !== '' && now !== 'none';
  if (plan.kind === 'con' || plan.kind === 'ssl') g.consoleAdded(plan.device);
  const text = `${g.name}: ${plan.request}: OK\nconfig ${plan.device} now: ${now || '(empty)'}${verified ? '' : `\nwarning: the guest reports "${now}", not what was asked`}`;
  return { data: { request: plan.request, device: plan.device, now, verified }, text };
}

export async function unplug(mc: MconsoleClient, g: Guest, device: string): Promise<ControlResult> {
  requireLive(g);
  const plan = planRemove(device);
  if (plan.kind === 'ubd') {
    // UML 6.1 aborts on `remove` of a disk whose file is missing (uml-host-findings §9): refuse that one.
    const file = (await send(mc, g, `config ${device}`)).split(',')[0]!;
    if (file === '') throw new UmuxError('usage', `${g.name} has no ${device}`, { hint: `umux config ${g.name} ${device}=/abs/file.img plugs one in` });
    if (!fs.existsSync(path.isAbsolute(file) ? file : '/nonexistent')) {
      throw new UmuxError('refused-verb', `${device} of ${g.name} names "${file}", which does not exist on the host: UML 6.1 aborts the guest on remove of such a disk`, {
        hint: 'leave it configured; it is harmless',
      });
    }
  }
  try {
    await send(mc, g, plan.request);
  } catch (err) {
    g.event(`${plan.request} refused: ${(err as Error).message}`);
    explainRefusal(err, plan.kind, device);
  }
  const now = await requery(mc, g, device);
  g.event(`${plan.request}: config ${device} now says "${now}"`);
  return { data: { device, now }, text: `${g.name}: removed ${device}; config ${device} now: ${now || '(empty)'}` };
}

function copySparse(from: string, to: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('cp', ['--sparse=always', '--preserve=timestamps,mode', from, to], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(signal ? `cp killed after ${timeoutMs} ms` : err.trim() || `cp exit ${code}`));
    });
  });
}

/** Reports a backup's bytes copied, at most every PROGRESS_MIN_MS (and once at the start and the end). */
class BackupProgress {
  private readonly started = Date.now();
  private pausedAt: number | undefined;
  private lastSent = -Infinity;
  /** Bytes of the disks copied completely. */
  private finished = 0;

  constructor(
    private readonly total: number,
    private readonly send: ((p: ProgressWire) => void) | undefined,
  ) {}

  paused(): void {
    this.pausedAt = Date.now();
  }

  /** A disk of `size` bytes is copied. */
  copied(size: number): void {
    this.finished += size;
  }

  /**
   * `current`: bytes of the disk being copied so far. `when`: 'tick' (the PROGRESS_MIN_MS timer: its cadence is the
   * bound), 'start' of a disk (dropped within PROGRESS_MIN_MS of the last message), 'end' (always sent, once).
   */
  report(what: string, current: number, when: 'tick' | 'start' | 'end'): void {
    const now = Date.now();
    if (!this.send || (when === 'start' && now - this.lastSent < PROGRESS_MIN_MS)) return;
    this.lastSent = now;
    const done = Math.min(this.total, this.finished + current);
    const seconds = (now - this.started) / 1000;
    this.send({ what, done, total: this.total, rateBps: seconds > 0 ? done / seconds : 0, ...(this.pausedAt === undefined ? {} : { pausedMs: now - this.pausedAt }) });
  }
}

/** The size the copy at `file` has reached (cp writes in order, seeking over holes): 0 until it exists. */
function sizeSoFar(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

export interface BackupOptions {
  /** Hears the bytes copied while the guest is paused (the server sends it to the client as progress). */
  progress?: (p: ProgressWire) => void;
  copyTimeoutMs?: number;
}

/** Online backup (seed 004 ch. 8): stop, sysrq s, sparse copy of each disk (the COW file of a pair), go — always go. */
export async function backupGuest(mc: MconsoleClient, g: Guest, dir: string, opts: BackupOptions = {}): Promise<ControlResult> {
  const copyTimeoutMs = opts.copyTimeoutMs ?? 10 * 60_000;
  requireLive(g);
  const disks: Array<{ device: string; file: string; size: number }> = [];
  for (let i = 0; i < 16; i++) {
    const device = `ubd${String.fromCharCode(97 + i)}`;
    const reply = await mc.call(g.socket, `config ${device}`, { name: g.umid, timeoutMs: VERB_TIMEOUT_MS });
    const file = reply.ok ? reply.text.split(',')[0]!.trim() : '';
    if (file !== '' && path.isAbsolute(file) && fs.existsSync(file)) disks.push({ device, file, size: fs.statSync(file).size });
  }
  if (disks.length === 0) throw new UmuxError('usage', `${g.name} has no disk files to back up`, { hint: 'a hostfs root lives on the host already: back up that directory' });
  makeDirs(dir, 'backup directory');
  g.event(`backup: pausing for a copy of ${disks.map((d) => `${d.device} (${d.file})`).join(', ')} into ${dir}`);
  const progress = new BackupProgress(
    disks.reduce((n, d) => n + d.size, 0),
    opts.progress,
  );
  const copies: Array<{ device: string; from: string; to: string; ok: boolean; error?: string }> = [];
  await send(mc, g, 'stop');
  progress.paused();
  const wasPaused = g.paused;
  g.paused = true;
  try {
    await send(mc, g, 'sysrq s').catch((err: Error) => g.event(`backup: sysrq s failed: ${err.message}`));
    for (const d of disks) {
      const to = path.join(dir, `${d.device}-${path.basename(d.file)}`);
      const what = `backup ${d.device}`;
      progress.report(what, 0, 'start');
      const timer = setInterval(() => progress.report(what, sizeSoFar(to), 'tick'), PROGRESS_MIN_MS);
      try {
        await copySparse(d.file, to, copyTimeoutMs);
        copies.push({ device: d.device, from: d.file, to, ok: true });
      } catch (err) {
        copies.push({ device: d.device, from: d.file, to, ok: false, error: (err as Error).message });
      } finally {
        clearInterval(timer);
      }
      progress.copied(d.size);
    }
    progress.report(`backup of ${g.name}`, 0, 'end');
  } finally {
    // go is sent whatever happened to the copies: a backup must never leave the guest frozen.
    try {
      await send(mc, g, 'go');
      g.paused = wasPaused;
    } catch (err) {
      g.event(`backup: go failed: ${(err as Error).message}; the guest may still be paused: umux go ${g.name}`);
    }
  }
  for (const c of copies) g.event(`backup: ${c.device} ${c.from} -> ${c.to}: ${c.ok ? 'copied' : `FAILED (${c.error})`}`);
  const failed = copies.filter((c) => !c.ok);
  const text = [`${g.name}: backup into ${dir}`, ...copies.map((c) => `  ${c.device}: ${c.from} -> ${c.to}${c.ok ? '' : `  FAILED: ${c.error}`}`)].join('\n');
  if (failed.length > 0) throw new UmuxError('io', `${text.replace(/\n/g, '; ')}`, { hint: 'the guest was resumed (go); fix the target and run backup again' });
  return { data: { dir, copies }, text };
}

async function waitPidsGone(pids: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some((p) => processExists(p)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

/** The names in a umid directory; undefined when it is already gone (removed by hand, or by the guest at exit). */
function umidDirEntries(dir: string): string[] | undefined {
  try {
    return fs.readdirSync(dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    throw new UmuxError(code === 'EACCES' || code === 'EPERM' ? 'permission' : 'io', `cannot read ${dir}: ${code ?? (err as Error).message}`, { hint: 'look at it by hand' });
  }
}

/** Removes the umid directory a dead guest left: only when its pid is gone and the socket refuses. */
export async function cleanStale(mc: MconsoleClient, guest: Guest): Promise<ControlResult> {
  if (guest.managed) return cleanManaged(guest.managed);
  return cleanAdopted(mc, guest.adopted!); // not managed: adopted, the only other kind
}

/** `clean` of an adopted guest: its umid directory, the helpers and port-helpers its dead process left. */
async function cleanAdopted(mc: MconsoleClient, g: AdoptedGuest): Promise<ControlResult> {
  if (g.pid !== null && processExists(g.pid)) throw new UmuxError('busy', `${g.name} is running (pid ${g.pid}): nothing stale to clean`);
  const answer = await mc.call(g.socket, 'version', { name: g.umid, timeoutMs: 1000 }).then(
    () => true,
    () => false,
  );
  if (answer) throw new UmuxError('busy', `${g.name}'s socket still answers: a guest is using ${g.dir}`, { hint: 'umux ls shows it once it is adopted again' });
  const entries = umidDirEntries(g.dir);
  const extra = (entries ?? []).filter((f) => f !== 'mconsole' && f !== 'pid');
  if (extra.length > 0) throw new UmuxError('usage', `${g.dir} holds more than a umid directory should (${extra.join(', ')})`, { hint: 'remove it by hand after a look' });
  // A SIGKILLed main pid leaves helper processes that keep the memory file allocated (uml-host-findings §8).
  // Only the guest's own user's processes: a pid file is no proof, and a group leader's pid can be reused.
  const helpers = g.lastPid === undefined ? [] : groupMembers(g.lastPid).filter((p) => procInfo(p)?.uid === g.ownerUid);
  for (const p of helpers) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  if (helpers.length > 0) await waitPidsGone(helpers, 5000);
  // Its port lines' port-helpers sit in sessions of their own, holding the listener: the next boot could not bind.
  const portLeft = leftoverPortHelpers(g.portsOnCommandLine(), g.ownerUid, g.umid);
  await killLeftovers(portLeft);
  const killed = (helpers.length > 0 ? `; killed ${helpers.length} leftover helper process(es) ${helpers.join(' ')} that held its memory file` : '') +
    (portLeft.length > 0 ? `; ended ${describeLeftovers(portLeft)}, which kept its port bound` : '');
  if (entries === undefined) {
    g.event(`clean: ${g.dir} is already gone${killed}`);
    return { data: { removed: null, helpers }, text: `${g.name}: ${g.dir} is already gone: nothing to remove${killed}` };
  }
  for (const f of ['mconsole', 'pid']) fs.rmSync(path.join(g.dir, f), { force: true });
  fs.rmdirSync(g.dir);
  g.event(`cleaned stale directory ${g.dir}${killed}`);
  return { data: { removed: g.dir, helpers, portHelpers: portLeft.map((l) => l.pid) }, text: `${g.name}: removed stale ${g.dir}${killed}` };
}

/** `clean` of a managed guest that is not running: what a dead run left holding its ports (its directory is cleared at start). */
async function cleanManaged(g: ManagedGuest): Promise<ControlResult> {
  if (g.pid !== null && processExists(g.pid)) throw new UmuxError('busy', `${g.name} is running (pid ${g.pid}): nothing stale to clean`);
  if (g.def.ports.length === 0) throw new UmuxError('usage', `${g.name} is managed by umux: its directory is cleaned when it starts again`);
  const ended = await g.freePorts();
  const text = ended.length > 0 ? `${g.name}: ended ${ended.join(', ')}, left holding its ports` : `${g.name}: nothing holds its ports (${g.def.ports.map((p) => p.port).join(', ')})`;
  return { data: { removed: null, helpers: [], portHelpers: ended }, text };
}
