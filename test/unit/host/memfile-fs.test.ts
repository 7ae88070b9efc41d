// The memory-file directory as UML 6.1 chooses it (TMPDIR, TMP, TEMP, then /dev/shm if tmpfs, then /tmp), statfs
// numbers turned into bytes (fixtures from this host's /dev/shm and an ext4 /), and statFs errors with hints.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UmuxError } from '../../../src/core/errors.js';
import { fsUsageFrom, memfileDir, statFs, TMPFS_MAGIC } from '../../../src/host/memfile-fs.js';

describe('memfileDir', () => {
  const yes = (): boolean => true;
  const no = (): boolean => false;

  it('takes TMPDIR, then TMP, then TEMP, tmpfs or not', () => {
    expect(memfileDir({ TMPDIR: '/scratch', TMP: '/a', TEMP: '/b' }, yes)).toBe('/scratch');
    expect(memfileDir({ TMP: '/a', TEMP: '/b' }, yes)).toBe('/a');
    expect(memfileDir({ TEMP: '/b' }, no)).toBe('/b');
  });

  it('ignores empty variables, as UML does', () => {
    expect(memfileDir({ TMPDIR: '', TMP: '/a' }, yes)).toBe('/a');
    expect(memfileDir({ TMPDIR: '' }, yes)).toBe('/dev/shm');
  });

  it('uses /dev/shm when it is tmpfs, else /tmp', () => {
    expect(memfileDir({}, (d) => d === '/dev/shm')).toBe('/dev/shm');
    expect(memfileDir({}, no)).toBe('/tmp');
  });

  it('asks only about /dev/shm when no variable is set', () => {
    const asked: string[] = [];
    memfileDir({}, (d) => (asked.push(d), false));
    expect(asked).toEqual(['/dev/shm']);
  });
});

describe('fsUsageFrom', () => {
  it('maps a tmpfs statfs (this host: stat -f /dev/shm) to bytes as df does', () => {
    const u = fsUsageFrom('/dev/shm', { type: 0x01021994, bsize: 4096, blocks: 6171021, bfree: 6161139, bavail: 6161139 });
    expect(u).toEqual({
      path: '/dev/shm',
      type: 'tmpfs',
      typeHex: '0x1021994',
      size: 25276502016,
      used: 40476672,
      avail: 25236025344,
    });
  });

  it('calls anything else other, keeping the magic; avail excludes root-reserved blocks', () => {
    const u = fsUsageFrom('/tmp', { type: 0xef53, bsize: 4096, blocks: 66053998, bfree: 60275392, bavail: 57000000 });
    expect(u.type).toBe('other');
    expect(u.typeHex).toBe('0xef53');
    expect(u.size).toBe(66053998 * 4096);
    expect(u.used).toBe((66053998 - 60275392) * 4096);
    expect(u.avail).toBe(57000000 * 4096);
  });

  it.each([
    [0x58465342, '0x58465342'],
    [0x9123683e, '0x9123683e'],
    [0x794c7630, '0x794c7630'],
    [0x858458f6, '0x858458f6'], // ramfs: not tmpfs, and UML would warn
  ])('other type %d → %s', (type, hex) => {
    expect(fsUsageFrom('/x', { type, bsize: 4096, blocks: 1, bfree: 1, bavail: 1 })).toMatchObject({ type: 'other', typeHex: hex });
  });

  it('reports a size=0 tmpfs (no limit) as size 0', () => {
    const u = fsUsageFrom('/mnt/t', { type: TMPFS_MAGIC, bsize: 4096, blocks: 0, bfree: 0, bavail: 0 });
    expect(u).toMatchObject({ type: 'tmpfs', size: 0, used: 0, avail: 0 });
  });
});

describe('statFs', () => {
  it('reads a real directory', () => {
    const u = statFs(os.tmpdir());
    expect(u.size).toBeGreaterThan(0);
    expect(u.used + u.avail).toBeLessThanOrEqual(u.size);
  });

  it('explains a missing directory: UML would exit at once', () => {
    const missing = path.join(os.tmpdir(), `umux-no-such-${process.pid}`, 'dir');
    let caught: unknown;
    try {
      statFs(missing);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(UmuxError);
    const e = caught as UmuxError;
    expect(e.code).toBe('io');
    expect(e.message).toBe(`memory-file directory ${missing} does not exist`);
    expect(e.hint).toMatch(/UML exits at once.*TMPDIR/);
  });

  it('explains a path through a regular file (ENOTDIR) the same way', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'umx-fs-')), 'f');
    fs.writeFileSync(file, '');
    try {
      expect(() => statFs(path.join(file, 'sub'))).toThrow(/does not exist/);
    } finally {
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
    }
  });
});
