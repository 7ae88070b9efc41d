// Commit points of kept consoles: recorded in place, read back, and the log cut back to one (into the rotated file
// that was current then, which becomes current again).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogCommit, readCommit, rewindLog } from '../../../src/consoles/log-commit.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umux-commit-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const ino = (f: string) => fs.statSync(path.join(dir, f)).ino;

describe('log commit points', () => {
  it('records the last point in place and reads it back', () => {
    fs.writeFileSync(path.join(dir, 'con0.log'), 'abc');
    const c = new LogCommit(dir, 'con0');
    c.record({ offset: 10, ino: 1, size: 3, channel: '5.1' });
    c.record({ offset: 12345678, ino: ino('con0.log'), size: 3, channel: '1700000000000.2' });
    c.dispose();
    expect(readCommit(dir, 'con0')).toEqual({ offset: 12345678, ino: ino('con0.log'), size: 3, channel: '1700000000000.2' });
    expect(fs.statSync(path.join(dir, '.con0.kept')).size).toBe(64);
    expect(fs.statSync(path.join(dir, '.con0.kept')).mode & 0o777).toBe(0o600);
  });

  it('has no point for a missing or garbled record', () => {
    expect(readCommit(dir, 'con0')).toBeUndefined();
    fs.writeFileSync(path.join(dir, '.con0.kept'), 'not a record');
    expect(readCommit(dir, 'con0')).toBeUndefined();
  });

  it('cuts the current file back to the point', () => {
    fs.writeFileSync(path.join(dir, 'con0.log'), 'logged\nnot yet recorded');
    expect(rewindLog(dir, 'con0', { offset: 7, ino: ino('con0.log'), size: 7, channel: '1.1' })).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'con0.log'), 'utf8')).toBe('logged\n');
  });

  it('goes back into the rotated file that was current, drops newer files and makes it current again', () => {
    fs.writeFileSync(path.join(dir, 'con0.log.2'), 'oldest\n');
    fs.writeFileSync(path.join(dir, 'con0.log.1'), 'kept\nunrecorded\n');
    fs.writeFileSync(path.join(dir, 'con0.log'), 'after the point\n');
    const point = { offset: 99, ino: ino('con0.log.1'), size: 5, channel: '1.1' };
    expect(rewindLog(dir, 'con0', point)).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'con0.log'), 'utf8')).toBe('kept\n');
    expect(fs.readFileSync(path.join(dir, 'con0.log.1'), 'utf8')).toBe('oldest\n');
    expect(fs.existsSync(path.join(dir, 'con0.log.2'))).toBe(false);
  });

  it("leaves the log alone when the point's file is gone", () => {
    fs.writeFileSync(path.join(dir, 'con0.log'), 'whatever\n');
    expect(rewindLog(dir, 'con0', { offset: 1, ino: 123456789, size: 1, channel: '1.1' })).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'con0.log'), 'utf8')).toBe('whatever\n');
  });
});
