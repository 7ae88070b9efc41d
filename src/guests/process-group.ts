// A UML guest is a process group (kernel + helpers; pgid = the kernel's pid, UML calls setsid itself). Only
// kill(-pgid) stops it all: SIGKILL to the kernel alone leaves helpers holding the memory file (findings §8).

import fs from 'node:fs';
import { UmuxError } from '../core/errors.js';

/** state and pgrp of /proc/PID/stat, or undefined when the process is gone. */
function procStat(pid: number | string): { state: string; pgrp: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid pgrp ...
    return { state: f[0] ?? '', pgrp: Number(f[2]) };
  } catch {
    return undefined;
  }
}

/** Live (non-zombie) host processes whose process group is `pgid`. */
export function groupMembers(pgid: number): number[] {
  const live: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const st = procStat(name);
    if (st && st.pgrp === pgid && st.state !== 'Z' && st.state !== 'X') live.push(Number(name));
  }
  return live;
}

/** Sends `signal` to every process of group `pgid`; false when the group no longer exists (ESRCH). */
export function killGroup(pgid: number, signal: NodeJS.Signals = 'SIGKILL'): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) throw new RangeError(`refusing to signal process group ${pgid}`);
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

/** Resolves true once no live process is left in group `pgid`, false if some still are after `timeoutMs`. */
export async function waitGroupGone(pgid: number, timeoutMs: number, intervalMs = 20): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (groupMembers(pgid).length === 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Waits until group `pgid` has no live process; throws a timeout UmuxError naming those left after `timeoutMs`. */
export async function requireGroupGone(pgid: number, timeoutMs: number, who: string): Promise<void> {
  if (await waitGroupGone(pgid, timeoutMs)) return;
  throw new UmuxError('timeout', `${who}: processes ${groupMembers(pgid).join(' ')} of process group ${pgid} are still there ${timeoutMs} ms after it stopped`, {
    hint: `see them with: ps -o pid,stat,wchan,cmd -g ${pgid}`,
  });
}

/**
 * True when `pid` names an existing process, zombies and other users' processes included: the same test UML applies
 * to a umid's pid file (kill(pid, 0) succeeds or fails with anything but ESRCH).
 */
export function processExists(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  // A zombie answers kill(pid, 0) but is dead: an orphan whose parent died waits for a reaper, and on some hosts
  // PID 1 never reaps (a guest adopted from a killed server ends up like that).
  return !isZombie(pid);
}

/** True when /proc says the process has exited and waits to be reaped (state Z or X). */
export function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false;
  }
}

/** The command name of `pid` (/proc/PID/comm), or undefined. */
export function processName(pid: number): string | undefined {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return undefined;
  }
}
