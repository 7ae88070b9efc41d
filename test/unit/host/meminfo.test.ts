// hostMemoryFrom on /proc/meminfo texts: a current kernel's and one without MemAvailable (before 3.14).

import { describe, expect, it } from 'vitest';
import { MconsoleError } from '../../../src/core/errors.js';
import { hostMemoryFrom } from '../../../src/host/meminfo.js';

const CURRENT = `MemTotal:       24684084 kB
MemFree:        23573108 kB
MemAvailable:   23811700 kB
Buffers:           10000 kB
Cached:           500000 kB
SwapCached:            0 kB
Shmem:             48372 kB
SwapTotal:       2097148 kB
SwapFree:        2000000 kB
HugePages_Total:       0
Hugepagesize:       2048 kB
`;

describe('hostMemoryFrom', () => {
  it('reads RAM, available, swap and shmem in bytes', () => {
    expect(hostMemoryFrom(CURRENT)).toEqual({
      ramTotal: 24684084 * 1024,
      ramAvailable: 23811700 * 1024,
      swapTotal: 2097148 * 1024,
      swapFree: 2000000 * 1024,
      shmem: 48372 * 1024,
    });
  });

  it('estimates available as free + buffers + cached on kernels without MemAvailable', () => {
    const old = CURRENT.replace(/^MemAvailable:.*\n/m, '');
    expect(hostMemoryFrom(old).ramAvailable).toBe((23573108 + 10000 + 500000) * 1024);
  });

  it('gives 0 for missing swap lines and rejects text without MemTotal', () => {
    expect(hostMemoryFrom('MemTotal: 1024 kB\nMemAvailable: 512 kB\n')).toMatchObject({ swapTotal: 0, swapFree: 0, shmem: 0 });
    expect(() => hostMemoryFrom('nonsense')).toThrow(MconsoleError);
  });
});
