// files/: the socket directory check (links, other users, writable by others), mkdir -p that ends under /proc,
// and reading planted files without following links or blocking on a FIFO.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDirs } from '../../../src/files/make-dirs.js';
import { checkPrivateDir, ensurePrivateDir, privateDirProblem } from '../../../src/files/private-dir.js';
import { readSmallFile } from '../../../src/files/safe-open.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-files-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const me = process.getuid?.() ?? 0;
const dir = (mode: number, uid = me) => ({ isDirectory: true, isSymbolicLink: false, uid, mode: 0o40000 | mode });

describe('privateDirProblem', () => {
  it('takes a 0700 directory of ours, and one only others may read (the server tightens it)', () => {
    expect(privateDirProblem('/d', dir(0o700), me)).toBeUndefined();
    expect(privateDirProblem('/d', dir(0o755), me)).toBeUndefined();
  });
  it('refuses another user\'s directory, naming both uids', () => {
    expect(privateDirProblem('/tmp/umux-0', dir(0o700, 1234), 0)?.message).toBe('socket directory /tmp/umux-0 belongs to uid 1234, not to you (uid 0): someone else made it');
  });
  it('refuses a link and a plain file', () => {
    expect(privateDirProblem('/d', { ...dir(0o777), isSymbolicLink: true, isDirectory: false }, me)?.message).toBe('socket directory /d is a symbolic link, not a directory');
    expect(privateDirProblem('/d', { ...dir(0o600), isDirectory: false }, me)?.message).toBe('socket directory /d is not a directory');
  });
  it('refuses a directory of ours that others may write into, with the mode', () => {
    const p = privateDirProblem('/d', dir(0o777), me);
    expect(p?.message).toBe('socket directory /d is writable by others (mode 0777): anyone could have put a socket there');
    expect(p?.hint).toContain('chmod 700 /d');
    expect(privateDirProblem('/d', dir(0o720), me)?.code).toBe('permission');
  });
});

describe('checkPrivateDir and ensurePrivateDir on the real file system', () => {
  it('says false for a missing directory, creates it 0700, and tightens a readable one', () => {
    const d = path.join(tmp, 'sock', 'inner');
    expect(checkPrivateDir(d)).toBe(false);
    expect(ensurePrivateDir(d)).toBe(d);
    expect(fs.statSync(d).mode & 0o777).toBe(0o700);
    fs.chmodSync(d, 0o755);
    ensurePrivateDir(d);
    expect(fs.statSync(d).mode & 0o777).toBe(0o700);
  });
  it('refuses a symbolic link to a directory of ours', () => {
    const real = path.join(tmp, 'real');
    fs.mkdirSync(real, { mode: 0o700 });
    const link = path.join(tmp, 'link');
    fs.symlinkSync(real, link);
    expect(() => checkPrivateDir(link)).toThrow(`socket directory ${link} is a symbolic link, not a directory`);
    expect(() => ensurePrivateDir(link)).toThrow('symbolic link');
  });
});

describe('makeDirs', () => {
  it('creates missing parents with the mode and leaves existing ones alone', () => {
    const d = path.join(tmp, 'a', 'b', 'c');
    expect(makeDirs(d, 'test directory')).toBe(d);
    expect(fs.statSync(path.join(tmp, 'a')).mode & 0o777).toBe(0o700);
    expect(makeDirs(d, 'test directory')).toBe(d);
  });
  it('ends at once under /proc with the first component that cannot be made (Node 20 recursive mkdir spins there)', () => {
    const t0 = Date.now();
    expect(() => makeDirs('/proc/umux-nowhere/x', 'backup directory')).toThrow('cannot create backup directory /proc/umux-nowhere/x (at /proc/umux-nowhere): ENOENT');
    expect(Date.now() - t0).toBeLessThan(1000);
  });
  it('names a file in the way', () => {
    const f = path.join(tmp, 'plain');
    fs.writeFileSync(f, '');
    expect(() => makeDirs(path.join(f, 'x'), 'uml_dir')).toThrow(`cannot create uml_dir ${f}/x (at ${f}): ENOTDIR`);
  });
});

describe('readSmallFile', () => {
  it('reads a small regular file', () => {
    const f = path.join(tmp, 'pid');
    fs.writeFileSync(f, '1234\n');
    expect(readSmallFile(f)).toBe('1234\n');
  });
  it('does not follow a link, read a big file, or block on a FIFO', () => {
    const target = path.join(tmp, 'target');
    fs.writeFileSync(target, 'secret');
    const link = path.join(tmp, 'pid-link');
    fs.symlinkSync(target, link);
    expect(readSmallFile(link)).toBeUndefined();
    const big = path.join(tmp, 'big');
    fs.writeFileSync(big, 'x'.repeat(5000));
    expect(readSmallFile(big, 4096)).toBeUndefined();
    const fifo = path.join(tmp, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const t0 = Date.now();
    expect(readSmallFile(fifo)).toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(readSmallFile(path.join(tmp, 'missing'))).toBeUndefined();
  });
});
