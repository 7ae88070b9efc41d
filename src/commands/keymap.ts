// The TUI's prefix-key map (tmux's key table, as data): each key binds a command line (`z = "zoom"`,
// `S = "sysrq s"`), run as the `:` line runs it. The help overlay and the README's key table are generated from it;
// tui.toml's [keys] table and the prefix key (tui.toml `prefix`, UMUX_PREFIX) are checked here, so the config
// reader and the TUI agree.

import { UsageError, type ErrorFields } from '../core/errors.js';
import { closeMatches, orList } from '../core/suggest.js';
import { findVerb, VERBS } from '../protocol/mconsole-verbs.js';
import { COMMANDS } from './table.js';
import { findTuiLineCommand, runsInTui, TUI_COMMANDS } from './tui-table.js';

/** The default bindings: a key typed after the prefix, and the command line it runs (tmux's bind-key). */
const DEFAULT_BINDINGS: ReadonlyArray<readonly [string, string]> = [
  ['n', 'next-guest'],
  ['p', 'prev-guest'],
  ['j', 'goto'],
  ['f', 'filter'],
  ['G', 'group'],
  ['c', 'next-console'],
  ['s', 'split'],
  ['x', 'close-pane'],
  ['z', 'zoom'],
  ['o', 'next-pane'],
  ['[', 'scrollback'],
  ['/', 'search'],
  ['g', 'gauges'],
  ['e', 'events'],
  ['r', 'recover'],
  ['h', 'hotplug'],
  [':', 'command'],
  ['t', 'theme'],
  ['d', 'detach'],
  ['?', 'help'],
];

/** The word that unbinds a key in tui.toml's [keys] table: `q = "none"`. */
export const UNBIND = 'none';

export interface KeyBinding {
  /** One printable ASCII character, typed after the prefix. */
  key: string;
  /** The command line it runs, as typed at `:` (the focused guest goes in where the command takes one). */
  line: string;
  /** One line, lowercase, no final period: shown in the help overlay and the README. */
  summary: string;
}

const words = (line: string) => line.trim().split(/\s+/).filter(Boolean);

/** What a command line's first word is, for the TUI: its summary, or undefined when the TUI cannot run it. */
function firstWordSummary(word: string): string | undefined {
  const command = findTuiLineCommand(word);
  if (command && runsInTui(command)) return command.summary;
  return command ? undefined : findVerb(word)?.summary.concat(' (MConsole, on the focused guest)');
}

/** The summary help shows for a binding: the command's own for a bare command, else the line and what it runs. */
export function lineSummary(line: string): string {
  const [first, ...rest] = words(line);
  const summary = firstWordSummary(first ?? '') ?? line;
  const lower = summary.charAt(0).toLowerCase() + summary.slice(1);
  return rest.length === 0 ? lower : `${line.trim()}: ${lower}`;
}

/** The default prefix-key map; help is generated from it. */
export const KEYMAP: readonly KeyBinding[] = DEFAULT_BINDINGS.map(([key, line]) => ({ key, line, summary: lineSummary(line) }));

/** A key as a TOML key path segment: `z`, `"["`. */
export function showKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

export const KEY_WHAT = 'one printable ASCII character such as z or [';
export const LINE_WHAT = `a command line: a TUI command (${TUI_COMMANDS.map((c) => c.name).join(', ')}), a umux command such as "sysrq s", an MConsole verb, or "${UNBIND}"`;

/**
 * A bad [keys] entry: the message names the key, what was expected and what came
 * (`key "Z": expected a command line (…), got "zoomm" (did you mean "zoom"?)`);
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

/** Every first word a binding may start with, for suggestions. */
function knownWords(): string[] {
  return [...TUI_COMMANDS.map((c) => c.name), ...COMMANDS.filter(runsInTui).map((c) => c.name), ...VERBS.map((v) => v.verb), UNBIND];
}

/** Why `line` cannot be bound (what came, with a suggestion), or undefined when the TUI can run it. */
function lineProblem(line: unknown): string | undefined {
  if (typeof line !== 'string') return String(line);
  const first = words(line)[0];
  if (line === UNBIND || (first !== undefined && firstWordSummary(first) !== undefined)) return undefined;
  const got = JSON.stringify(line);
  const command = first === undefined ? undefined : findTuiLineCommand(first);
  if (command) return `${got} (${command.name} runs from the shell, not in the TUI)`;
  const near = first === undefined ? [] : closeMatches(first, knownWords());
  return near.length > 0 ? `${got} (did you mean ${orList(near.map((n) => JSON.stringify(n)))}?)` : got;
}

/**
 * `base` with `overrides` applied, as tmux's bind/unbind do: each entry binds a key to a command line (the key's
 * old binding goes; other keys keep theirs) or, with "none", unbinds the key. Bindings of the default lines keep
 * their default order and new lines follow in the order bound, so help reads the same whatever the overrides.
 * Throws KeymapError.
 */
export function applyKeyOverrides(base: readonly KeyBinding[], overrides: Readonly<Record<string, string>>): KeyBinding[] {
  const map = new Map<string, KeyBinding>(base.map((k) => [k.key, { ...k }]));
  for (const [key, line] of Object.entries(overrides)) {
    if (!isKey(key)) throw new KeymapError(key, KEY_WHAT, JSON.stringify(key), { hint: 'name keys by the character typed after the prefix: z = "zoom"' });
    const problem = lineProblem(line);
    if (problem !== undefined) {
      throw new KeymapError(key, LINE_WHAT, problem, { hint: `write it like ${showKey(key)} = "zoom" or ${showKey(key)} = "sysrq s", or ${showKey(key)} = "${UNBIND}" to unbind it` });
    }
    map.delete(key);
    if (line === UNBIND) continue;
    const normal = words(line).join(' ');
    const summary = base.find((k) => k.line === normal)?.summary ?? lineSummary(normal);
    map.set(key, { key, line: normal, summary });
  }
  const order = (k: KeyBinding): number => {
    const at = DEFAULT_BINDINGS.findIndex(([, line]) => line === k.line);
    return at < 0 ? DEFAULT_BINDINGS.length : at;
  };
  // Array.prototype.sort is stable: keys of one line, and new lines, keep the order they were bound in.
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
