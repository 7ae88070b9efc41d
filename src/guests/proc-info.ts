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

const statBuf = Buffer.alloc(1024);

/**
 * /proc/PID/stat kept open and read again from its start: one pread and no allocation, for a state letter asked every
 * second of every guest. Bound to that process, not to its number: once it is gone the read fails (ESRCH) even if
 * the pid was given to another process meanwhile. The health loop owns one per running guest.
 */
export class ProcStatFile {
  private fd: number | undefined;

  constructor(
    readonly pid: number,
    proc = '/proc',
  ) {
    try {
      this.fd = fs.openSync(`${proc}/${pid}/stat`, 'r');
    } catch {
      this.fd = undefined; // gone already, or hidden (hidepid): the caller falls back to kill(pid, 0)
    }
  }

  /** The state letter (R, S, D, T, t, Z …); 'gone' when the process ended; undefined when /proc cannot be read. */
  state(): string | undefined {
    if (this.fd === undefined) return undefined;
    let n: number;
    try {
      n = fs.readSync(this.fd, statBuf, 0, statBuf.length, 0);
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ESRCH' ? 'gone' : undefined;
    }
    const close = statBuf.lastIndexOf(0x29, n - 1); // ')' ends the command name, which may hold anything
    return close < 0 || close + 2 >= n ? undefined : String.fromCharCode(statBuf[close + 2]!);
  }

  dispose(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}
