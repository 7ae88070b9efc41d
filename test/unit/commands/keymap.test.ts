// The prefix-key map as data: the default bindings, their one-line summaries (help and README come from them),
// tui.toml's [keys] overrides applied tmux-style, and the prefix key names.

import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { ACTIONS, applyKeyOverrides, KEYMAP, KeymapError, prefixByte, type KeyAction } from '../../../src/commands/keymap.js';
import { PrefixKeys, KEYMAP as TUI_KEYMAP } from '../../../src/tui/keys.js';

const b = (s: string) => new TextEncoder().encode(s);
const pairs = (map: readonly KeyAction[]) => map.map((k) => `${k.key} ${k.action}`);

describe('KEYMAP', () => {
  it('binds exactly the default keys, in help order', () => {
    expect(pairs(KEYMAP)).toEqual([
      'n next-guest', 'p prev-guest', 'c next-console', 's split', 'x close-pane', 'z zoom', 'o next-pane',
      '[ scrollback', '/ search', 'g gauges', 'e events', 'r recover', 'h hotplug', ': command', 't theme',
      'd detach', '? help',
    ]);
  });

  it('names every action once, in ACTIONS order, and the TUI sees the same table', () => {
    expect(KEYMAP.map((k) => k.action)).toEqual([...ACTIONS]);
    expect(new Set(KEYMAP.map((k) => k.key)).size).toBe(KEYMAP.length);
    expect(TUI_KEYMAP).toBe(KEYMAP);
  });

  it('has one-line summaries in the house style: lowercase, no final period, short enough for the help overlay', () => {
    for (const k of KEYMAP) {
      expect(k.summary, k.action).toMatch(/^[a-z'"(:]/);
      expect(k.summary, k.action).not.toMatch(/[.\n]$|\n/);
      expect(k.summary.length, k.action).toBeLessThanOrEqual(80);
    }
    expect(new Set(KEYMAP.map((k) => k.summary)).size).toBe(KEYMAP.length);
  });

  it('says how to use scrollback and what hotplug offers', () => {
    const summary = (action: string) => KEYMAP.find((k) => k.action === action)!.summary;
    expect(summary('scrollback')).toMatch(/\/ searches, t toggles times, q leaves/);
    expect(summary('hotplug')).toMatch(/disk, console, serial line or memory/);
    expect(summary('split')).toMatch(/up to 4/);
  });
});

describe('applyKeyOverrides', () => {
  it('binds a new key to a known action, keeping its summary and its old key', () => {
    const map = applyKeyOverrides(KEYMAP, { Z: 'zoom' });
    const zoom = map.filter((k) => k.action === 'zoom');
    expect(zoom.map((k) => k.key)).toEqual(['z', 'Z']);
    expect(zoom[1]!.summary).toBe(zoom[0]!.summary);
    expect(map).toHaveLength(KEYMAP.length + 1);
  });

  it('replaces what a key did, and "none" unbinds it', () => {
    const map = applyKeyOverrides(KEYMAP, { n: 'help', d: 'none' });
    expect(map.filter((k) => k.key === 'n')).toEqual([{ key: 'n', action: 'help', summary: KEYMAP.find((k) => k.action === 'help')!.summary }]);
    expect(map.some((k) => k.key === 'd' || k.action === 'detach' || k.action === 'next-guest')).toBe(false);
  });

  it('keeps help order whatever the overrides, and leaves the base alone', () => {
    const base = KEYMAP.map((k) => ({ ...k }));
    const map = applyKeyOverrides(KEYMAP, { '!': 'next-guest', ' ': 'help', q: 'detach' });
    expect(map.slice(0, 3).map((k) => k.key)).toEqual(['n', '!', 'p']);
    expect(map.slice(-4).map((k) => k.key)).toEqual(['d', 'q', '?', ' ']);
    expect(map.map((k) => k.action)).toEqual([...map.map((k) => k.action)].sort((x, y) => ACTIONS.indexOf(x) - ACTIONS.indexOf(y)));
    expect(KEYMAP).toEqual(base);
    expect(applyKeyOverrides(KEYMAP, {})).toEqual(KEYMAP);
    expect(applyKeyOverrides(KEYMAP, {})).not.toBe(KEYMAP);
  });

  it("takes a rebound action's summary from the base map given", () => {
    const base: KeyAction[] = [{ key: 'z', action: 'zoom', summary: 'my zoom' }];
    expect(applyKeyOverrides(base, { y: 'zoom', w: 'help' })).toEqual([
      { key: 'z', action: 'zoom', summary: 'my zoom' },
      { key: 'y', action: 'zoom', summary: 'my zoom' },
      { key: 'w', action: 'help', summary: KEYMAP.find((k) => k.action === 'help')!.summary },
    ]);
  });

  it('refuses an unknown action, naming the key, the actions and what came, with a suggestion', () => {
    let err: unknown;
    try {
      applyKeyOverrides(KEYMAP, { Z: 'zoomm' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KeymapError);
    expect(err).toBeInstanceOf(UsageError);
    const e = err as KeymapError;
    expect(e.message).toBe(`key "Z": expected an action (${ACTIONS.join(', ')}) or "none", got "zoomm" (did you mean "zoom"?)`);
    expect(e).toMatchObject({ code: 'usage', key: 'Z', got: '"zoomm" (did you mean "zoom"?)' });
    expect(e.hint).toMatch(/Z = "zoom"/);
    expect(() => applyKeyOverrides(KEYMAP, { z: 'frobnicate' })).toThrow(/^key "z": expected an action \(next-guest, .*, help\) or "none", got "frobnicate"$/);
    expect(() => applyKeyOverrides(KEYMAP, { z: '' })).toThrow(/got ""$/);
  });

  it('refuses a key that is not one printable ASCII character', () => {
    for (const key of ['ab', '', 'é', '\t', '\x7f', 'C-a']) {
      expect(() => applyKeyOverrides(KEYMAP, { [key]: 'zoom' }), JSON.stringify(key)).toThrow(
        `key ${JSON.stringify(key)}: expected one printable ASCII character such as z or [, got ${JSON.stringify(key)}`,
      );
    }
    expect(applyKeyOverrides(KEYMAP, { '~': 'zoom', ' ': 'zoom' }).filter((k) => k.action === 'zoom')).toHaveLength(3);
  });

  it('feeds PrefixKeys: the new key acts, the unbound one is reported', () => {
    const keys = new PrefixKeys(0x1d, applyKeyOverrides(KEYMAP, { Z: 'zoom', n: 'none' }));
    expect(keys.feed(b('\x1dZ\x1dn\x1dz'))).toEqual([
      { kind: 'action', action: 'zoom' },
      { kind: 'unbound', key: 'n' },
      { kind: 'action', action: 'zoom' },
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
