// Guests' host memory for the server's periodic sample, read incrementally: a guest's processes from its kernel's
// children (not a walk of all /proc), its memory file from the fd found last time, and PSS (smaps_rollup, about 1 ms
// per UML process) read again only when the group's resident size moved, or a few of the oldest per sample.

import fs from 'node:fs';
import { findMemfileFd, processGroup, readRollup, type GuestHostMemory } from './guest-memory.js';

/** Resident size may move this much (bytes) before PSS is read again. */
const PSS_MOVE_BYTES = 1024 * 1024;
/** PSS older than this is read again, at most PSS_STALE_PER_SAMPLE guests per sample (oldest first). */
export const PSS_MAX_AGE_MS = 60_000;
const PSS_STALE_PER_SAMPLE = 2;
const PAGE = 4096;

interface Known {
  /** Resident bytes when PSS was last read. */
  residentAtPss: number;
  pss?: number;
  pssAt: number;
  /** The kernel's fd that held the memory file, and the file's name then. */
  memfileFd?: string;
  memfilePath?: string;
}

/** `pid`'s state letter and process group from /proc/PID/stat, or undefined when it is gone. */
function statOf(pid: number): { state: string; pgrp: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 3);
    return { state: f[0] ?? '?', pgrp: Number(f[2]) };
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] | undefined {
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const t of tasks) {
    try {
      for (const c of fs.readFileSync(`/proc/${pid}/task/${t}/children`, 'latin1').trim().split(' ')) if (c) out.push(Number(c));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' && t === String(pid)) return undefined; // no CONFIG_PROC_CHILDREN
    }
  }
  return out;
}

/**
 * Live members of the process group `pgid` found among the kernel's descendants (UML forks every process it runs
 * there); the whole /proc is walked instead when this kernel has no children files.
 */
export function kernelGroup(pgid: number): number[] {
  const members: number[] = [];
  const todo = [pgid];
  const seen = new Set<number>();
  while (todo.length > 0) {
    const pid = todo.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const st = statOf(pid);
    if (!st || st.pgrp !== pgid || st.state === 'Z' || st.state === 'X') continue;
    members.push(pid);
    const kids = childrenOf(pid);
    if (kids === undefined) return processGroup(pgid);
    todo.push(...kids);
  }
  return members;
}

function residentBytes(pid: number): number | undefined {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/statm`, 'latin1').split(' ')[1]) * PAGE;
  } catch {
    return undefined;
  }
}

export class GuestMemoryReader {
  private readonly known = new Map<number, Known>();
  private staleLeft = PSS_STALE_PER_SAMPLE;

  /** Call before each sample: a few guests with old PSS may have it read again in this one. */
  beginSample(): void {
    this.staleLeft = PSS_STALE_PER_SAMPLE;
  }

  /** Forgets kernels that are not in `live` (stopped guests). */
  keepOnly(live: ReadonlySet<number>): void {
    for (const pid of this.known.keys()) if (!live.has(pid)) this.known.delete(pid);
  }

  /** The host memory of the guest whose kernel is `pid`, as guestHostMemory gives it, mostly from cached reads. */
  read(pid: number, now = Date.now()): GuestHostMemory {
    const members = kernelGroup(pid);
    const out: GuestHostMemory = { pids: [] };
    let resident = 0;
    for (const p of members) {
      const r = residentBytes(p);
      if (r === undefined) continue;
      resident += r;
      out.pids.push(p);
    }
    if (out.pids.length === 0) return out;
    out.rss = resident;
    let k = this.known.get(pid);
    const moved = k === undefined || Math.abs(resident - k.residentAtPss) > PSS_MOVE_BYTES;
    const stale = k !== undefined && now - k.pssAt > PSS_MAX_AGE_MS && this.staleLeft > 0;
    if (moved || stale || k?.pss === undefined) {
      if (stale && !moved) this.staleLeft--;
      k = { ...k, residentAtPss: resident, pssAt: now, ...this.pssOf(out.pids) };
      this.known.set(pid, k);
    }
    if (k.pss !== undefined) out.pss = k.pss;
    const memfile = this.memfileOf(pid, k);
    if (memfile) out.memfile = memfile;
    return out;
  }

  private pssOf(pids: number[]): { pss?: number } {
    let pss = 0;
    for (const p of pids) {
      const r = readRollup(p);
      if (r === 'denied') return {};
      if (r !== 'gone') pss += r.pss;
    }
    return { pss };
  }

  /** The memory file through the fd that held it last time (two syscalls), else looked for among all fds. */
  private memfileOf(pid: number, k: Known): GuestHostMemory['memfile'] {
    if (k.memfileFd !== undefined) {
      const link = `/proc/${pid}/fd/${k.memfileFd}`;
      try {
        if (fs.readlinkSync(link) === k.memfilePath) {
          const st = fs.statSync(link);
          return { path: k.memfilePath, size: st.size, allocated: st.blocks * 512, dev: st.dev };
        }
      } catch {
        // closed: look again
      }
    }
    const found = findMemfileFd(pid);
    if (!found) return undefined;
    k.memfileFd = found.fd;
    k.memfilePath = found.path;
    return { path: found.path, size: found.size, allocated: found.allocated, dev: found.dev };
  }
}
