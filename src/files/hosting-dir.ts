// The hosting directory of a shared umux server (issue 17, default /run/umux): root's (or the server user's), no link,
// nobody else may write it. The server makes its parts; a customer's client checks them before connecting, so a
// directory someone else planted is never trusted with a request.

import fs from 'node:fs';
import path from 'node:path';
import { UmuxError } from '../core/errors.js';

export const HOSTING_DIR = '/run/umux';
/** Per-user sockets: users/UID.sock, owned by that user, 0600. */
export const HOSTING_USERS = 'users';
/** Per-user MConsole reply directories of the server (guests run as their customer must reach them). */
export const HOSTING_MCONSOLE = 'mconsole';

export function hostingSocketPath(dir: string, uid: number): string {
  return path.join(dir, HOSTING_USERS, `${uid}.sock`);
}

/** Why `dir` cannot be trusted as part of a hosting directory whose server runs as one of `owners`, or undefined. */
export function hostingDirProblem(dir: string, owners: readonly number[]): UmuxError | undefined {
  let st: fs.Stats;
  try {
    st = fs.lstatSync(dir);
  } catch (err) {
    return new UmuxError('not-running', `no hosting directory ${dir} (${(err as NodeJS.ErrnoException).code})`, { hint: "no shared umux server runs on this host: ask the host's admin" });
  }
  const fix = "ask the host's admin: it should belong to root and be writable by nobody else";
  if (st.isSymbolicLink() || !st.isDirectory()) return new UmuxError('permission', `hosting directory ${dir} is not a plain directory`, { hint: fix });
  if (!owners.includes(st.uid)) return new UmuxError('permission', `hosting directory ${dir} belongs to uid ${st.uid}, not to the server's user`, { hint: fix });
  if ((st.mode & 0o022) !== 0) return new UmuxError('permission', `hosting directory ${dir} is writable by others (mode ${(st.mode & 0o777).toString(8)})`, { hint: fix });
  return undefined;
}

/** Makes `dir` (mode `mode`, this process's) or checks the one there; throws when it cannot be trusted. */
export function ensureHostingDir(dir: string, mode = 0o755): string {
  try {
    fs.mkdirSync(dir, { mode });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new UmuxError('io', `cannot make hosting directory ${dir}: ${(err as NodeJS.ErrnoException).code}`, { hint: 'its parent must exist' });
  }
  const problem = hostingDirProblem(dir, [process.getuid?.() ?? 0]);
  if (problem) throw problem;
  fs.chmodSync(dir, mode);
  return dir;
}
