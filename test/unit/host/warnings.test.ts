// memoryWarnings against hand-made figures (each rule, its boundary, and the size=0 tmpfs), parseMemSize in UML's
// mem= syntax, formatBytes' units and rounding.

import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import type { FsUsage } from '../../../src/host/memfile-fs.js';
import type { HostMemory } from '../../../src/host/meminfo.js';
import { formatBytes, memoryWarnings, parseMemSize, startWarning } from '../../../src/host/warnings.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

const shm = (over: Partial<FsUsage> = {}): FsUsage => ({
  path: '/dev/shm', type: 'tmpfs', typeHex: '0x1021994', size: 512 * MiB, used: 0, avail: 512 * MiB, ...over,
});
const host = (over: Partial<HostMemory> = {}): HostMemory => ({
  ramTotal: 4 * GiB, ramAvailable: 3 * GiB, swapTotal: 2 * GiB, swapFree: 2 * GiB, shmem: 0, ...over,
});

describe('memoryWarnings', () => {
  it('says nothing when everything fits', () => {
    expect(memoryWarnings({ guestsMem: 256 * MiB, memfileFs: shm(), host: host() })).toEqual([]);
    expect(memoryWarnings({ guestsMem: 0, memfileFs: shm({ avail: 0, used: 512 * MiB }), host: host() })).toEqual([]);
  });

  it('is danger when mem= exceeds the memory-file filesystem, saying by how much and what to do', () => {
    const w = memoryWarnings({ guestsMem: 640 * MiB, memfileFs: shm(), host: host() });
    expect(w).toHaveLength(1);
    expect(w[0]!.level).toBe('danger');
    expect(w[0]!.text).toContain('640 MiB');
    expect(w[0]!.text).toContain('512 MiB of /dev/shm by 128 MiB');
    expect(w[0]!.text).toContain('SIGBUS');
    expect(w[0]!.text).toMatch(/enlarge the tmpfs by 128 MiB or more, or set TMPDIR/);
    expect(w[0]!.text).not.toContain('\n');
  });

  it('is exact at the boundary: equal to the size is fine, one byte more is danger', () => {
    expect(memoryWarnings({ guestsMem: 512 * MiB, memfileFs: shm(), host: host() })).toEqual([]);
    const w = memoryWarnings({ guestsMem: 512 * MiB + 1, memfileFs: shm(), host: host() });
    expect(w.map((x) => x.level)).toEqual(['danger']);
  });

  it('warns when mem= exceeds free space plus what guests already hold there', () => {
    // 512M tmpfs, 400M used of which 100M are the guests' memory files: guests can reach 112 + 100 = 212M.
    const fsu = shm({ used: 400 * MiB, avail: 112 * MiB });
    const w = memoryWarnings({ guestsMem: 300 * MiB, memfileFs: fsu, host: host(), guestsAllocated: 100 * MiB });
    expect(w).toHaveLength(1);
    expect(w[0]!.level).toBe('warn');
    expect(w[0]!.text).toContain('212 MiB');
    expect(w[0]!.text).toContain('112 MiB free + 100 MiB already theirs');
    expect(w[0]!.text).toContain('by 88 MiB');
    // The same guests with their files already grown to 200M fit.
    expect(memoryWarnings({ guestsMem: 300 * MiB, memfileFs: fsu, host: host(), guestsAllocated: 200 * MiB })).toEqual([]);
  });

  it('counts nothing already allocated when guestsAllocated is left out', () => {
    const fsu = shm({ used: 400 * MiB, avail: 112 * MiB });
    expect(memoryWarnings({ guestsMem: 112 * MiB, memfileFs: fsu, host: host() })).toEqual([]);
    expect(memoryWarnings({ guestsMem: 113 * MiB, memfileFs: fsu, host: host() })[0]!.level).toBe('warn');
  });

  it('gives only the danger, not also the free-space warning, when mem= exceeds the size', () => {
    const w = memoryWarnings({ guestsMem: 600 * MiB, memfileFs: shm({ avail: 10 * MiB }), host: host() });
    expect(w.map((x) => x.level)).toEqual(['danger']);
  });

  it('is danger when mem= exceeds host RAM + swap', () => {
    const big = shm({ size: 64 * GiB, avail: 64 * GiB });
    expect(memoryWarnings({ guestsMem: 6 * GiB, memfileFs: big, host: host() })).toEqual([]);
    const w = memoryWarnings({ guestsMem: 7 * GiB, memfileFs: big, host: host() });
    expect(w).toEqual([{ level: 'danger', text: expect.stringContaining('RAM + swap (4 GiB + 2 GiB)') }]);
    expect(w[0]!.text).toContain('by 1 GiB');
  });

  it('treats a host without swap as RAM only', () => {
    const w = memoryWarnings({ guestsMem: 5 * GiB, memfileFs: shm({ size: 0, avail: 0 }), host: host({ swapTotal: 0 }) });
    expect(w.map((x) => x.level)).toEqual(['danger']);
    expect(w[0]!.text).toContain('(4 GiB + 0 B) by 1 GiB');
  });

  it('skips the filesystem checks for a tmpfs mounted with size=0 (no limit, statfs says 0)', () => {
    expect(memoryWarnings({ guestsMem: 1 * GiB, memfileFs: shm({ size: 0, avail: 0 }), host: host() })).toEqual([]);
  });

  it('skips the filesystem checks when the filesystem is unknown', () => {
    expect(memoryWarnings({ guestsMem: 1 * GiB, host: host() })).toEqual([]);
    expect(memoryWarnings({ guestsMem: 7 * GiB, host: host() }).map((x) => x.level)).toEqual(['danger']);
  });

  it('warns when memory files are not on tmpfs, naming the type', () => {
    const tmp: FsUsage = { path: '/tmp', type: 'other', typeHex: '0xef53', size: 200 * GiB, used: 20 * GiB, avail: 170 * GiB };
    const w = memoryWarnings({ guestsMem: 128 * MiB, memfileFs: tmp, host: host() });
    expect(w).toEqual([{ level: 'warn', text: expect.stringContaining('/tmp, which is not tmpfs (type 0xef53)') }]);
  });

  it('lists dangers before warnings, and each is one line', () => {
    const tmp: FsUsage = { path: '/scratch', type: 'other', typeHex: '0xef53', size: 1 * GiB, used: 0, avail: 1 * GiB };
    const w = memoryWarnings({ guestsMem: 8 * GiB, memfileFs: tmp, host: host() });
    expect(w.map((x) => x.level)).toEqual(['danger', 'danger', 'warn']);
    expect(w[0]!.text).toContain('make room there by 7 GiB');
    for (const x of w) expect(x.text).not.toMatch(/\n/);
  });
});

describe('parseMemSize', () => {
  it.each([
    ['64M', 64 * MiB],
    ['64m', 64 * MiB],
    ['128M', 128 * MiB],
    ['1G', GiB],
    ['2g', 2 * GiB],
    ['512K', 512 * 1024],
    ['1T', 2 ** 40],
    ['4096', 4096],
    ['0x1000', 4096],
    ['0x10M', 16 * MiB],
    [' 96M ', 96 * MiB],
    ['0', 0],
  ])('%s → %d', (text, bytes) => {
    expect(parseMemSize(text)).toBe(bytes);
  });

  it.each(['', 'M', '64MB', '64 M', '-1M', '1.5G', '64X', 'mem=64M', '99999999999999999999'])('rejects %j', (text) => {
    expect(() => parseMemSize(text)).toThrow(UsageError);
  });

  it('says what a size looks like', () => {
    try {
      parseMemSize('lots');
      expect.unreachable();
    } catch (err) {
      expect((err as UsageError).message).toBe('bad memory size "lots"');
      expect((err as UsageError).hint).toMatch(/mem=64M/);
    }
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1024, '1 KiB'],
    [1536, '1.5 KiB'],
    [64 * MiB, '64 MiB'],
    [28684288, '27.4 MiB'],
    [263458816, '251 MiB'],
    [1.5 * GiB, '1.5 GiB'],
    [25276502016, '23.5 GiB'],
    [1024 * MiB - 1, '1 GiB'],
    [2 ** 40, '1 TiB'],
    [-128 * MiB, '-128 MiB'],
  ])('%d → %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});

describe('startWarning', () => {
  const small = shm({ path: '/mnt/uml', size: 64 * MiB, used: 20 * MiB, avail: 44 * MiB });
  it('warns when the running guests, grown to their mem=, leave too little for the new one (64 MiB tmpfs, 48M + 48M)', () => {
    const w = startWarning({ name: 'web2', mem: 48 * MiB, memfileFs: small, running: [{ mem: 48 * MiB, allocated: 20 * MiB }] });
    expect(w).toBe(
      "web2's mem=48 MiB does not fit on /mnt/uml (64 MiB tmpfs): 16 MiB is left for it once the running guests use their mem= " +
        '(44 MiB free now, 28 MiB of it theirs to come); it dies with SIGBUS when the filesystem fills: enlarge it, set TMPDIR to a bigger tmpfs, or lower mem=',
    );
  });
  it('is silent when it fits, exactly at the boundary, and on a tmpfs without a size limit', () => {
    expect(startWarning({ name: 'a', mem: 48 * MiB, memfileFs: shm({ size: 64 * MiB, avail: 64 * MiB }), running: [] })).toBeUndefined();
    expect(startWarning({ name: 'a', mem: 16 * MiB, memfileFs: small, running: [{ mem: 48 * MiB, allocated: 20 * MiB }] })).toBeUndefined();
    expect(startWarning({ name: 'a', mem: 16 * MiB + 1, memfileFs: small, running: [{ mem: 48 * MiB, allocated: 20 * MiB }] })).toMatch(/does not fit/);
    expect(startWarning({ name: 'a', mem: 4 * GiB, memfileFs: shm({ size: 0, avail: 0 }), running: [] })).toBeUndefined();
  });
});
