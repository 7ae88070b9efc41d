// The start bundle's code cache store (launch/code-cache.ts): where it lives, which directories and files it trusts,
// the header that catches a changed or cut file, and the names that change with every build.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheName, codeCacheDir, decodeCache, encodeCache, privateDir, readCodeCache, writeCodeCache } from '../../../src/launch/code-cache.js';

const uid = process.getuid!();
let base: string;

beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-cc-'));
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

describe('codeCacheDir', () => {
  it('is XDG_CACHE_HOME/umux, else ~/.cache/umux, and nothing for a relative or missing base', () => {
    expect(codeCacheDir({ XDG_CACHE_HOME: '/c', HOME: '/h' })).toBe('/c/umux');
    expect(codeCacheDir({ HOME: '/h' })).toBe('/h/.cache/umux');
    expect(codeCacheDir({ XDG_CACHE_HOME: 'rel', HOME: '' })).toBeUndefined();
    expect(codeCacheDir({})).toBeUndefined();
  });
});

describe('privateDir', () => {
  it('makes the directory 0700 (and its parents), and takes it again', () => {
    const dir = path.join(base, 'a', 'b', 'umux');
    expect(privateDir(dir, uid)).toBe(true);
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(privateDir(dir, uid)).toBe(true);
  });

  it('refuses a directory others may write, one of another user, and a symlink', () => {
    const open = path.join(base, 'open');
    fs.mkdirSync(open, { mode: 0o700 });
    fs.chmodSync(open, 0o770);
    expect(privateDir(open, uid)).toBe(false);
    const mine = path.join(base, 'mine');
    fs.mkdirSync(mine, { mode: 0o700 });
    expect(privateDir(mine, uid + 1)).toBe(false);
    const link = path.join(base, 'link');
    fs.symlinkSync(mine, link);
    expect(privateDir(link, uid)).toBe(false);
  });
});

describe('the cache file', () => {
  const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));

  it('round-trips, and a cut, changed or foreign file reads as none', () => {
    const enc = encodeCache(data);
    expect(decodeCache(enc)?.equals(data)).toBe(true);
    expect(decodeCache(enc.subarray(0, enc.length - 1))).toBeUndefined();
    const flipped = Buffer.from(enc);
    flipped[flipped.length - 100]! ^= 1;
    expect(decodeCache(flipped)).toBeUndefined();
    expect(decodeCache(data)).toBeUndefined();
    expect(decodeCache(Buffer.alloc(0))).toBeUndefined();
  });

  it('is written 0600 and read back; others may not have written it; a symlink is not followed', () => {
    const names = { prefix: 'tui-x-', name: 'tui-x-1.v8' };
    expect(writeCodeCache(base, names, data)).toBe(true);
    const file = path.join(base, names.name);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(readCodeCache(base, names.name, uid)?.equals(data)).toBe(true);
    expect(readCodeCache(base, names.name, uid + 1)).toBeUndefined();
    fs.chmodSync(file, 0o666);
    expect(readCodeCache(base, names.name, uid)).toBeUndefined();
    fs.chmodSync(file, 0o600);
    fs.symlinkSync(file, path.join(base, 'tui-x-2.v8'));
    expect(readCodeCache(base, 'tui-x-2.v8', uid)).toBeUndefined();
    expect(readCodeCache(base, 'missing.v8', uid)).toBeUndefined();
  });

  it('a new build replaces the older builds of the same bundle and program, not the others', () => {
    for (const f of ['tui-x-old.v8', 'cli-x-old.v8', 'tui-y-old.v8']) fs.writeFileSync(path.join(base, f), 'x');
    expect(writeCodeCache(base, { prefix: 'tui-x-', name: 'tui-x-new.v8' }, data)).toBe(true);
    expect(fs.readdirSync(base).sort()).toEqual(['cli-x-old.v8', 'tui-x-new.v8', 'tui-y-old.v8']);
  });

  it('is not written into a directory that is not there', () => {
    expect(writeCodeCache(path.join(base, 'gone'), { prefix: 'a-', name: 'a-1.v8' }, data)).toBe(false);
  });
});

describe('cacheName', () => {
  const id = { bundle: '/u/dist/umux.cjs', stat: { size: 10, mtimeMs: 1, ino: 7 }, flavor: 'tui', node: 'v20 x64' };
  it('changes with the build, the node and its flags, keeps its prefix per bundle and program', () => {
    const a = cacheName(id);
    expect(a.name.startsWith(a.prefix)).toBe(true);
    expect(a.prefix).toMatch(/^tui-[0-9a-f]{16}-$/);
    expect(cacheName({ ...id }).name).toBe(a.name);
    for (const other of [{ ...id, stat: { ...id.stat, mtimeMs: 2 } }, { ...id, stat: { ...id.stat, size: 11 } }, { ...id, stat: { ...id.stat, ino: 8 } }, { ...id, node: 'v20 x64 --cpu-prof' }]) {
      const b = cacheName(other);
      expect(b.prefix).toBe(a.prefix);
      expect(b.name).not.toBe(a.name);
    }
    expect(cacheName({ ...id, flavor: 'cli' }).prefix).not.toBe(a.prefix);
    expect(cacheName({ ...id, bundle: '/v/dist/umux.cjs' }).prefix).not.toBe(a.prefix);
  });
});
