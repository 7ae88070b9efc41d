// One timestamped sample of host and guest memory (meminfo, the memory-file filesystem, each guest's PSS and memory
// file, the warnings they raise), and a bounded history of samples for graphs.

import type { FsUsage, GuestSample, HostSample } from '../protocol/host-types.js';
export type { GuestSample, HostSample } from '../protocol/host-types.js';

import fs from 'node:fs';
import { isUmuxError } from '../core/errors.js';
import { findMemfile, guestHostMemory, processGroups, type GuestHostMemory } from './guest-memory.js';
import type { GuestMemoryReader } from './memory-reader.js';
import { memfileDir, statFs } from './memfile-fs.js';
import { readHostMemory } from './meminfo.js';
import { memoryWarnings, parseMemSize, startWarning } from './warnings.js';

export interface GuestInput {
  name: string;
  /** The kernel's pid (= its process group); null when the guest is not running. */
  pid: number | null;
  /** mem= as configured, in UML syntax: `64M`. */
  mem: string;
}

function devOf(dir: string): number | undefined {
  try {
    return fs.statSync(dir).dev;
  } catch {
    return undefined;
  }
}

function memBytes(text: string): number | undefined {
  try {
    return parseMemSize(text);
  } catch {
    return undefined;
  }
}

/** What a sample reads once, before its guests: meminfo, the memory-file filesystem and its device. */
interface SampleFrame {
  host: HostSample['host'];
  dir: string;
  memfileFs?: FsUsage;
  memfileError?: HostSample['memfileError'];
  dev?: number;
}

function sampleFrame(env: NodeJS.ProcessEnv): SampleFrame {
  const host = readHostMemory();
  const dir = memfileDir(env);
  try {
    const memfileFs = statFs(dir);
    const dev = devOf(dir);
    return { host, dir, memfileFs, ...(dev === undefined ? {} : { dev }) };
  } catch (err) {
    const memfileError = isUmuxError(err) ? { message: err.message, ...(err.hint ? { hint: err.hint } : {}) } : { message: String(err) };
    return { host, dir, memfileError };
  }
}

/**
 * The line last made from each host memory result: the reader gives the same result again while nothing moved, and
 * the line is then the same object too, so a history of idle guests' samples holds one line per guest, not one per
 * sample (and a sample makes no garbage for them).
 */
const linesOf = new WeakMap<GuestHostMemory, GuestSample>();

/** One guest's line of a sample, from its host memory as read (none when it is not running or was not read). */
function guestLine(g: GuestInput, m: GuestHostMemory | undefined): GuestSample {
  const mem = memBytes(g.mem);
  const was = m && linesOf.get(m);
  if (was && was.name === g.name && was.pid === g.pid && was.mem === mem) return was;
  const s = lineOf(g, m, mem);
  if (m) linesOf.set(m, s);
  return s;
}

function lineOf(g: GuestInput, m: GuestHostMemory | undefined, mem: number | undefined): GuestSample {
  const s: GuestSample = { name: g.name, pid: g.pid };
  if (mem !== undefined) s.mem = mem;
  if (g.pid === null || !m) return s;
  if (m.pss !== undefined) s.pss = m.pss;
  if (m.rss !== undefined) s.rss = m.rss;
  if (m.memfile) s.memfile = m.memfile;
  return s;
}

function finishSample(frame: SampleFrame, samples: GuestSample[], at: number): HostSample {
  const { host, dir, memfileFs, memfileError, dev } = frame;
  let guestsMem = 0;
  let guestsAllocated = 0;
  for (const s of samples) {
    if (s.pid === null) continue;
    if (s.mem !== undefined) guestsMem += s.mem;
    if (s.memfile && s.memfile.dev === dev) guestsAllocated += s.memfile.allocated;
  }
  const warnings = memoryWarnings({ guestsMem, memfileFs, host, guestsAllocated });
  if (memfileError) {
    warnings.unshift({ level: 'danger', text: `${memfileError.message}: guests started now exit at once` });
  }
  return {
    at,
    host,
    memfileDir: dir,
    ...(memfileFs ? { memfileFs } : {}),
    ...(memfileError ? { memfileError } : {}),
    guests: samples,
    guestsMem,
    guestsAllocated,
    warnings };
}

function runningGroups(guests: readonly GuestInput[]): Set<number> {
  return new Set(guests.flatMap((g) => (g.pid === null ? [] : [g.pid])));
}

/** Samples the host now, in one go; only /proc/meminfo failing throws. */
export function sampleHost(env: NodeJS.ProcessEnv, guests: readonly GuestInput[], at = Date.now()): HostSample {
  const frame = sampleFrame(env);
  const groups = processGroups(runningGroups(guests));
  return finishSample(frame, guests.map((g) => guestLine(g, g.pid === null ? undefined : guestHostMemory(g.pid, { members: groups.get(g.pid) ?? [] }))), at);
}

/** Work done between two yields of sampleHostSpread: the server's event loop is never held longer than about this. */
export const SAMPLE_SLICE_MS = 2;

/** What a sample through `reader` reads first: the frame, and the running kernels (the reader forgets the others). */
function beginRead(env: NodeJS.ProcessEnv, guests: readonly GuestInput[], reader: GuestMemoryReader): { frame: SampleFrame; running: Set<number> } {
  const frame = sampleFrame(env);
  const running = runningGroups(guests);
  reader.beginSample();
  reader.keepOnly(running);
  return { frame, running };
}

const endRead = (frame: SampleFrame, guests: readonly GuestInput[], read: Map<number, GuestHostMemory>, at: number) =>
  finishSample(frame, guests.map((g) => guestLine(g, g.pid === null ? undefined : read.get(g.pid))), at);

/** The server's sample taken now, in one go, through its reader (cheap reads, PSS again only where memory moved). */
export function sampleHostRead(env: NodeJS.ProcessEnv, guests: readonly GuestInput[], reader: GuestMemoryReader, at = Date.now()): HostSample {
  const { frame, running } = beginRead(env, guests, reader);
  const read = new Map<number, GuestHostMemory>();
  for (const pid of running) read.set(pid, reader.read(pid, at));
  return endRead(frame, guests, read, at);
}

/**
 * The server's periodic sample: sampleHostRead with the smaps_rollup reads on libuv's thread pool and the rest in
 * slices of about SAMPLE_SLICE_MS with the event loop free between them, so a hundred guests never stall the
 * server's clients. The guests are asked again at the end: one started meanwhile shows without its memory until the
 * next sample.
 */
export async function sampleHostSpread(env: NodeJS.ProcessEnv, guests: () => readonly GuestInput[], reader: GuestMemoryReader, at = Date.now()): Promise<HostSample> {
  const { frame, running } = beginRead(env, guests(), reader);
  const read = new Map<number, GuestHostMemory>();
  let sliceStart = performance.now();
  for (const pid of running) {
    const soon = reader.readSoon(pid, at);
    read.set(pid, soon instanceof Promise ? await soon : soon);
    if (performance.now() - sliceStart < SAMPLE_SLICE_MS) continue;
    await new Promise((r) => setImmediate(r));
    sliceStart = performance.now();
  }
  return endRead(frame, guests(), read, at);
}

/**
 * The warning for starting guest `name` with mem= `mem` now: the memory-file filesystem's free space against what
 * the running guests' files will still grow by. Cheap (a statfs, and each running kernel's fds, no PSS): it runs
 * before every start. Undefined when it fits, or when the figures cannot be read (the host sample says why).
 */
export function startFit(env: NodeJS.ProcessEnv, guests: readonly GuestInput[], name: string, mem: string): string | undefined {
  const bytes = memBytes(mem);
  const dir = memfileDir(env);
  const dev = devOf(dir);
  if (bytes === undefined || dev === undefined) return undefined;
  let memfileFs: FsUsage;
  try {
    memfileFs = statFs(dir);
  } catch {
    return undefined;
  }
  const running = guests.flatMap((g) => {
    const gMem = g.pid === null || g.name === name ? undefined : memBytes(g.mem);
    const file = gMem === undefined || g.pid === null ? undefined : findMemfile(g.pid, dev);
    return gMem !== undefined && file !== undefined ? [{ mem: gMem, allocated: file.allocated }] : [];
  });
  return startWarning({ name, mem: bytes, memfileFs, running });
}

/** The last `capacity` samples (default 720: an hour at one sample every 5 s), oldest first. */
export class SampleHistory<T = HostSample> {
  private readonly ring: T[] = [];
  private start = 0;

  constructor(readonly capacity = 720) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`bad history capacity ${capacity}`);
  }

  get length(): number {
    return this.ring.length;
  }

  push(sample: T): void {
    if (this.ring.length < this.capacity) this.ring.push(sample);
    else {
      this.ring[this.start] = sample;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  latest(): T | undefined {
    if (this.ring.length === 0) return undefined;
    return this.ring[(this.start + this.ring.length - 1) % this.ring.length];
  }

  toArray(): T[] {
    return [...this.ring.slice(this.start), ...this.ring.slice(0, this.start)];
  }

  /**
   * The newest samples whose JSON fits in about `maxBytes` (at least the newest), judged by the newest's size: an
   * hour at 100 guests is 12.5 MB, at ~260 it would pass the wire's frame limit and the reply would never arrive.
   */
  newestWithin(maxBytes: number): T[] {
    const newest = this.latest();
    if (newest === undefined) return [];
    const fit = Math.max(1, Math.floor(maxBytes / (JSON.stringify(newest).length + 1)));
    const all = this.toArray();
    return all.length <= fit ? all : all.slice(-fit);
  }

  /** One number per sample (undefined where `pick` has none), oldest first: a graph's data. */
  series(pick: (sample: T) => number | undefined): Array<number | undefined> {
    return this.toArray().map(pick);
  }

  clear(): void {
    this.ring.length = 0;
    this.start = 0;
  }
}
