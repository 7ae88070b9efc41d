// What a guest costs the host: PSS of its process group (RSS counts the shared memory file once per process,
// findings §7) and its unlinked memory file among the kernel's fds. Unreadable /proc entries give undefined, no throw.

import type { GuestMemfile } from '../protocol/host-types.js';
export type { GuestMemfile } from '../protocol/host-types.js';

import fs from 'node:fs';

export interface GuestHostMemory {
  /** Members of the process group that were read (the kernel and its helpers). */
  pids: number[];
  /** Sum of Pss over the group; undefined when no member could be read or one was permission-denied. */
  pss?: number;
  /** Sum of Rss over the group (double-counts the memory file). */
  rss?: number;
  memfile?: GuestMemfile;
}

export interface GuestMemoryOptions {
  /** The group's live pids, when the caller already has them (default: scan /proc). */
  members?: number[];
  /** Only a memory file on the filesystem holding this directory counts. */
  dir?: string;
}

/** Live (non-zombie) pids whose process group is `pgid`; a local copy, since host/ may not import guests/. */
export function processGroup(pgid: number, proc = '/proc'): number[] {
  return processGroups(new Set([pgid]), proc).get(pgid) ?? [];
}

/** Live pids of each wanted process group, from one pass over /proc (one read of each process's stat). */
export function processGroups(wanted: ReadonlySet<number>, proc = '/proc'): Map<number, number[]> {
  const groups = new Map<number, number[]>();
  let names: string[];
  try {
    names = fs.readdirSync(proc);
  } catch {
    return groups;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`${proc}/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 3); // state ppid pgrp
      const pgid = Number(f[2]);
      if (!wanted.has(pgid) || f[0] === 'Z' || f[0] === 'X') continue;
      const list = groups.get(pgid);
      if (list) list.push(Number(name));
      else groups.set(pgid, [Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  return groups;
}

/** Rss and Pss of a /proc/PID/smaps_rollup text, in bytes. */
export function parseSmapsRollup(text: string): { rss: number; pss: number } | undefined {
  const rss = /^Rss:\s+(\d+) kB$/m.exec(text);
  const pss = /^Pss:\s+(\d+) kB$/m.exec(text);
  if (!rss || !pss) return undefined;
  return { rss: Number(rss[1]) * 1024, pss: Number(pss[1]) * 1024 };
}

export type Rollup = { rss: number; pss: number } | 'gone' | 'denied';

/** smaps_rollup is about 1 KB: one read of this many bytes gets it whole (the kernel makes it in one go). */
const ROLLUP_BYTES = 4096;

const rollupFailure = (err: unknown): Rollup => {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ESRCH' ? 'gone' : 'denied';
};

/** One process's Rss and Pss; 'denied' when unreadable for another reason than its end. */
export function readRollup(pid: number): Rollup {
  try {
    return parseSmapsRollup(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8')) ?? 'denied';
  } catch (err) {
    return rollupFailure(err);
  }
}

/**
 * readRollup on libuv's thread pool: the kernel's walk of a UML process's page tables (about a millisecond each, the
 * whole guest memory mapped) happens off the event loop.
 */
export async function readRollupAsync(pid: number): Promise<Rollup> {
  // Opened and closed here (cheap); the one read, where the walk happens, on the pool: a single wake of the loop.
  let fd: number;
  try {
    fd = fs.openSync(`/proc/${pid}/smaps_rollup`, 'r');
  } catch (err) {
    return rollupFailure(err);
  }
  try {
    const buf = Buffer.alloc(ROLLUP_BYTES);
    const n = await new Promise<number>((resolve, reject) => fs.read(fd, buf, 0, buf.length, 0, (err, got) => (err ? reject(err) : resolve(got))));
    return parseSmapsRollup(buf.toString('latin1', 0, n)) ?? 'denied';
  } catch (err) {
    return rollupFailure(err);
  } finally {
    fs.closeSync(fd);
  }
}

/** The largest unlinked regular file `pid` holds open (on `dev` when given): UML's memory file. */
export function findMemfile(pid: number, dev?: number): GuestMemfile | undefined {
  const found = findMemfileFd(pid, dev);
  if (!found) return undefined;
  const { fd: _fd, ...memfile } = found;
  return memfile;
}

/** findMemfile with the fd that holds the file, so a caller can look there first next time. */
export function findMemfileFd(pid: number, dev?: number): (GuestMemfile & { fd: string }) | undefined {
  let fds: string[];
  try {
    fds = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  let best: (GuestMemfile & { fd: string }) | undefined;
  for (const fd of fds) {
    const link = `/proc/${pid}/fd/${fd}`;
    try {
      const target = fs.readlinkSync(link);
      if (!target.endsWith(' (deleted)')) continue;
      const st = fs.statSync(link); // follows the magic link to the open file
      if (!st.isFile() || (dev !== undefined && st.dev !== dev)) continue;
      if (!best || st.size > best.size) best = { path: target, size: st.size, allocated: st.blocks * 512, dev: st.dev, fd };
    } catch {
      // fd closed meanwhile, or not ours to look at
    }
  }
  return best;
}

/** Host memory of the guest whose kernel is `pid` (its process group id). */
export function guestHostMemory(pid: number, opts: GuestMemoryOptions = {}): GuestHostMemory {
  const members = opts.members ?? processGroup(pid);
  const out: GuestHostMemory = { pids: [] };
  let pss = 0;
  let rss = 0;
  let denied = false;
  for (const p of members) {
    const r = readRollup(p);
    if (r === 'gone') continue;
    if (r === 'denied') denied = true;
    else {
      pss += r.pss;
      rss += r.rss;
    }
    out.pids.push(p);
  }
  if (!denied && out.pids.length > 0) {
    out.pss = pss;
    out.rss = rss;
  }
  let dev: number | undefined;
  if (opts.dir !== undefined) {
    try {
      dev = fs.statSync(opts.dir).dev;
    } catch {
      return out; // no such filesystem: no memory file can be on it
    }
  }
  // The kernel holds it as fd 3; its helpers inherit it, so look there too if the kernel is gone.
  for (const p of [pid, ...members.filter((m) => m !== pid)]) {
    const memfile = findMemfile(p, dev);
    if (memfile) {
      out.memfile = memfile;
      break;
    }
  }
  return out;
}
