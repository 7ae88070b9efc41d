// Finding the console keeper of a socket directory by its process title (`umux-keeper DIR`, set by keeper/main.ts):
// for the demo's cleanup and for tests. Only a live process of this user counts.

import fs from 'node:fs';

/** The pid of the keeper serving `socketDir`, if one runs as this user. */
export function findKeeperPid(socketDir: string): number | undefined {
  const title = `umux-keeper ${socketDir}`;
  const me = process.getuid?.() ?? 0;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/cmdline`, 'latin1').replace(/\0+$/, '') !== title) continue;
      const status = fs.readFileSync(`/proc/${name}/status`, 'latin1');
      const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
      const zombie = /^State:\s+Z/m.test(status);
      if (uid === me && !zombie) return Number(name);
    } catch {
      continue; // gone meanwhile
    }
  }
  return undefined;
}
