// UML's winch helpers: for a console on a host tty, UML clones a process that calls setsid(), takes the tty as its
// controlling terminal and waits for SIGWINCH (SIGHUP ignored). Being in a session of its own, it is not in the
// kernel's process group: a SIGKILL to the group leaves it behind, sleeping for ever. Found by command line and tty.

import fs from 'node:fs';

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
