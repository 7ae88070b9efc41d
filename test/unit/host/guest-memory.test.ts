// smaps_rollup parsing, and guestHostMemory / findMemfile on this test process: an unlinked file it holds open is
// found like a guest's memory file; pids that do not exist give undefined fields, never a throw.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { findMemfile, guestHostMemory, parseSmapsRollup, processGroup } from '../../../src/host/guest-memory.js';

const ROLLUP = `557b932d9000-7ffc4ce0d000 ---p 00000000 00:00 0                          [rollup]
Rss:               95124 kB
Pss:               78310 kB
Pss_Dirty:          1200 kB
Pss_Shmem:         70000 kB
Shared_Clean:       1608 kB
SwapPss:               0 kB
`;

/** A pid that is surely free: above pid_max. */
const NO_PID = 2 ** 22 + 7;

describe('parseSmapsRollup', () => {
  it('reads Rss and Pss (not Pss_Dirty) in bytes', () => {
    expect(parseSmapsRollup(ROLLUP)).toEqual({ rss: 95124 * 1024, pss: 78310 * 1024 });
  });

  it('gives undefined for a text without them (an empty read of another user\'s file)', () => {
    expect(parseSmapsRollup('')).toBeUndefined();
    expect(parseSmapsRollup('Rss: 1 kB\n')).toBeUndefined();
  });
});

describe('guestHostMemory', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-mem-'));
  const file = path.join(dir, 'vm_file-test');
  const fd = fs.openSync(file, 'w+');
  fs.writeSync(fd, Buffer.alloc(64 * 1024, 1), 0, 64 * 1024, 0);
  fs.ftruncateSync(fd, 2 ** 30); // sparse: 1 GiB mapped size (the largest such file here), 64 KiB allocated
  fs.unlinkSync(file);
  afterAll(() => {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('finds an unlinked regular file held open, with mapped and allocated size', () => {
    const m = findMemfile(process.pid);
    expect(m).toBeDefined();
    expect(m!.path).toBe(`${file} (deleted)`);
    expect(m!.size).toBe(2 ** 30);
    expect(m!.allocated).toBeGreaterThanOrEqual(64 * 1024);
    expect(m!.allocated).toBeLessThan(m!.size);
  });

  it('looks only on the filesystem asked for', () => {
    expect(findMemfile(process.pid, fs.statSync(dir).dev)?.path).toBe(`${file} (deleted)`);
    expect(findMemfile(process.pid, -1)).toBeUndefined();
  });

  it('sums PSS and RSS over the given members', () => {
    const m = guestHostMemory(process.pid, { members: [process.pid] });
    expect(m.pids).toEqual([process.pid]);
    expect(m.pss).toBeGreaterThan(0);
    expect(m.rss).toBeGreaterThanOrEqual(m.pss!);
    expect(m.memfile?.path).toBe(`${file} (deleted)`);
  });

  it('gives undefined fields for a pid that does not exist, without throwing', () => {
    expect(guestHostMemory(NO_PID)).toEqual({ pids: [] });
    expect(guestHostMemory(NO_PID, { members: [NO_PID] })).toEqual({ pids: [] });
    expect(findMemfile(NO_PID)).toBeUndefined();
  });

  it('skips members that vanished and keeps the sum of the rest', () => {
    const m = guestHostMemory(process.pid, { members: [process.pid, NO_PID] });
    expect(m.pids).toEqual([process.pid]);
    expect(m.pss).toBeGreaterThan(0);
  });

  it('finds no memory file when the directory asked for does not exist', () => {
    const m = guestHostMemory(process.pid, { members: [process.pid], dir: path.join(dir, 'missing') });
    expect(m.memfile).toBeUndefined();
    expect(m.pss).toBeGreaterThan(0);
  });

  it('gives PSS and RSS undefined when a member is permission-denied (another user\'s guest)', () => {
    const real = fs.readFileSync;
    const spy = vi.spyOn(fs, 'readFileSync').mockImplementation(((file: fs.PathOrFileDescriptor, opts?: unknown) => {
      if (file === `/proc/${process.pid}/smaps_rollup`) {
        throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
      }
      return real(file, opts as BufferEncoding);
    }) as typeof fs.readFileSync);
    try {
      const m = guestHostMemory(process.pid, { members: [process.pid] });
      expect(m.pids).toEqual([process.pid]);
      expect(m.pss).toBeUndefined();
      expect(m.rss).toBeUndefined();
      expect(m.memfile).toBeDefined(); // the fd scan does not depend on smaps_rollup
    } finally {
      spy.mockRestore();
    }
  });

  it('processGroup lists this process under its own group', () => {
    const pgid = Number(fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ')[2]);
    expect(processGroup(pgid)).toContain(process.pid);
    expect(processGroup(NO_PID)).toEqual([]);
  });
});
