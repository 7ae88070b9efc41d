// A directory only its owner may use (the server's socket directory, DESIGN.md §1): checked by the server and by
// every client before use, as tmux checks its socket directory. A link, another user's directory, or one others may
// write into is refused: whoever planted it could be listening on server.sock or have linked files inside.

import fs from 'node:fs';
import { UmuxError } from '../core/errors.js';
import { makeDirs } from './make-dirs.js';

export interface DirFacts {
  isDirectory: boolean;
  isSymbolicLink: boolean;
  uid: number;
  mode: number;
}

/** Why `dir` (described by `st`, from lstat) cannot be trusted by user `uid`, or undefined when it can. */
export function privateDirProblem(dir: string, st: DirFacts, uid: number): UmuxError | undefined {
  const fix = 'remove it if you did not make it, or set UMUX_SOCKET_DIR to a directory of your own';
  if (st.isSymbolicLink) return new UmuxError('permission', `socket directory ${dir} is a symbolic link, not a directory`, { hint: fix });
  if (!st.isDirectory) return new UmuxError('permission', `socket directory ${dir} is not a directory`, { hint: fix });
  if (st.uid !== uid) {
    return new UmuxError('permission', `socket directory ${dir} belongs to uid ${st.uid}, not to you (uid ${uid}): someone else made it`, { hint: fix });
  }
  if ((st.mode & 0o022) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    return new UmuxError('permission', `socket directory ${dir} is writable by others (mode ${mode}): anyone could have put a socket there`, {
      hint: `check what is in it, then chmod 700 ${dir} (or remove it)`,
    });
  }
  return undefined;
}

function facts(st: fs.Stats): DirFacts {
  return { isDirectory: st.isDirectory(), isSymbolicLink: st.isSymbolicLink(), uid: st.uid, mode: st.mode };
}

function myUid(): number {
  return process.getuid?.() ?? 0;
}

/** Throws unless `dir` is a private directory of ours; returns false when it does not exist yet. */
export function checkPrivateDir(dir: string): boolean {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new UmuxError('io', `cannot look at socket directory ${dir}: ${(err as NodeJS.ErrnoException).code}`, { hint: 'set UMUX_SOCKET_DIR to a directory you own' });
  }
  const problem = privateDirProblem(dir, facts(st), myUid());
  if (problem) throw problem;
  return true;
}

/** Makes sure `dir` exists, is ours, is no link and is 0700 (tightened when only readable by others); returns it. */
export function ensurePrivateDir(dir: string): string {
  if (!checkPrivateDir(dir)) {
    makeDirs(dir, 'socket directory', 0o700);
    checkPrivateDir(dir);
  }
  const st = fs.lstatSync(dir);
  if ((st.mode & 0o077) !== 0) fs.chmodSync(dir, 0o700);
  return dir;
}
