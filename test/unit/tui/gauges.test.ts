// Gauge figures from a host sample: percentages, labels, the SIGBUS danger when guests' mem= exceeds the memory-
// file filesystem; history series cut to the last points.

import { describe, expect, it } from 'vitest';
import type { HostSample } from '../../../src/protocol/host-types.js';
import { gaugeFigures, series } from '../../../src/tui/gauges.js';

const G = 2 ** 30;
const sample = (over: Partial<HostSample> = {}): HostSample =>
  ({
    at: 0,
    host: { ramTotal: 8 * G, ramAvailable: 6 * G, swapTotal: 0, swapFree: 0, shmem: 0 },
    memfileFs: { path: '/dev/shm', type: 'tmpfs', size: 4 * G, used: G, avail: 3 * G },
    guests: [{ name: 'a', pid: 1, mem: 3 * G }, { name: 'b', pid: 2, mem: 2 * G }],
    guestsMem: 5 * G,
    warnings: [],
    ...over,
  }) as unknown as HostSample;

describe('gaugeFigures', () => {
  it('gives RAM, swap and the memory-file filesystem against the guests, with the danger flag', () => {
    const f = gaugeFigures(sample());
    expect(f.map((x) => x.percent)).toEqual([25, 0, 100]);
    expect(f[0]!.label).toBe('RAM in use: 2 GiB of 8 GiB');
    expect(f[1]!.label).toBe('swap: none');
    expect(f[2]!.label).toBe("guests' mem= 5 GiB against /dev/shm 4 GiB");
    expect(f.map((x) => x.danger)).toEqual([false, false, true]);
  });
  it('is calm when the guests fit', () => {
    const f = gaugeFigures(sample({ guests: [{ name: 'a', pid: 1, mem: G }] as HostSample['guests'], guestsMem: G }));
    expect(f[2]).toEqual({ label: "guests' mem= 1 GiB against /dev/shm 4 GiB", percent: 25, danger: false });
  });
  it('counts only running guests, as the server does (stopped ones hold no memory file)', () => {
    const M = 2 ** 20;
    const guests = [{ name: 'on', pid: 7, mem: 48 * M }, { name: 'off', pid: null, mem: 64 * M }, { name: 'dead', pid: null, mem: 128 * M }] as HostSample['guests'];
    const f = gaugeFigures(sample({ guests, guestsMem: 48 * M }));
    expect(f[2]!.label).toBe("guests' mem= 48 MiB against /dev/shm 4 GiB");
  });
});

describe('series', () => {
  it('keeps the last n values, oldest first, skipping missing ones', () => {
    const h = [1, 2, 3, 4].map((v) => sample({ host: { ramTotal: 8, ramAvailable: v, swapTotal: 0, swapFree: 0 } as HostSample['host'] }));
    expect(series(h, (s) => s.host.ramAvailable, 2)).toEqual([3, 4]);
    expect(series(h, () => undefined, 5)).toEqual([]);
  });
});
