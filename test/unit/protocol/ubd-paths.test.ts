import { describe, expect, it } from 'vitest';
import { absolutizeUbdPaths, resolvePath } from '../../../src/protocol/ubd-paths.js';

const CWD = '/home/a';

describe('absolutizeUbdPaths', () => {
  it('makes a relative ubd file absolute against the given directory', () => {
    expect(absolutizeUbdPaths('config ubdb=swap', CWD)).toBe('config ubdb=/home/a/swap');
  });

  it('makes both files of a COW pair absolute, keeping a comma separator', () => {
    expect(absolutizeUbdPaths('config ubdb=cow,backing', CWD)).toBe('config ubdb=/home/a/cow,/home/a/backing');
  });

  it('makes both files of a COW pair absolute, keeping a colon separator', () => {
    expect(absolutizeUbdPaths('config ubdc=cow:backing', CWD)).toBe('config ubdc=/home/a/cow:/home/a/backing');
  });

  it('rewrites only the relative half of a mixed COW pair', () => {
    expect(absolutizeUbdPaths('config ubdb=cow,/srv/backing', CWD)).toBe('config ubdb=/home/a/cow,/srv/backing');
    expect(absolutizeUbdPaths('config ubdb=/srv/cow,backing', CWD)).toBe('config ubdb=/srv/cow,/home/a/backing');
  });

  it('handles devices with flags and numbered devices', () => {
    expect(absolutizeUbdPaths('config ubdbr=disk.img', CWD)).toBe('config ubdbr=/home/a/disk.img');
    expect(absolutizeUbdPaths('config ubd0=root_fs', CWD)).toBe('config ubd0=/home/a/root_fs');
    expect(absolutizeUbdPaths('config ubd1sc=data', CWD)).toBe('config ubd1sc=/home/a/data');
  });

  it('folds ./ and ../ in relative names', () => {
    expect(absolutizeUbdPaths('config ubdb=../x', CWD)).toBe('config ubdb=/home/x');
    expect(absolutizeUbdPaths('config ubdb=./x', CWD)).toBe('config ubdb=/home/a/x');
    expect(absolutizeUbdPaths('config ubdb=images/../x', CWD)).toBe('config ubdb=/home/a/x');
  });

  it('leaves absolute files untouched', () => {
    expect(absolutizeUbdPaths('config ubdb=/tmp/x', CWD)).toBe('config ubdb=/tmp/x');
    expect(absolutizeUbdPaths('config ubdb=/tmp/x,/tmp/y', CWD)).toBe('config ubdb=/tmp/x,/tmp/y');
  });

  it('leaves commands that do not plug a ubd file untouched', () => {
    for (const command of [
      'config con1=pts',
      'config eth0=tuntap,tap0',
      'config ssl3=port:9020',
      'config mem=64M',
      'config ubdb',
      'remove ubdb',
      'log ubdb=swap',
      'version',
    ]) {
      expect(absolutizeUbdPaths(command, CWD), command).toBe(command);
    }
  });

  it('keeps the whitespace around the command', () => {
    expect(absolutizeUbdPaths('  config  ubdb=swap ', CWD)).toBe('  config  ubdb=/home/a/swap ');
  });
});

describe('resolvePath', () => {
  it('joins a relative path onto the directory', () => {
    expect(resolvePath('/home/a', 'b/c')).toBe('/home/a/b/c');
  });

  it('ignores the directory for an absolute path but still folds it', () => {
    expect(resolvePath('/home/a', '/x/./y/../z')).toBe('/x/z');
  });

  it('stops at the root when .. climbs past it', () => {
    expect(resolvePath('/', '../../x')).toBe('/x');
    expect(resolvePath('/home', '../..')).toBe('/');
  });

  it('collapses repeated slashes', () => {
    expect(resolvePath('/home//a/', 'b//c')).toBe('/home/a/b/c');
  });
});
