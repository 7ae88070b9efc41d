// The small pieces under the guest definition parser: ConfigError's one-line shape, TOML value naming, sizes,
// close matches for mistyped keys, key lines, ubd disk specs and the kernel arguments that are umux's.

import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { UmuxError } from '../../../src/core/errors.js';
import { ConfigError } from '../../../src/config/config-error.js';
import { GUEST_KEY_NAMES } from '../../../src/config/guest-keys.js';
import { closeMatches, lineOfKey, orList, parseSize, showTyped, showValue, tomlType } from '../../../src/config/toml-values.js';
import { checkArgs, parseDisk } from '../../../src/config/uml-args.js';

describe('ConfigError', () => {
  it('reads FILE: KEY: expected WHAT, got GOT, with the file kept whole for tools', () => {
    const err = ConfigError.expected('/etc/umux/web1.toml', 'mem', 'a size such as 256M or 1G', '"lots"', { line: 3, hint: 'write mem = "256M"' });
    expect(err).toBeInstanceOf(UmuxError);
    expect(err.name).toBe('ConfigError');
    expect(err.message).toBe('web1.toml: mem: expected a size such as 256M or 1G, got "lots"');
    expect(err).toMatchObject({ code: 'usage', file: '/etc/umux/web1.toml', key: 'mem', line: 3, column: undefined });
    expect(err.describe()).toBe('web1.toml: mem: expected a size such as 256M or 1G, got "lots"\n  hint: write mem = "256M"');
  });

  it('puts line and column in place of a key for whole-file errors', () => {
    expect(new ConfigError('/a/b.toml', '', 'invalid TOML: x', { line: 2, column: 7 }).message).toBe('b.toml:2:7: invalid TOML: x');
    expect(new ConfigError('/a/b.toml', '', 'cannot read it').message).toBe('b.toml: cannot read it');
    expect(new ConfigError('/a/dir', '', 'gone', { fullPath: true, code: 'io' })).toMatchObject({ message: '/a/dir: gone', code: 'io' });
  });

  it('keeps message and hint on one line whatever they hold', () => {
    const err = new ConfigError('/a/we\nb.toml', 'k\r', 'x\ty', { hint: 'a\nb' });
    expect(err.message).toBe('we\\nb.toml: k\\r: x\\ty');
    expect(err.hint).toBe('a\\nb');
  });
});

describe('TOML values', () => {
  const doc = parse('s = "x"\ni = 3\nf = 2.5\nw = 2.0\nb = false\na = [1]\nt = { x = 1 }\nd = 1979-05-27T07:32:00Z\nn = -inf', { integersAsBigInt: true });

  it('names each TOML type', () => {
    expect(Object.values(doc).map(tomlType)).toEqual(['string', 'integer', 'float', 'float', 'boolean', 'array', 'table', 'date-time', 'float']);
  });

  it('shows each value as it would be written', () => {
    expect(Object.values(doc).map(showValue)).toEqual(['"x"', '3', '2.5', '2.0', 'false', 'an array', 'a table', '1979-05-27T07:32:00.000Z', '-inf']);
    expect(Object.values(doc).map(showTyped)).toEqual([
      '"x" (string)', '3 (integer)', '2.5 (float)', '2.0 (float)', 'false (boolean)', 'an array', 'a table',
      '1979-05-27T07:32:00.000Z (date-time)', '-inf (float)',
    ]);
  });

  it('cuts long strings at 60 characters', () => {
    expect(showValue('é'.repeat(61))).toBe(`"${'é'.repeat(60)}…"`);
    expect(showValue('é'.repeat(60))).toBe(`"${'é'.repeat(60)}"`);
  });

  it('reads sizes in binary units', () => {
    expect(['4096', '4K', '4k', '16M', '1G'].map(parseSize)).toEqual([4096, 4096, 4096, 16 * 2 ** 20, 2 ** 30]);
    expect(['', '16MB', '1.5G', '-1K', 'K', '1T', '99999999999999999G'].map(parseSize)).toEqual(Array(7).fill(undefined));
  });

  it('finds close matches among the guest keys', () => {
    const m = (w: string): string[] => closeMatches(w, GUEST_KEY_NAMES);
    expect(m('memory')).toEqual(['mem']);
    expect(m('MEM')).toEqual(['mem']);
    expect(m('UmlDir')).toEqual(['uml_dir']);
    expect(m('scrolback')).toEqual(['scrollback']);
    expect(m('log_max_byte')).toEqual(['log_max_bytes']);
    expect(m('restart_max_delay')).toEqual(['restart_max_delay_ms']);
    expect(m('x')).toEqual([]);
    expect(m('network')).toEqual([]);
  });

  it('joins words with commas and a final or', () => {
    expect([[], ['a'], ['a', 'b'], ['a', 'b', 'c']].map(orList)).toEqual(['', 'a', 'a or b', 'a, b or c']);
  });

  it('finds the line a key is set on, in each way TOML sets one', () => {
    const text = '# mem = "no"\nkernel = "/k"\n  "mem" = "1G"\n[cwd]\nconsoles.x = 1\nmemory = 1';
    expect(lineOfKey(text, 'mem')).toBe(3);
    expect(lineOfKey(text, 'cwd')).toBe(4);
    expect(lineOfKey(text, 'consoles')).toBe(5);
    expect(lineOfKey(text, 'memory')).toBe(6);
    expect(lineOfKey(text, 'umid')).toBeUndefined();
  });
});

describe('parseDisk', () => {
  const abs = (p: string): string => (p.startsWith('/') ? p : `/cwd/${p}`);

  it('numbers devices from ubda and ubd0 alike, and makes both files absolute', () => {
    expect(parseDisk('ubda=root.img', abs)).toEqual({ device: 0, files: ['/cwd/root.img'], spec: 'ubda=/cwd/root.img' });
    expect(parseDisk('ubd3rs=/d.img', abs)).toEqual({ device: 3, files: ['/d.img'], spec: 'ubd3rs=/d.img' });
    expect(parseDisk('ubdc=cow:back', abs)).toEqual({ device: 2, files: ['/cwd/cow', '/cwd/back'], spec: 'ubdc=/cwd/cow,/cwd/back' });
  });

  it('refuses what UML would not take', () => {
    for (const spec of ['ubda', 'ubda=', 'ubd=/x', 'ubdA=/x', 'ubdq=/x', 'ubd16=/x', 'ubdaz=/x', 'hda=/x', 'ubda=/a,/b,/c', 'ubda=,/b']) {
      expect(parseDisk(spec, abs), spec).toBeUndefined();
    }
  });
});

describe('checkArgs', () => {
  it('passes ordinary kernel arguments', () => {
    expect(checkArgs(['quiet', 'console=tty0', 'eth0=tuntap,tap0', 'root=/dev/ubda', 'consoleblank=0', 'sslx'], false)).toBeUndefined();
  });

  it('names the first argument that is umux\'s, and the key to use', () => {
    expect(checkArgs(['quiet', 'ssl=null', 'mem=1G'], false)).toEqual({
      arg: 'ssl=null',
      what: 'no ssl= (use the serials key)',
      hint: 'remove it from args and write serials = 1',
    });
    expect(checkArgs(['umid=web1'], false)?.hint).toBe('remove it from args and write umid = "web1"');
  });

  it('keeps root=, rootfstype= and hostfs= for hostfs_root only when it is set', () => {
    expect(checkArgs(['rootfstype=hostfs'], false)).toBeUndefined();
    expect(checkArgs(['rootfstype=hostfs'], true)?.what).toBe('no rootfstype= when hostfs_root is set (umux sets it)');
  });
});
