// The TUI's prefix-key map (tmux's key table, as data): one row per key naming an action and saying in one line
// what it does. The help overlay and the README's key table are generated from it; tui.toml's [keys] table and
// the prefix key (tui.toml `prefix`, UMUX_PREFIX) are checked here, so the config reader and the TUI agree.

import { UsageError, type ErrorFields } from '../core/errors.js';
import { closeMatches, orList } from '../core/suggest.js';

/** Every action a key can name, in the order help lists them. */
export const ACTIONS = [
  'next-guest',
  'prev-guest',
  'next-console',
  'split',
  'close-pane',
  'zoom',
  'next-pane',
  'scrollback',
  'search',
  'gauges',
  'events',
  'recover',
  'hotplug',
  'command',
  'theme',
  'detach',
  'help',
] as const;

export type ActionName = (typeof ACTIONS)[number];

/** The word that unbinds a key in tui.toml's [keys] table: `q = "none"`. */
export const UNBIND = 'none';

export interface KeyAction {
  /** One printable ASCII character, typed after the prefix. */
  key: string;
  /** Action name, one of ACTIONS. */
  action: ActionName;
  /** One line, lowercase, no final period: shown in the help overlay and the README. */
  summary: string;
}

/** The default prefix-key map; help is generated from it. */
export const KEYMAP: readonly KeyAction[] = [
  { key: 'n', action: 'next-guest', summary: 'focus the next guest in the sidebar' },
  { key: 'p', action: 'prev-guest', summary: 'focus the previous guest in the sidebar' },
  { key: 'c', action: 'next-console', summary: "show the focused guest's next console or serial line" },
  { key: 's', action: 'split', summary: 'open another pane (up to 4) on the next guest not shown yet' },
  { key: 'x', action: 'close-pane', summary: 'close the focused pane; its guest keeps running' },
  { key: 'z', action: 'zoom', summary: 'let the focused pane fill the main area (again to restore the panes)' },
  { key: 'o', action: 'next-pane', summary: 'move the focus to the next pane' },
  { key: '[', action: 'scrollback', summary: "scroll the focused pane's history: / searches, t toggles times, q leaves" },
  { key: '/', action: 'search', summary: "search the focused pane's history (scrollback and / at once)" },
  { key: 'g', action: 'gauges', summary: 'host memory gauges and history (again to close)' },
  { key: 'e', action: 'events', summary: "the focused guest's event log: states, stop steps, notifications" },
  { key: 'r', action: 'recover', summary: 'recovery menu for the focused guest, for when it hangs or panics' },
  { key: 'h', action: 'hotplug', summary: 'hot-plug a disk, console, serial line or memory into the focused guest' },
  { key: ':', action: 'command', summary: 'umux command or MConsole verb on the focused guest (:sysrq m, :config ubdb=/x)' },
  { key: 't', action: 'theme', summary: 'switch to the next theme' },
  { key: 'd', action: 'detach', summary: 'leave the TUI; guests and the server keep running' },
  { key: '?', action: 'help', summary: 'list these keys' },
];

const SUMMARY: ReadonlyMap<string, string> = new Map(KEYMAP.map((k) => [k.action, k.summary]));

export function isAction(name: string): name is ActionName {
  return (ACTIONS as readonly string[]).includes(name);
}

/** A key as a TOML key path segment: `z`, `"["`. */
export function showKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

export const KEY_WHAT = 'one printable ASCII character such as z or [';
export const ACTION_WHAT = `an action (${ACTIONS.join(', ')}) or "${UNBIND}"`;

/**
 * A bad [keys] entry: the message names the key, what was expected and what came
 * (`key "Z": expected an action (next-guest, …) or "none", got "zoomm" (did you mean "zoom"?)`);
 * `key`, `expected` and `got` let a config reader put the same words after its own `FILE: keys.Z: `.
 */
export class KeymapError extends UsageError {
  readonly key: string;
  readonly expected: string;
  readonly got: string;

  constructor(key: string, expected: string, got: string, fields: ErrorFields = {}) {
    super(`key ${JSON.stringify(key)}: expected ${expected}, got ${got}`, fields);
    this.name = 'KeymapError';
    this.key = key;
    this.expected = expected;
    this.got = got;
  }
}

function isKey(key: string): boolean {
  return key.length === 1 && key.charCodeAt(0) >= 0x20 && key.charCodeAt(0) <= 0x7e;
}

/**
 * `base` with `overrides` applied, as tmux's bind/unbind do: each entry binds a key to an action (the key's old
 * binding goes; the action keeps any other keys it has, and its summary) or, with "none", unbinds the key.
 * The result is in ACTIONS order, so help reads the same whatever the overrides. Throws KeymapError.
 */
export function applyKeyOverrides(base: readonly KeyAction[], overrides: Readonly<Record<string, string>>): KeyAction[] {
  const map = new Map<string, KeyAction>(base.map((k) => [k.key, { ...k }]));
  for (const [key, action] of Object.entries(overrides)) {
    if (!isKey(key)) throw new KeymapError(key, KEY_WHAT, JSON.stringify(key), { hint: 'name keys by the character typed after the prefix: z = "zoom"' });
    if (typeof action !== 'string' || (action !== UNBIND && !isAction(action))) {
      const got = typeof action === 'string' ? JSON.stringify(action) : String(action);
      const near = typeof action === 'string' ? closeMatches(action, [...ACTIONS, UNBIND]) : [];
      throw new KeymapError(key, ACTION_WHAT, near.length > 0 ? `${got} (did you mean ${orList(near.map((n) => JSON.stringify(n)))}?)` : got, {
        hint: `write it like ${showKey(key)} = "zoom", or ${showKey(key)} = "${UNBIND}" to unbind it`,
      });
    }
    map.delete(key);
    if (action === UNBIND) continue;
    const summary = base.find((k) => k.action === action)?.summary ?? SUMMARY.get(action) ?? action;
    map.set(key, { key, action, summary });
  }
  const order = (k: KeyAction): number => ACTIONS.indexOf(k.action);
  // Array.prototype.sort is stable: keys of one action keep the order they were bound in.
  return [...map.values()].sort((a, b) => order(a) - order(b));
}

/** The prefix when neither tui.toml nor UMUX_PREFIX names one. */
export const DEFAULT_PREFIX = 'C-]';

export const PREFIX_WHAT = 'a prefix key like C-] or C-g';
export const PREFIX_HINT = 'pick one that screen (C-a) and tmux (C-b) leave alone, e.g. C-g';

const PREFIX_SPECIAL: Readonly<Record<string, number>> = { '[': 0x1b, '\\': 0x1c, ']': 0x1d, '^': 0x1e, _: 0x1f, '@': 0 };

/** `C-]` → 0x1d, `C-g` → 0x07: the byte of a Control-key name; undefined when it names none. */
export function prefixByte(name: string): number | undefined {
  const m = /^C-(.)$/.exec(name);
  if (!m) return undefined;
  const c = m[1]!.toLowerCase().charCodeAt(0);
  if (c >= 0x61 && c <= 0x7a) return c - 0x60;
  return PREFIX_SPECIAL[m[1]!];
}
