// The prefix-key map as data: each key binds a command line (tmux's bind-key), the default bindings and their
// one-line summaries (help and README come from them), tui.toml's [keys] overrides applied tmux-style, and the
// prefix key names.

import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { applyKeyOverrides, KEYMAP, KeymapError, lineSummary, LINE_WHAT, prefixByte, type KeyBinding } from '../../../src/commands/keymap.js';
import { TUI_COMMANDS } from '../../../src/commands/tui-table.js';
import { findCommand } from '../../../src/commands/table.js';
import { PrefixKeys, KEYMAP as TUI_KEYMAP } from '../../../src/tui/keys.js';

const b = (s: string) => new TextEncoder().encode(s);
const pairs = (map: readonly KeyBinding[]) => map.map((k) => `${k.key} ${k.line}`);

describe('KEYMAP', () => {
  it('binds exactly the default keys, in help order', () => {
    expect(pairs(KEYMAP)).toEqual([
      'n next-guest', 'p prev-guest', 'j goto', 'f filter', 'G group', 'c next-console', 's split', 'x close-pane', 'z zoom', 'o next-pane',
      '[ scrollback', '/ search', 'g gauges', 'e events', 'r recover', 'h hotplug', ': command', 't theme',
      'd detach', '? help',
    ]);
  });

  it('binds every TUI command once, and the TUI sees the same table', () => {
    for (const c of TUI_COMMANDS) expect(KEYMAP.filter((k) => k.line === c.name), c.name).toHaveLength(1);
    expect(new Set(KEYMAP.map((k) => k.key)).size).toBe(KEYMAP.length);
    expect(TUI_KEYMAP).toBe(KEYMAP);
  });

  it('has one-line summaries in the house style: lowercase, no final period, short enough for the help overlay', () => {
    for (const k of KEYMAP) {
      expect(k.summary, k.line).toMatch(/^[a-z'"(:]/);
      expect(k.summary, k.line).not.toMatch(/[.\n]$|\n/);
      expect(k.summary.length, k.line).toBeLessThanOrEqual(110);
    }
    expect(new Set(KEYMAP.map((k) => k.summary)).size).toBe(KEYMAP.length);
  });

  it("takes each summary from the command the line runs", () => {
    const summary = (line: string) => KEYMAP.find((k) => k.line === line)!.summary;
    expect(summary('scrollback')).toMatch(/\/ searches, t toggles times, q leaves/);
    expect(summary('hotplug')).toMatch(/disk, console, serial line or memory/);
    expect(summary('split')).toMatch(/up to 4/);
    expect(summary('events')).toBe("print a guest's event log (all guests' without NAME): state changes, stop steps, notifications");
    expect(findCommand('events')!.summary).toMatch(/^Print a guest/);
  });
});

describe('lineSummary', () => {
  it('names the line and what its command does when it has arguments, and MConsole verbs too', () => {
    expect(lineSummary('sysrq s')).toMatch(/^sysrq s: send a magic SysRq letter/);
    expect(lineSummary('proc meminfo')).toMatch(/^proc meminfo: .*\(MConsole, on the focused guest\)$/);
    expect(lineSummary('zoom')).toBe(KEYMAP.find((k) => k.line === 'zoom')!.summary);
  });
});

describe('applyKeyOverrides', () => {
  it('binds a new key to a command line, keeping its summary and its old key', () => {
    const map = applyKeyOverrides(KEYMAP, { Z: 'zoom' });
    const zoom = map.filter((k) => k.line === 'zoom');
    expect(zoom.map((k) => k.key)).toEqual(['z', 'Z']);
    expect(zoom[1]!.summary).toBe(zoom[0]!.summary);
    expect(map).toHaveLength(KEYMAP.length + 1);
  });

  it('binds command lines with arguments and MConsole verbs, after the defaults, spaces tidied', () => {
    const map = applyKeyOverrides(KEYMAP, { S: 'sysrq   s', B: 'backup', P: 'proc meminfo' });
    expect(map.slice(-3)).toEqual([
      { key: 'S', line: 'sysrq s', summary: lineSummary('sysrq s') },
      { key: 'B', line: 'backup', summary: lineSummary('backup') },
      { key: 'P', line: 'proc meminfo', summary: lineSummary('proc meminfo') },
    ]);
  });

  it('replaces what a key did, and "none" unbinds it', () => {
    const map = applyKeyOverrides(KEYMAP, { n: 'help', d: 'none' });
    expect(map.filter((k) => k.key === 'n')).toEqual([{ key: 'n', line: 'help', summary: KEYMAP.find((k) => k.line === 'help')!.summary }]);
    expect(map.some((k) => k.key === 'd' || k.line === 'detach' || k.line === 'next-guest')).toBe(false);
  });

  it('keeps help order whatever the overrides, and leaves the base alone', () => {
    const base = KEYMAP.map((k) => ({ ...k }));
    const map = applyKeyOverrides(KEYMAP, { '!': 'next-guest', ' ': 'help', q: 'detach' });
    expect(map.slice(0, 3).map((k) => k.key)).toEqual(['n', '!', 'p']);
    expect(map.slice(-4).map((k) => k.key)).toEqual(['d', 'q', '?', ' ']);
    expect(KEYMAP).toEqual(base);
    expect(applyKeyOverrides(KEYMAP, {})).toEqual(KEYMAP);
    expect(applyKeyOverrides(KEYMAP, {})).not.toBe(KEYMAP);
  });

  it("takes a rebound line's summary from the base map given", () => {
    const base: KeyBinding[] = [{ key: 'z', line: 'zoom', summary: 'my zoom' }];
    expect(applyKeyOverrides(base, { y: 'zoom', w: 'help' })).toEqual([
      { key: 'z', line: 'zoom', summary: 'my zoom' },
      { key: 'y', line: 'zoom', summary: 'my zoom' },
      { key: 'w', line: 'help', summary: KEYMAP.find((k) => k.line === 'help')!.summary },
    ]);
  });

  it('refuses an unknown command, naming the key, what it takes and what came, with a suggestion', () => {
    let err: unknown;
    try {
      applyKeyOverrides(KEYMAP, { Z: 'zoomm' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KeymapError);
    expect(err).toBeInstanceOf(UsageError);
    const e = err as KeymapError;
    expect(e.message).toBe(`key "Z": expected ${LINE_WHAT}, got "zoomm" (did you mean "zoom"?)`);
    expect(e).toMatchObject({ code: 'usage', key: 'Z', got: '"zoomm" (did you mean "zoom"?)' });
    expect(e.hint).toMatch(/Z = "zoom" or Z = "sysrq s"/);
    expect(() => applyKeyOverrides(KEYMAP, { z: 'frobnicate' })).toThrow(/^key "z": expected a command line: a TUI command \(next-guest, .*detach\), .*got "frobnicate"$/);
    expect(() => applyKeyOverrides(KEYMAP, { z: '' })).toThrow(/got ""$/);
  });

  it('refuses a umux command the TUI cannot run, saying it runs from the shell', () => {
    expect(() => applyKeyOverrides(KEYMAP, { A: 'attach web1' })).toThrow(/got "attach web1" \(attach runs from the shell, not in the TUI\)$/);
    expect(() => applyKeyOverrides(KEYMAP, { A: 'demo' })).toThrow(/\(demo runs from the shell/);
  });

  it('refuses a key that is not one printable ASCII character', () => {
    for (const key of ['ab', '', 'é', '\t', '\x7f', 'C-a']) {
      expect(() => applyKeyOverrides(KEYMAP, { [key]: 'zoom' }), JSON.stringify(key)).toThrow(
        `key ${JSON.stringify(key)}: expected one printable ASCII character such as z or [, got ${JSON.stringify(key)}`,
      );
    }
    expect(applyKeyOverrides(KEYMAP, { '~': 'zoom', ' ': 'zoom' }).filter((k) => k.line === 'zoom')).toHaveLength(3);
  });

  it('feeds PrefixKeys: the new key runs its line, the unbound one is reported', () => {
    const keys = new PrefixKeys(0x1d, applyKeyOverrides(KEYMAP, { Z: 'zoom', S: 'sysrq s', n: 'none' }));
    expect(keys.feed(b('\x1dZ\x1dn\x1dz\x1dS'))).toEqual([
      { kind: 'command', line: 'zoom', end: 2 },
      { kind: 'unbound', key: 'n' },
      { kind: 'command', line: 'zoom', end: 6 },
      { kind: 'command', line: 'sysrq s', end: 8 },
    ]);
  });
});

describe('prefixByte', () => {
  it('reads C- and a letter or one of [ \\ ] ^ _ @', () => {
    expect(prefixByte('C-]')).toBe(0x1d);
    expect(prefixByte('C-a')).toBe(1);
    expect(prefixByte('C-Z')).toBe(26);
    expect(prefixByte('C-[')).toBe(0x1b);
    expect(prefixByte('C-\\')).toBe(0x1c);
    expect(prefixByte('C-@')).toBe(0);
  });

  it('knows no other names', () => {
    for (const name of ['', 'C-', 'C-1', 'C-ab', 'M-a', 'Alt-x', 'c-a', 'C-é', ']']) expect(prefixByte(name), name).toBeUndefined();
  });
});
