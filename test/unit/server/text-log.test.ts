// TextLog on real files with a fake full disk: lines that cannot be written are held and written late, in order and
// byte for byte; the hold bound drops the oldest with a note in their place; nothing throws.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TextLog } from '../../../src/server/text-log.js';

let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-textlog-'));
  file = path.join(dir, 'events.log');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const read = () => fs.readFileSync(file, 'utf8');

/** A disk with `free` bytes left: writes take what fits, then fail with ENOSPC. */
function fullDisk(free: number) {
  const disk = {
    free,
    writeSync(fd: number, data: Uint8Array, offset: number, length: number): number {
      if (disk.free <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = fs.writeSync(fd, data, offset, Math.min(length, disk.free));
      disk.free -= n;
      return n;
    },
  };
  return disk;
}

describe('TextLog', () => {
  it('appends each line with a newline, creating the file 0600', () => {
    const log = new TextLog(file);
    log.append('one');
    log.append('two');
    expect(read()).toBe('one\ntwo\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('holds what a full disk refuses and writes it late, in order, a cut line completed byte for byte', () => {
    const disk = fullDisk(Infinity);
    const log = new TextLog(file, { writeSync: disk.writeSync });
    log.append('first');
    disk.free = 3;
    log.append('second'); // 'sec' fits
    log.append('third');
    expect(read()).toBe('first\nsec');
    expect(log.pending).toBe(2);
    disk.free = Infinity;
    log.append('fourth');
    expect(read()).toBe('first\nsecond\nthird\nfourth\n');
    expect(log.pending).toBe(0);
  });

  it('drops the oldest beyond the bound and notes how many, why and when, on a line of its own', () => {
    const disk = fullDisk(Infinity);
    let t = Date.parse('2026-11-22T05:40:00.000Z');
    const log = new TextLog(file, { writeSync: disk.writeSync, holdBytes: 20, now: () => new Date(t) });
    log.append('kept');
    disk.free = 2;
    for (const n of [1, 2, 3, 4, 5]) {
      t += 1000;
      log.append(`line ${n}`); // 'li' of line 1 fits; 7 bytes each, 20 held at most: lines 1-3 are dropped at 4 and 5
    }
    expect(read()).toBe('kept\nli');
    disk.free = Infinity;
    t += 1000;
    log.append('line 6');
    expect(read()).toBe(
      'kept\nli\n2026-11-22T05:40:06.000Z umux: 3 lines (19 bytes) of this file could not be written (ENOSPC (no space left on device)) ' +
        'and were dropped between 2026-11-22T05:40:04.000Z and 2026-11-22T05:40:05.000Z\nline 4\nline 5\nline 6\n',
    );
  });

  it('never throws: with no directory to write in, it holds the lines until there is one', () => {
    const log = new TextLog(path.join(dir, 'gone', 'server.log'));
    expect(() => log.append('early')).not.toThrow();
    expect(log.pending).toBe(1);
    fs.mkdirSync(path.join(dir, 'gone'));
    log.append('late');
    expect(fs.readFileSync(path.join(dir, 'gone', 'server.log'), 'utf8')).toBe('early\nlate\n');
  });
});
