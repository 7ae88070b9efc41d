// The server's start lock: a file linked into place (atomically, with its content) holding the owner's pid.
// Two clients that start a server at once start two processes; only the lock holder binds the socket.

import fs from 'node:fs';
import type { Disposable } from '../core/disposable.js';
import { processExists } from '../guests/process-group.js';

/** Takes the lock, or returns the pid of the live process holding it. A lock left by a dead process is taken over. */
export function acquireLock(file: string): Disposable | { heldBy: number } {
  for (let attempt = 0; attempt < 3; attempt++) {
    // Write the pid to a private file, then link it into place: the lock appears with its content, atomically,
    // so nobody ever reads an empty lock and takes it for a stale one.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, `${process.pid}\n`, { mode: 0o600 });
    try {
      fs.linkSync(tmp, file);
      fs.unlinkSync(tmp);
      return {
        dispose() {
          try {
            if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
          } catch {
            // already gone
          }
        },
      };
    } catch (err) {
      fs.unlinkSync(tmp);
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder = NaN;
    try {
      holder = Number(fs.readFileSync(file, 'utf8').trim());
    } catch {
      continue; // removed between our open and read: try again
    }
    if (Number.isInteger(holder) && holder > 0 && processExists(holder)) return { heldBy: holder };
    try {
      fs.unlinkSync(file); // stale: its owner is dead
    } catch {
      // someone else removed it first
    }
  }
  return { heldBy: -1 };
}
