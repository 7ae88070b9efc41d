// umux's private socket directory (DESIGN.md §1): $UMUX_SOCKET_DIR, else $XDG_RUNTIME_DIR/umux, else
// /tmp/umux-UID. Created 0700; one owned by another user, or open to others, is refused.

import fs from 'node:fs';
import path from 'node:path';
import { UmuxError } from '../core/errors.js';
import { socketDirOf } from '../protocol/locations.js';

export function defaultSocketDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(socketDirOf(env, process.getuid?.() ?? 0));
}

/** Makes sure `dir` exists, is ours and is 0700; returns it. */
export function ensurePrivateDir(dir: string): string {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new UmuxError('io', `cannot create socket directory ${dir}: ${(err as NodeJS.ErrnoException).code}`, {
      cause: err,
      hint: 'set UMUX_SOCKET_DIR to a directory you own',
    });
  }
  const st = fs.lstatSync(dir);
  const uid = process.getuid?.() ?? 0;
  if (!st.isDirectory()) {
    throw new UmuxError('permission', `socket directory ${dir} is not a directory`, {
      hint: 'remove it, or set UMUX_SOCKET_DIR to a directory you own',
    });
  }
  if (st.uid !== uid) {
    throw new UmuxError('permission', `socket directory ${dir} belongs to uid ${st.uid}, not to you (uid ${uid})`, {
      hint: 'someone else created it: remove it, or set UMUX_SOCKET_DIR to a directory you own',
    });
  }
  if ((st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
  return dir;
}
