// Guests on the host that umux may not have started: umid directories (UML_DIR/UMID holding `mconsole` and `pid`)
// and what /proc says about each pid: alive, SIGSTOPped, owner, parent, command line and working directory.

import fs from 'node:fs';
import path from 'node:path';
import { parseUmlCmdline, splitCmdline, type UmlCmdline } from '../protocol/uml-cmdline.js';
import { processExists } from './process-group.js';

export interface ProcInfo {
  /** /proc/PID/stat state letter: R, S, D, T (stopped by a signal), t (traced), Z … */
  state: string;
  ppid: number;
  uid: number;
  cmdline: UmlCmdline | undefined;
  cwd: string | undefined;
}

export interface FoundGuest {
  umid: string;
  /** The umid directory. */
  dir: string;
  socket: string;
  /** From the pid file; undefined when it is missing or unreadable. */
  pid: number | undefined;
  /** The pid names a live process (zombies count as dead). */
  alive: boolean;
  /** Owner of the umid directory (the guest's user). */
  uid: number;
  gid: number;
}

/** /proc facts about one process, or undefined when it is gone or unreadable. */
export function procInfo(pid: number, proc = '/proc'): ProcInfo | undefined {
  try {
    const stat = fs.readFileSync(`${proc}/${pid}/stat`, 'utf8');
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const status = fs.readFileSync(`${proc}/${pid}/status`, 'utf8');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? -1);
    let cmdline: UmlCmdline | undefined;
    try {
      const words = splitCmdline(fs.readFileSync(`${proc}/${pid}/cmdline`, 'utf8'));
      if (words.length > 0) cmdline = parseUmlCmdline(words);
    } catch {
      cmdline = undefined;
    }
    let cwd: string | undefined;
    try {
      cwd = fs.readlinkSync(`${proc}/${pid}/cwd`);
    } catch {
      cwd = undefined;
    }
    return { state: rest[0] ?? '?', ppid: Number(rest[1]), uid, cmdline, cwd };
  } catch {
    return undefined;
  }
}

/** The host file behind one of a process's fds (`/dev/pts/3`, `socket:[123]`), or undefined. */
export function fdTarget(pid: number, fd: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
  } catch {
    return undefined;
  }
}

/** The umid directories in one uml_dir. A directory counts when it holds an `mconsole` socket or a `pid` file. */
export function scanUmlDir(umlDir: string): FoundGuest[] {
  let names: string[];
  try {
    names = fs.readdirSync(umlDir);
  } catch {
    return [];
  }
  const found: FoundGuest[] = [];
  for (const umid of names) {
    const dir = path.join(umlDir, umid);
    let st: fs.Stats;
    try {
      st = fs.statSync(dir);
    } catch {
      continue;
    }
    if (!st.isDirectory()) continue;
    const socket = path.join(dir, 'mconsole');
    const hasSocket = fs.existsSync(socket);
    let pid: number | undefined;
    try {
      const n = Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8').trim());
      pid = Number.isInteger(n) && n > 0 ? n : undefined;
    } catch {
      pid = undefined;
    }
    if (!hasSocket && pid === undefined) continue;
    found.push({ umid, dir, socket, pid, alive: pid !== undefined && processExists(pid), uid: st.uid, gid: st.gid });
  }
  return found;
}
