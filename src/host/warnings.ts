// Memory warnings for the host gauges, from numbers only (no I/O): guest mem= against the memory-file filesystem
// (SIGBUS when it fills, seed 004 ch. 9, findings §12) and against RAM + swap (seed 000); also size parse/format.

import type { FsUsage, HostMemory, Warning } from '../protocol/host-types.js';
export type { Warning } from '../protocol/host-types.js';
import { formatBytes } from '../protocol/host-types.js';
export { formatBytes, parseMemSize } from '../protocol/host-types.js';


export interface MemoryFigures {
  /** Sum of the guests' mem= in bytes. */
  guestsMem: number;
  /** Missing when the directory could not be read: only the RAM + swap check runs then. */
  memfileFs?: FsUsage;
  host: HostMemory;
  /** Bytes the guests' memory files already hold on memfileFs (part of its used space; default 0). */
  guestsAllocated?: number;
}

/** Warnings for the sizes given, dangers first; none when all is well. */
export function memoryWarnings(f: MemoryFigures): Warning[] {
  const dangers: string[] = [];
  const warns: string[] = [];
  /** The texts of dangers and warnings about the memory-file filesystem filling. */
  const memfile = new Set<string>();
  const { guestsMem, memfileFs: fsu, host } = f;
  const allocated = f.guestsAllocated ?? 0;
  const total = `guests' mem= total ${formatBytes(guestsMem)}`;

  // A tmpfs mounted with size=0 has no limit (statfs reports 0 blocks): only RAM + swap bounds it.
  const limited = fsu !== undefined && fsu.size > 0;
  if (limited && guestsMem > fsu.size) {
    const missing = formatBytes(guestsMem - fsu.size);
    const fix = fsu.type === 'tmpfs' ? 'enlarge the tmpfs' : 'make room there';
    dangers.push(
      `${total} exceeds the ${formatBytes(fsu.size)} of ${fsu.path} by ${missing}: guests crash with SIGBUS ` +
        `when it fills; ${fix} by ${missing} or more, or set TMPDIR to a bigger tmpfs`,
    );
    memfile.add(dangers.at(-1)!);
  } else if (limited && guestsMem > fsu.avail + allocated) {
    const room = fsu.avail + allocated;
    warns.push(
      `${total} exceeds the ${formatBytes(room)} guests can have on ${fsu.path} (${formatBytes(fsu.avail)} free + ` +
        `${formatBytes(allocated)} already theirs) by ${formatBytes(guestsMem - room)}: SIGBUS risk as guests use ` +
        `their memory; free space there or enlarge it`,
    );
    memfile.add(warns.at(-1)!);
  }

  const ramSwap = host.ramTotal + host.swapTotal;
  if (guestsMem > ramSwap) {
    dangers.push(
      `${total} exceeds host RAM + swap (${formatBytes(host.ramTotal)} + ${formatBytes(host.swapTotal)}) by ` +
        `${formatBytes(guestsMem - ramSwap)}: the host runs out of memory as guests use theirs; add swap or lower mem=`,
    );
  }

  if (fsu && fsu.type !== 'tmpfs') {
    warns.push(
      `guest memory files go to ${fsu.path}, which is not tmpfs (type ${fsu.typeHex}): ` +
        `guests run slower and write their memory to disk (UML says "tempdir is not on tmpfs"); set TMPDIR to a tmpfs`,
    );
  }
  return [
    ...dangers.map((text) => ({ level: 'danger' as const, text, ...(memfile.has(text) ? { memfile: true as const } : {}) })),
    ...warns.map((text) => ({ level: 'warn' as const, text, ...(memfile.has(text) ? { memfile: true as const } : {}) })),
  ];
}

export interface StartFigures {
  name: string;
  /** The mem= of the guest about to start, in bytes. */
  mem: number;
  memfileFs: FsUsage;
  /** The running guests whose memory files are on memfileFs: their mem= and what their files hold already. */
  running: ReadonlyArray<{ mem: number; allocated: number }>;
}

/**
 * Whether a guest about to start fits on the memory-file filesystem beside the running guests, who will each grow
 * their file up to their mem=: the warning to give when it does not (it would die with SIGBUS once that fills).
 */
export function startWarning(f: StartFigures): string | undefined {
  const fsu = f.memfileFs;
  if (fsu.size === 0) return undefined; // a tmpfs with no size limit
  const promised = f.running.reduce((n, g) => n + Math.max(0, g.mem - g.allocated), 0);
  const room = Math.max(0, fsu.avail - promised);
  if (f.mem <= room) return undefined;
  return (
    `${f.name}'s mem=${formatBytes(f.mem)} does not fit on ${fsu.path} (${formatBytes(fsu.size)}${fsu.type === 'tmpfs' ? ' tmpfs' : ''}): ` +
    `${formatBytes(room)} is left for it once the running guests use their mem= (${formatBytes(fsu.avail)} free now, ` +
    `${formatBytes(promised)} of it theirs to come); it dies with SIGBUS when the filesystem fills: enlarge it, ` +
    `set TMPDIR to a bigger tmpfs, or lower mem=`
  );
}
