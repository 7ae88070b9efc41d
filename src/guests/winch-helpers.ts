// UML's winch helpers: for a console on a host tty, UML clones a process that calls setsid(), takes the tty as its
// controlling terminal and waits for SIGWINCH (SIGHUP ignored). Being in a session of its own, it is not in the
// kernel's process group: a SIGKILL to the group leaves it behind, sleeping for ever. Found by command line and tty
// (a guest umux launched, whose ptys it knows), or as the kernel's children in sessions of their own (any guest).

import fs from 'node:fs';
import { killGroup } from './process-group.js';

/** Live processes with exactly this command line (NUL-separated, as /proc has it) that hold one of `ttys`. */
export function winchHelpers(cmdline: string, ttys: readonly string[]): number[] {
  const found: number[] = [];
  if (cmdline === '' || ttys.length === 0) return found;
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/cmdline`, 'latin1') !== cmdline) continue;
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'latin1');
      if (/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3))) continue;
      const holds = fs.readdirSync(`/proc/${name}/fd`).some((fd) => {
        try {
          return ttys.includes(fs.readlinkSync(`/proc/${name}/fd/${fd}`));
        } catch {
          return false;
        }
      });
      if (holds) found.push(Number(name));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

/** SIGKILLs the winch helpers a dead guest left on its ttys; returns their pids. */
export function killWinchHelpers(cmdline: string, ttys: readonly string[]): number[] {
  const pids = winchHelpers(cmdline, ttys);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return pids;
}

/** ppid, session and state from /proc/PID/stat, or undefined when gone. */
function statOf(pid: number | string): { ppid: number; session: number; state: string } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid pgrp session ...
    return { state: f[0] ?? '', ppid: Number(f[1]), session: Number(f[3]) };
  } catch {
    return undefined;
  }
}

/**
 * The winch helpers of a running guest kernel, whoever started it: its live children with its command line in a
 * session other than its own. Read before the kernel dies: afterwards they are init's children.
 */
export function winchHelpersOf(kernelPid: number): number[] {
  const kernel = statOf(kernelPid);
  let cmdline = '';
  try {
    cmdline = fs.readFileSync(`/proc/${kernelPid}/cmdline`, 'latin1');
  } catch {
    return [];
  }
  if (!kernel || cmdline === '') return [];
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = statOf(name);
    if (!st || st.ppid !== kernelPid || st.session === kernel.session || /^[ZX]$/.test(st.state)) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/cmdline`, 'latin1') === cmdline) found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** SIGKILL to a guest's process group and to its winch helpers (outside the group); returns the helpers' pids. */
export function killGuestGroup(kernelPid: number): number[] {
  const helpers = winchHelpersOf(kernelPid);
  killGroup(kernelPid, 'SIGKILL');
  for (const pid of helpers) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return helpers;
}
