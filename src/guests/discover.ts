// Guests on the host that umux may not have started: umid directories (UML_DIR/UMID holding `mconsole` and `pid`)
// and what /proc says about each pid: alive, SIGSTOPped, owner, parent, command line and working directory.

import fs from 'node:fs';
import path from 'node:path';
import { processExists } from './process-group.js';
import { readSmallFile } from '../files/safe-open.js';
import { verifyUmlPid } from './uml-process.js';

export { procInfo, type ProcInfo } from './proc-info.js';

export interface FoundGuest {
  umid: string;
  /** The umid directory. */
  dir: string;
  socket: string;
  /** From the pid file; undefined when it is missing or unreadable. */
  pid: number | undefined;
  /** The pid names a live process (zombies count as dead) that is this guest (guests/uml-process.ts). */
  alive: boolean;
  /** Why a live pid is not taken as this guest (another user's process, not a UML kernel of this umid). */
  untrusted?: string;
  /** Owner of the umid directory (the guest's user). */
  uid: number;
  gid: number;
}

/** The host file behind one of a process's fds (`/dev/pts/3`, `socket:[123]`), or undefined. */
export function fdTarget(pid: number, fd: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return undefined;
  }
}

/**
 * The umid directories in one uml_dir. A directory counts when it holds an `mconsole` socket or a `pid` file.
 * Directories in `skip` (guests umux runs itself) are passed over unread: the server scans every second.
 */
export function scanUmlDir(umlDir: string, skip?: ReadonlySet<string>): FoundGuest[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(umlDir, { withFileTypes: true });
  } catch {
    return [];
  }
  const found: FoundGuest[] = [];
  for (const entry of entries) {
    // The entry's type from the directory itself: the guests' NAME.notify sockets cost no lstat.
    if (!entry.isDirectory()) continue;
    const umid = entry.name;
    const dir = path.join(umlDir, umid);
    if (skip?.has(dir)) continue;
    let st: fs.Stats;
    try {
      st = fs.lstatSync(dir); // a link is no umid directory: it could lead into anybody's
    } catch {
      continue;
    }
    if (!st.isDirectory()) continue;
    const socket = path.join(dir, 'mconsole');
    const hasSocket = fs.existsSync(socket);
    const n = Number(readSmallFile(path.join(dir, 'pid'), 64)?.trim());
    const pid = Number.isInteger(n) && n > 0 ? n : undefined;
    if (!hasSocket && pid === undefined) continue;
    const live = pid !== undefined && processExists(pid);
    const verdict = live ? verifyUmlPid({ umid, dir, pid, uid: st.uid }) : undefined;
    const untrusted = verdict && !verdict.ok ? verdict.why : undefined;
    found.push({ umid, dir, socket, pid, alive: live && untrusted === undefined, ...(untrusted ? { untrusted } : {}), uid: st.uid, gid: st.gid });
  }
  return found;
}
