// Host memory figures as they cross the wire (server -> `umux host`, the TUI's gauges): host RAM and swap, the
// filesystem holding UML memory files, each guest's memory, and the warnings. Pure types, byte formatting and mem= sizes.

import { UsageError } from '../core/errors.js';

export interface HostMemory {
  ramTotal: number;
  /** MemAvailable (kernels before 3.14 lack it: MemFree + Buffers + Cached then). */
  ramAvailable: number;
  swapTotal: number;
  swapFree: number;
  /** Shmem: tmpfs and shared memory, UML memory files included. */
  shmem: number;
}

export interface FsUsage {
  path: string;
  type: 'tmpfs' | 'other';
  /** statfs f_type in hex: 0x1021994 tmpfs, 0xef53 ext2/3/4, 0x58465342 xfs, 0x9123683e btrfs… */
  typeHex: string;
  /** Bytes. A tmpfs mounted with size=0 has no limit and reports size 0. */
  size: number;
  /** size - free, as df counts it. */
  used: number;
  /** Free for unprivileged users. */
  avail: number;
}

export interface GuestMemfile {
  /** The fd link text, e.g. `/dev/shm/#93 (deleted)`. */
  path: string;
  /** Mapped size: mem= plus UML's exec-shield gap, varies per boot. */
  size: number;
  /** Bytes the file really holds on its filesystem (blocks × 512); it grows and never shrinks. */
  allocated: number;
  /** st_dev of the file, to tell which filesystem it is on. */
  dev: number;
}

export interface Warning {
  level: 'warn' | 'danger';
  /** One line, sizes in KiB/MiB/GiB. */
  text: string;
  /** About the memory-file filesystem filling up: guests die with SIGBUS (the server's memory hook runs on it). */
  memfile?: true;
}

export interface GuestSample {
  name: string;
  pid: number | null;
  /** mem= in bytes; undefined when the text is not a size. */
  mem?: number;
  pss?: number;
  rss?: number;
  memfile?: GuestMemfile;
}

export interface HostSample {
  /** Date.now() when taken. */
  at: number;
  host: HostMemory;
  /** Where guests started with this environment keep their memory files. */
  memfileDir: string;
  memfileFs?: FsUsage;
  /** Why memfileFs is missing (the directory does not exist…), as message and hint. */
  memfileError?: { message: string; hint?: string };
  guests: GuestSample[];
  /** Sum of mem= over running guests. */
  guestsMem: number;
  /** Sum of the memory files' allocated bytes on memfileFs. */
  guestsAllocated: number;
  warnings: Warning[];
}

/** `1536 MiB` → "1.5 GiB": binary units, one decimal below 100, whole numbers from 100 up. */
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const sign = n < 0 ? '-' : '';
  let v = Math.abs(n);
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = i === 0 || v >= 100 ? 0 : 1;
  const text = v.toFixed(digits).replace(/\.0$/, '');
  // Rounding can reach 1024 (1023.96 KiB): say 1 MiB instead.
  if (text === '1024' && i < UNITS.length - 1) return `${sign}1 ${UNITS[i + 1]}`;
  return `${sign}${text} ${UNITS[i]}`;
}

const SUFFIX: Readonly<Record<string, number>> = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** A size in UML's mem= syntax (memparse): decimal or 0x hex, optional K/M/G/T suffix in either case: `64M`. */
export function parseMemSize(text: string): number {
  const m = /^(0x[0-9a-f]+|\d+)([kmgt]?)$/i.exec(text.trim());
  const bytes = m ? Number(m[1]) * (m[2] ? SUFFIX[m[2].toUpperCase()]! : 1) : NaN;
  if (!Number.isSafeInteger(bytes)) {
    const hint = 'use a number with an optional K, M or G suffix, as in mem=64M';
    throw new UsageError(`bad memory size "${text}"`, { hint });
  }
  return bytes;
}
