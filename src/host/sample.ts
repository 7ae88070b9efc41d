// One timestamped sample of host and guest memory (meminfo, the memory-file filesystem, each guest's PSS and memory
// file, the warnings they raise), and a bounded history of samples for graphs.

import type { FsUsage, GuestSample, HostSample } from '../protocol/host-types.js';
export type { GuestSample, HostSample } from '../protocol/host-types.js';

import fs from 'node:fs';
import { isUmuxError } from '../core/errors.js';
import { findMemfile, guestHostMemory } from './guest-memory.js';
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

/** Samples the host now; only /proc/meminfo failing throws. */
export function sampleHost(env: NodeJS.ProcessEnv, guests: readonly GuestInput[], at = Date.now()): HostSample {
  const host = readHostMemory();
  const dir = memfileDir(env);
  let memfileFs: FsUsage | undefined;
  let memfileError: HostSample['memfileError'];
  try {
    memfileFs = statFs(dir);
  } catch (err) {
    memfileError = isUmuxError(err)
      ? { message: err.message, ...(err.hint ? { hint: err.hint } : {}) }
      : { message: String(err) };
  }
  const dev = memfileFs ? devOf(dir) : undefined;
  let guestsMem = 0;
  let guestsAllocated = 0;
  const samples: GuestSample[] = guests.map((g) => {
    const s: GuestSample = { name: g.name, pid: g.pid };
    const mem = memBytes(g.mem);
    if (mem !== undefined) s.mem = mem;
    if (g.pid === null) return s;
    if (mem !== undefined) guestsMem += mem;
    const m = guestHostMemory(g.pid);
    if (m.pss !== undefined) s.pss = m.pss;
    if (m.rss !== undefined) s.rss = m.rss;
    if (m.memfile) {
      s.memfile = m.memfile;
      if (m.memfile.dev === dev) guestsAllocated += m.memfile.allocated;
    }
    return s;
  });
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

  /** One number per sample (undefined where `pick` has none), oldest first: a graph's data. */
  series(pick: (sample: T) => number | undefined): Array<number | undefined> {
    return this.toArray().map(pick);
  }

  clear(): void {
    this.ring.length = 0;
    this.start = 0;
  }
}
