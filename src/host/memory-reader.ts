// Guests' host memory for the server's periodic sample, read incrementally: each sample looks at the memory file
// only (through the fd found last time: two syscalls). The guest's processes (its kernel's children, not a walk of
// all /proc) and their Rss and PSS (smaps_rollup, about 1 ms per UML process) are read again when that file grew or
// shrank, since a guest's memory is that file, or when they are old (a few guests per sample, oldest first).

import fs from 'node:fs';
import type { GuestMemfile } from '../protocol/host-types.js';
import { findMemfileFd, processGroup, readRollup, readRollupAsync, type GuestHostMemory, type Rollup } from './guest-memory.js';

/** The memory file's allocated size may move this much (bytes) before Rss and PSS are read again. */
const PSS_MOVE_BYTES = 1024 * 1024;
/** PSS older than this is read again, at most PSS_STALE_PER_SAMPLE guests per sample (oldest first). */
export const PSS_MAX_AGE_MS = 60_000;
const PSS_STALE_PER_SAMPLE = 2;

interface Known {
  /** The memory file's allocated bytes when Rss and PSS were last read (-1: no file). */
  allocatedAtRead: number;
  readAt: number;
  pids: number[];
  rss?: number;
  pss?: number;
  /** The kernel's fd that held the memory file, and the file's name then. */
  memfileFd?: string;
  memfilePath?: string;
  /** The memory file as last read, and the last result: given again while nothing in them moved (no garbage). */
  memfile?: GuestMemfile;
  last?: GuestHostMemory;
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

/** The group's live pids with their summed Rss and PSS (none when one of them could not be read). */
function sumGroup(read: [number, Rollup][]): { pids: number[]; rss?: number; pss?: number } {
  const pids: number[] = [];
  let rss = 0;
  let pss = 0;
  let denied = false;
  for (const [p, r] of read) {
    if (r === 'gone') continue;
    pids.push(p);
    if (r === 'denied') denied = true;
    else {
      rss += r.rss;
      pss += r.pss;
    }
  }
  return denied || pids.length === 0 ? { pids, rss: undefined, pss: undefined } : { pids, rss, pss };
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
    const look = this.look(pid, now);
    if (look.refresh) Object.assign(look.k, { allocatedAtRead: look.allocated, readAt: now, ...sumGroup(kernelGroup(pid).map((p) => [p, readRollup(p)])) });
    return this.result(pid, look.k, look.memfile);
  }

  /** read, with the group's smaps_rollup read on libuv's thread pool (the server's periodic sample). */
  readAsync(pid: number, now = Date.now()): Promise<GuestHostMemory> {
    return Promise.resolve(this.readSoon(pid, now));
  }

  /** readAsync without a promise when nothing is read again (most guests of most samples): no allocation to wait on. */
  readSoon(pid: number, now = Date.now()): GuestHostMemory | Promise<GuestHostMemory> {
    const look = this.look(pid, now);
    return look.refresh ? this.refreshAsync(pid, look, now) : this.result(pid, look.k, look.memfile);
  }

  private async refreshAsync(pid: number, look: { k: Known; memfile: GuestHostMemory['memfile']; allocated: number }, now: number): Promise<GuestHostMemory> {
    const pids = kernelGroup(pid);
    const rollups = await Promise.all(pids.map(readRollupAsync));
    Object.assign(look.k, { allocatedAtRead: look.allocated, readAt: now, ...sumGroup(pids.map((p, i) => [p, rollups[i]!])) });
    return this.result(pid, look.k, look.memfile);
  }

  /** The memory file now, and whether the group's Rss and PSS are to be read again (the file moved, or they are old). */
  private look(pid: number, now: number): { k: Known; memfile: GuestHostMemory['memfile']; allocated: number; refresh: boolean } {
    let k = this.known.get(pid);
    if (!k) {
      k = { allocatedAtRead: -1, readAt: 0, pids: [] };
      this.known.set(pid, k);
    }
    const memfile = this.memfileOf(pid, k);
    const allocated = memfile?.allocated ?? -1;
    const moved = k.readAt === 0 || allocated === -1 || Math.abs(allocated - k.allocatedAtRead) > PSS_MOVE_BYTES;
    const stale = !moved && now - k.readAt > PSS_MAX_AGE_MS && this.staleLeft > 0;
    if (stale) this.staleLeft--;
    return { k, memfile, allocated, refresh: moved || stale };
  }

  /** The guest's host memory: the last result again when its pids, Rss, PSS and memory file are the same ones. */
  private result(pid: number, k: Known, memfile: GuestHostMemory['memfile']): GuestHostMemory {
    if (k.pids.length === 0) {
      this.known.delete(pid);
      return { pids: [] };
    }
    const last = k.last;
    if (last && last.pids === k.pids && last.rss === k.rss && last.pss === k.pss && last.memfile === memfile) return last;
    const m: GuestHostMemory = { pids: k.pids };
    if (k.rss !== undefined) m.rss = k.rss;
    if (k.pss !== undefined) m.pss = k.pss;
    if (memfile) m.memfile = memfile;
    k.last = m;
    return m;
  }

  /** The memory file through the fd that held it last time (two syscalls), else looked for among all fds. */
  private memfileOf(pid: number, k: Known): GuestHostMemory['memfile'] {
    if (k.memfileFd !== undefined) {
      const link = `/proc/${pid}/fd/${k.memfileFd}`;
      try {
        if (fs.readlinkSync(link) === k.memfilePath) {
          const st = fs.statSync(link);
          const was = k.memfile;
          if (was && was.size === st.size && was.allocated === st.blocks * 512 && was.dev === st.dev) return was;
          return (k.memfile = { path: k.memfilePath, size: st.size, allocated: st.blocks * 512, dev: st.dev });
        }
      } catch {
        // closed: look again
      }
    }
    const found = findMemfileFd(pid);
    if (!found) return undefined;
    k.memfileFd = found.fd;
    k.memfilePath = found.path;
    return (k.memfile = { path: found.path, size: found.size, allocated: found.allocated, dev: found.dev });
  }
}
