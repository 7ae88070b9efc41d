// A hosting customer's way to the shared server (issue 17): their socket HOSTING_DIR/users/UID.sock, used when
// asked (`umux --shared`, `umux shell`) or when they run no server of their own and the host serves them. Checked
// before a byte goes out: the directories the server's (root's), writable by nobody else; the socket mine.

import fs from 'node:fs';
import path from 'node:path';
import { UmuxError } from '../core/errors.js';
import { HOSTING_DIR, HOSTING_USERS, hostingDirProblem, hostingSocketPath } from '../files/hosting-dir.js';

/** Set by `--shared` / `umux shell`: always the hosting socket of this directory, never a server of one's own. */
let forcedDir: string | undefined;

export function useHostingSocket(dir: string = HOSTING_DIR): void {
  forcedDir = path.resolve(dir);
}

export function hostingForced(): boolean {
  return forcedDir !== undefined;
}

/** This user's hosting socket in `dir`, checked; throws a one-line UmuxError saying what is wrong. */
export function checkedHostingSocket(dir: string): string {
  const uid = process.getuid?.() ?? 0;
  // The server runs as root; a server of a dedicated account owns the directory it made.
  const owners = [0];
  try {
    owners.push(fs.lstatSync(dir).uid);
  } catch {
    // hostingDirProblem says it is missing
  }
  const ownerOfTop = [...new Set(owners)].filter((o) => o === 0 || o !== uid);
  for (const d of [dir, path.join(dir, HOSTING_USERS)]) {
    const problem = hostingDirProblem(d, ownerOfTop);
    if (problem) throw problem;
  }
  const socket = hostingSocketPath(dir, uid);
  let st: fs.Stats;
  try {
    st = fs.lstatSync(socket);
  } catch {
    throw new UmuxError('permission', `the shared umux server on this host has no socket for you (uid ${uid}) in ${dir}`, { hint: "ask the host's admin to give you a grant in the hosting policy" });
  }
  if (!st.isSocket() || st.uid !== uid) throw new UmuxError('permission', `${socket} is not a socket of yours`, { hint: "ask the host's admin: the server makes it and gives it to you" });
  return socket;
}

/**
 * Where to connect instead of one's own server: the forced hosting socket (checked, or an error), or when `ownSocket`
 * has no server behind it and this user has a hosting socket at the default place, that one; else undefined.
 */
export function hostingSocketChoice(ownSocket: string): string | undefined {
  if (forcedDir !== undefined) return checkedHostingSocket(forcedDir);
  if (fs.existsSync(ownSocket)) return undefined;
  let socket: string;
  try {
    socket = checkedHostingSocket(HOSTING_DIR);
  } catch {
    return undefined;
  }
  // From here on this process is a customer: a reconnect goes here again and never starts a server of its own.
  useHostingSocket(HOSTING_DIR);
  return socket;
}

/** A failed connect to the hosting socket as one line. */
export function hostingConnectError(socket: string, err: unknown): UmuxError {
  const code = (err as NodeJS.ErrnoException).code ?? String(err);
  if (code === 'EACCES') return new UmuxError('permission', `permission denied on the hosting socket ${socket}`, { hint: 'it is not yours: each user has their own' });
  return new UmuxError('not-running', `the shared umux server does not answer on ${socket} (${code})`, { hint: "ask the host's admin whether it runs" });
}
