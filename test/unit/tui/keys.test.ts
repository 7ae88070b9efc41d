// The prefix key: plain typing goes to the guest, prefix + key runs the command line bound to it, prefix twice types the prefix.

import { describe, expect, it } from 'vitest';
import { parsePrefix, PrefixKeys } from '../../../src/tui/keys.js';

const b = (s: string) => new TextEncoder().encode(s);

describe('PrefixKeys', () => {
  it('passes typing through and turns prefix + key into command lines, even split across reads', () => {
    const k = new PrefixKeys(0x1d);
    expect(k.feed(b('ls\r'))).toEqual([{ kind: 'guest', bytes: b('ls\r') }]);
    expect(k.feed(b('ab\x1dnc'))).toEqual([{ kind: 'guest', bytes: b('ab') }, { kind: 'command', line: 'next-guest', end: 4 }, { kind: 'guest', bytes: b('c') }]);
    expect(k.feed(b('\x1d'))).toEqual([]);
    expect(k.waitingForKey).toBe(true);
    expect(k.feed(b(':'))).toEqual([{ kind: 'command', line: 'command', end: 1 }]);
    expect(k.feed(b('\x1d\x1d'))).toEqual([{ kind: 'guest', bytes: Uint8Array.of(0x1d) }]);
    expect(k.feed(b('\x1dZ'))).toEqual([{ kind: 'unbound', key: 'Z' }]);
  });

  it('parses prefix names', () => {
    expect(parsePrefix('C-]')).toBe(0x1d);
    expect(parsePrefix('C-g')).toBe(7);
    expect(parsePrefix('C-A')).toBe(1);
    expect(() => parsePrefix('Alt-x')).toThrow(/UMUX_PREFIX: expected a prefix key like C-\] or C-g, got "Alt-x"/);
  });
});

describe('parsePrefix', () => {
  it('names where a bad prefix came from', () => {
    expect(() => parsePrefix('C-1', 'tui.toml: prefix')).toThrow('tui.toml: prefix: expected a prefix key like C-] or C-g, got "C-1"');
    expect(parsePrefix('C-@', 'tui.toml: prefix')).toBe(0);
  });
});
