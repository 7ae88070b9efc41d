// Autostart happens once per host boot, as libvirt's does: a server that starts again on the same boot (after a
// crash, a kill -9, an upgrade) leaves every guest as it is, so a guest the admin stopped or that crashed stays so.
// The order follows seed 001: nothing when the no-start file says so, a pause (and a random extra) between guests.

import fs from 'node:fs';
import path from 'node:path';
import { loadServerSettings, readNoStart } from '../config/server-settings.js';
import type { GuestRegistry } from './registry.js';

export const BOOT_ID_FILE = '/proc/sys/kernel/random/boot_id';
/** STATE_DIR/autostart.boot: the boot id of the last boot on which autostart ran. */
export const AUTOSTART_MARK = 'autostart.boot';

function bootId(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'latin1').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** True when autostart has not run yet on this host boot (or the boot cannot be told: then it always runs). */
export function autostartDue(stateDir: string, bootIdFile = BOOT_ID_FILE): boolean {
  const now = bootId(bootIdFile);
  if (now === undefined) return true;
  try {
    return fs.readFileSync(path.join(stateDir, AUTOSTART_MARK), 'latin1').trim() !== now;
  } catch {
    return true;
  }
}

/** Records that autostart ran on this boot. */
export function markAutostarted(stateDir: string, bootIdFile = BOOT_ID_FILE): void {
  const now = bootId(bootIdFile);
  if (now === undefined) return;
  const file = path.join(stateDir, AUTOSTART_MARK);
  const tmp = `${file}.${process.pid}`;
  fs.writeFileSync(tmp, `${now}\n`, { mode: 0o600, flag: 'w' });
  fs.renameSync(tmp, file);
}

export interface AutostartRun {
  registry: GuestRegistry;
  stateDir: string;
  env: NodeJS.ProcessEnv;
  log(line: string): void;
  /** Between two guests: the server's option or UMUX_AUTOSTART_DELAY_MS, else server.toml's autostart_delay_ms. */
  delayMs: number | undefined;
  stopping(): boolean;
}

/** Starts the definitions marked autostart, one after another, unless the no-start file holds them back. */
export async function autostartGuests(a: AutostartRun): Promise<void> {
  let delayMs = a.delayMs ?? 1000;
  let jitterMs = 0;
  try {
    const s = loadServerSettings(a.env);
    delayMs = a.delayMs ?? s.autostartDelayMs;
    jitterMs = s.autostartJitterMs;
  } catch (err) {
    a.log(`server settings: ${(err as Error).message}; autostart uses the defaults`);
  }
  const nostart = readNoStart(a.env);
  if (nostart?.all) {
    a.log(`autostart held back: ${nostart.file} is there (empty or "*"); remove it, then umux start the guests (or restart the server)`);
    return;
  }
  const due = a.registry.managedGuests().filter((x) => x.def.autostart && x.state === 'stopped');
  let first = true;
  for (const g of due) {
    if (nostart?.names.has(g.name)) {
      g.event(`not autostarted: ${nostart.file} names it`);
      continue;
    }
    const wait = (first ? 0 : delayMs) + Math.floor(Math.random() * jitterMs);
    first = false;
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (a.stopping()) return;
    await g.start('autostart').catch((err: Error) => a.log(`${g.name}: autostart failed: ${err.message}`));
  }
  try {
    if (!a.stopping()) markAutostarted(a.stateDir);
  } catch (err) {
    a.log(`cannot record that autostart ran (the next server on this boot autostarts again): ${(err as Error).message}`);
  }
}
