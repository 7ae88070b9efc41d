// Autostart happens once per host boot, as libvirt's does: a server that starts again on the same boot (after a
// crash, a kill -9, an upgrade) leaves every guest as it is, so a guest the admin stopped or that crashed stays so.

import fs from 'node:fs';
import path from 'node:path';

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
