// A host pseudo-terminal pair from node-pty's native openpty, for a guest console with a real window size: the slave
// becomes the guest's fd (con0=fd:0,fd:1), the master stays with umux; a resize on the master reaches the guest as
// SIGWINCH through UML's winch thread. node-pty's public API only spawns a process on a pty, with no extra fds.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import { UmuxError } from '../core/errors.js';

export interface PtyPair {
  /** umux's end: read the guest's output, write its input, set the window size. */
  master: number;
  /** The guest's end, handed to the child as a stdio fd and closed here after the spawn. */
  slave: number;
  /** /dev/pts/N of the slave. */
  path: string;
}

interface NativePty {
  open(cols: number, rows: number): { master: number; slave: number; pty: string };
  resize(fd: number, cols: number, rows: number): void;
}

let native: NativePty | undefined;

function nativePty(): NativePty {
  if (!native) {
    const require = createRequire(import.meta.url);
    try {
      // The same loader node-pty's own UnixTerminal.open uses (that one also starts reading the slave: not wanted).
      native = (require('node-pty/lib/utils.js') as { loadNativeModule(name: string): { module: NativePty } }).loadNativeModule('pty').module;
    } catch (err) {
      throw new UmuxError('io', `node-pty's native module cannot be loaded: ${(err as Error).message.split('\n')[0]}`, {
        hint: 'reinstall umux (npm ci builds node-pty), or use console_transport = "socketpair"',
      });
    }
  }
  return native;
}

/** Opens a pty pair of the given size; throws a one-line error when the host has no ptys left. */
export function openPtyPair(cols: number, rows: number): PtyPair {
  try {
    const p = nativePty().open(cols, rows);
    return { master: p.master, slave: p.slave, path: p.pty };
  } catch (err) {
    if (err instanceof UmuxError) throw err;
    throw new UmuxError('io', `cannot open a pseudo-terminal: ${(err as Error).message}`, { hint: 'check /dev/ptmx and the pty limit (sysctl kernel.pty.max)' });
  }
}

/** Sets the window size of a pty through its master (TIOCSWINSZ); the slave's process group gets SIGWINCH. */
export function resizePty(master: number, cols: number, rows: number): void {
  nativePty().resize(master, Math.max(1, Math.floor(cols)), Math.max(1, Math.floor(rows)));
}

/** Closes both ends (a launch that failed before the spawn). */
export function closePtyPair(p: PtyPair): void {
  for (const fd of [p.master, p.slave]) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
  }
}
