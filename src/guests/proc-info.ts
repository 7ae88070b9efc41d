// What /proc says about one process: state, parent, owner, command line (as a UML command line) and working
// directory. Read by discovery and by the check that a pid file names a real guest.

import fs from 'node:fs';
import { parseUmlCmdline, splitCmdline, type UmlCmdline } from '../protocol/uml-cmdline.js';

export interface ProcInfo {
  /** /proc/PID/stat state letter: R, S, D, T (stopped by a signal), t (traced), Z … */
  state: string;
  ppid: number;
  uid: number;
  cmdline: UmlCmdline | undefined;
  cwd: string | undefined;
}

/** The state letter of /proc/PID/stat alone (one read: health checks ask it of every guest), or undefined. */
export function procState(pid: number, proc = '/proc'): string | undefined {
  try {
    const stat = fs.readFileSync(`${proc}/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) || undefined;
  } catch {
    return undefined;
  }
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

/** When process `pid` started (epoch ms), from its stat start time and the host's boot time; undefined if gone. */
export function processStartedAt(pid: number, proc = '/proc'): number | undefined {
  try {
    const stat = fs.readFileSync(`${proc}/${pid}/stat`, 'utf8');
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const btime = Number(/^btime (\d+)$/m.exec(fs.readFileSync(`${proc}/stat`, 'utf8'))?.[1]);
    // USER_HZ is 100 on every Linux the kernel's ABI allows for /proc (sysconf(_SC_CLK_TCK)).
    return Number.isFinite(ticks) && Number.isFinite(btime) ? btime * 1000 + ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}
