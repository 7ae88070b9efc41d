// Host memory from /proc/meminfo: RAM, what is still available, swap and shmem (tmpfs pages, where UML memory files
// live), all in bytes. hostMemoryFrom is the pure half, for tests.

import type { HostMemory } from '../protocol/host-types.js';
export type { HostMemory } from '../protocol/host-types.js';

import fs from 'node:fs';
import { parseMeminfo } from '../protocol/mconsole-replies.js';

/** Reads the figures umux shows from a /proc/meminfo text. */
export function hostMemoryFrom(text: string): HostMemory {
  const f = parseMeminfo(text);
  const n = (key: string): number => f[key] ?? 0;
  return {
    ramTotal: n('MemTotal'),
    ramAvailable: f['MemAvailable'] ?? n('MemFree') + n('Buffers') + n('Cached'),
    swapTotal: n('SwapTotal'),
    swapFree: n('SwapFree'),
    shmem: n('Shmem') };
}

export function readHostMemory(file = '/proc/meminfo'): HostMemory {
  return hostMemoryFrom(fs.readFileSync(file, 'utf8'));
}
