// The TUI's colours as data (k9s skins): JSON files in the repo's themes/ folder and in CONFIG_DIR/themes/ (a user
// theme wins over a shipped one of the same name), each checked against one schema with one-line errors naming
// the file and the key (`themes/x.json: states.running: expected a colour name …, got "blu"`).
//
// Colours are blessed colour names or #rrggbb; names are written hyphenated (light-blue) because blessed's
// {light-blue-fg} tags only know that spelling, so every theme colour works both in a style and in a tag.
//
// NO_COLOR (https://no-color.org): the app uses monochrome(theme), where every colour is `default`, so emphasis
// has to come from attributes alone: bold for the focused pane's border and title, inverse for the selected
// sidebar row and the current search match; the guests' own console colours are not shown (paneColors false).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ERRNO_TEXT, UmuxError, UsageError, type ErrorFields } from '../core/errors.js';
import { closeMatches, orList } from '../core/suggest.js';
import { settingsDirOf, type Env } from '../protocol/locations.js';
import { GUEST_STATES, type GuestState } from '../protocol/guest-state.js';

/** A blessed colour name (`light-blue`, `default`) or `#rrggbb`. */
export type Colour = string;

export interface FgBg {
  fg: Colour;
  bg: Colour;
}

export interface Theme {
  /** The file's name without .json; `t` cycles through themes by it. */
  name: string;
  /** One line for the theme menu and docs. */
  description: string;
  /** The main area: text and background. */
  fg: Colour;
  bg: Colour;
  /** Pane and sidebar borders; borderFocus is the focused pane's. */
  border: Colour;
  borderFocus: Colour;
  /** Border labels: guest and console names. */
  title: Colour;
  sidebar: FgBg;
  /** The focused guest's sidebar row, badge included (state colours may clash with selected.bg). */
  selected: FgBg;
  /** The status line at the bottom. */
  status: FgBg;
  /** The `:` command line. */
  prompt: FgBg;
  /** A yes/no question in the status line (`stop web1? y/n`). */
  question: FgBg;
  /** Overlays: help, replies, events, recovery and hot-plug forms. */
  popup: FgBg & { border: Colour };
  /** Message colours: done, failed, for your information, careful. */
  ok: Colour;
  error: Colour;
  info: Colour;
  warn: Colour;
  /** Sidebar state badges: a colour for every guest state (protocol/guest-state.ts). */
  states: Record<GuestState, Colour>;
  /** Scrollback search: every match, and the one the cursor is on. */
  match: FgBg;
  currentMatch: FgBg;
  /** Line times in scrollback (t). */
  timestamp: Colour;
  /** Memory meters: the bar below gaugeLevels.warn, from warn, from danger (percent used); the empty track; the
   *  guests' mem= layer and mark on the memory-file meter. */
  gauge: Colour;
  gaugeWarn: Colour;
  gaugeDanger: Colour;
  gaugeTrack: Colour;
  gaugeMark: Colour;
  gaugeLevels: { warn: number; danger: number };
  /** Show the guests' own console colours; false draws consoles in fg/bg only. */
  paneColors: boolean;
}

export const DEFAULT_THEME = 'dark';

/** The repo's themes/ folder: this file runs as src/tui/theme.ts (tsx, vitest) or dist/tui/theme.js (tsc). */
export const BUILTIN_THEME_DIR = fileURLToPath(new URL('../../themes/', import.meta.url)).replace(/\/$/, '');

// ---- colours

const BASE = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const;

/** Every colour name a theme may use, in the spelling blessed understands both in styles and in tags. */
export const COLOUR_NAMES: readonly string[] = [
  'default',
  ...BASE,
  'gray',
  'grey',
  ...BASE.map((c) => `light-${c}`),
  ...BASE.map((c) => `bright-${c}`),
  'light-gray',
  'light-grey',
  'bright-gray',
  'bright-grey',
];

const COLOUR_SET = new Set(COLOUR_NAMES);
const HEX_RE = /^#[0-9a-fA-F]{6}$/;
const COLOUR_WHAT = 'a colour name (red, light-blue, …) or #rrggbb';

export function isColour(value: string): boolean {
  return COLOUR_SET.has(value) || HEX_RE.test(value);
}

// ---- the schema

type Spec = 'colour' | 'text' | 'boolean' | 'percent' | { readonly [key: string]: Spec };

const FG_BG = { fg: 'colour', bg: 'colour' } as const;

const SCHEMA: { readonly [key: string]: Spec } = {
  name: 'text',
  description: 'text',
  fg: 'colour',
  bg: 'colour',
  border: 'colour',
  borderFocus: 'colour',
  title: 'colour',
  sidebar: FG_BG,
  selected: FG_BG,
  status: FG_BG,
  prompt: FG_BG,
  question: FG_BG,
  popup: { fg: 'colour', bg: 'colour', border: 'colour' },
  ok: 'colour',
  error: 'colour',
  info: 'colour',
  warn: 'colour',
  states: Object.fromEntries(GUEST_STATES.map((s) => [s, 'colour'])),
  match: FG_BG,
  currentMatch: FG_BG,
  timestamp: 'colour',
  gauge: 'colour',
  gaugeWarn: 'colour',
  gaugeDanger: 'colour',
  gaugeTrack: 'colour',
  gaugeMark: 'colour',
  gaugeLevels: { warn: 'percent', danger: 'percent' },
  paneColors: 'boolean',
};

// ---- errors

/** Control characters would break the one-line rule: show them escaped, as JSON does. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

/** A broken theme file: `FILE: KEY: DETAIL`, or `FILE: DETAIL` about the whole file. */
export class ThemeError extends UsageError {
  /** The file as shown in the message (`themes/dark.json`, or a user theme's full path). */
  readonly file: string;
  /** Dotted key path at fault (`states.running`); '' for the whole file or its top level. */
  readonly key: string;

  constructor(file: string, key: string, detail: string, fields: ErrorFields = {}) {
    super(oneLine(key === '' ? `${file}: ${detail}` : `${file}: ${key}: ${detail}`), {
      ...fields,
      hint: oneLine(fields.hint ?? `fix it in ${file}; the shipped themes in ${BUILTIN_THEME_DIR} show every key`),
    });
    this.name = 'ThemeError';
    this.file = file;
    this.key = key;
  }
}

/** A JSON value as a user wrote it, for `got …`: strings quoted (long ones cut), other types named. */
function showJson(value: unknown): string {
  if (typeof value === 'string') {
    const chars = [...value];
    return JSON.stringify(chars.length > 60 ? `${chars.slice(0, 60).join('')}…` : value);
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${String(value)} (${typeof value})`;
}

/** For a value of the wrong type: strings say so too, `"yes" (string)`. */
function showJsonTyped(value: unknown): string {
  return typeof value === 'string' ? `${showJson(value)} (string)` : showJson(value);
}

/** `Expected ',' … in JSON at position 15 (line 3 column 5)` → `Expected ',' … at line 3 column 5`. */
function jsonReason(err: Error, text: string): string {
  let reason = err.message.split('\n')[0]!;
  // Newer V8 quotes the text itself (`Unexpected token 'x', "{x}" is not valid JSON`): the file is not news.
  reason = reason.replace(/, ".*" is not valid JSON$/, '').replace(/ \(line \d+ column \d+\)$/, '');
  let offset: number | undefined;
  const at = / at position (\d+)$/.exec(reason);
  if (at) {
    offset = Number(at[1]);
    reason = reason.slice(0, at.index).replace(/ in JSON$/, '');
  } else if (/^Unexpected end of JSON input$/.test(reason)) {
    offset = text.length;
  }
  if (offset === undefined) return reason;
  const before = text.slice(0, offset).split('\n');
  return `${reason} at line ${before.length} column ${before[before.length - 1]!.length + 1}`;
}

function check(file: string, key: string, spec: Spec, value: unknown): void {
  const where = (k: string): string => (key === '' ? k : `${key}.${k}`);
  if (spec === 'colour') {
    if (typeof value === 'string' && isColour(value)) return;
    let got = showJson(value);
    const near = typeof value === 'string' ? closeMatches(value, COLOUR_NAMES) : [];
    if (near.length > 0) got += ` (did you mean ${orList(near.map((n) => JSON.stringify(n)))}?)`;
    throw new ThemeError(file, key, `expected ${COLOUR_WHAT}, got ${got}`);
  }
  if (spec === 'text') {
    if (typeof value !== 'string' || value === '' || /[\u0000-\u001f\u007f]/.test(value)) {
      throw new ThemeError(file, key, `expected one line of text, got ${showJson(value)}`);
    }
    return;
  }
  if (spec === 'percent') {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 100) {
      throw new ThemeError(file, key, `expected a percentage from 0 to 100, got ${showJsonTyped(value)}`);
    }
    return;
  }
  if (spec === 'boolean') {
    if (typeof value !== 'boolean') throw new ThemeError(file, key, `expected true or false, got ${showJsonTyped(value)}`);
    return;
  }
  const known = Object.keys(spec);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const what = key === '' ? 'a JSON object of theme keys' : `an object with keys ${known.join(', ')}`;
    throw new ThemeError(file, key, `expected ${what}, got ${showJsonTyped(value)}`);
  }
  for (const k of Object.keys(value)) {
    if (Object.hasOwn(spec, k)) continue;
    const near = closeMatches(k, known);
    const suggestion = near.length > 0 ? ` (did you mean ${orList(near.map((n) => JSON.stringify(n)))}?)` : '';
    throw new ThemeError(file, key, `unknown key ${JSON.stringify(k)}${suggestion}`, {
      hint: near.length > 0 ? `rename it to ${near[0]} in ${file}` : `remove it from ${file}; the keys here are ${known.join(', ')}`,
    });
  }
  for (const k of known) {
    if (!Object.hasOwn(value, k)) {
      throw new ThemeError(file, key, `missing key ${JSON.stringify(k)}`, { hint: `every key is required: add ${JSON.stringify(k)} to ${file}` });
    }
    check(file, where(k), spec[k]!, (value as Record<string, unknown>)[k]);
  }
}

/** A theme's name from its file: `themes/dark.json` → `dark`. */
export function themeNameOf(file: string): string {
  return path.basename(file).replace(/\.json$/, '');
}

/** Parses and checks a theme file's text; `file` is shown in errors and names the theme. Throws ThemeError. */
export function parseTheme(text: string, file: string): Theme {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ThemeError(file, '', `not JSON: ${jsonReason(err as Error, text)}`, { cause: err });
  }
  check(file, '', SCHEMA, value);
  const theme = value as Theme;
  const expected = themeNameOf(file);
  if (theme.name !== expected) {
    throw new ThemeError(file, 'name', `expected ${JSON.stringify(expected)} (the file's name without .json), got ${showJson(theme.name)}`, {
      hint: `themes are chosen by file name: set "name": ${JSON.stringify(expected)}, or rename the file`,
    });
  }
  return theme;
}

// ---- finding and loading

export interface ThemeFile {
  name: string;
  /** Absolute path. */
  file: string;
  /** True for the themes shipped in the repo's themes/ folder. */
  builtIn: boolean;
}

const THEME_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Where themes are looked for, later folders winning: the repo's themes/, then umux's settings dir's themes/. */
export function themeDirs(env: Env, home: string = os.homedir()): string[] {
  return [BUILTIN_THEME_DIR, path.join(path.resolve(settingsDirOf(env, home)), 'themes')];
}

function errnoText(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  return (code && ERRNO_TEXT[code]) ?? (err instanceof Error ? err.message : String(err));
}

/**
 * The themes in `dirs`, sorted by name; a name in a later folder replaces an earlier one. Folders that do not
 * exist hold none; dot files and names that are not NAME.json are skipped.
 */
export function listThemes(dirs: readonly string[]): ThemeFile[] {
  const byName = new Map<string, ThemeFile>();
  for (const dir of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw new UmuxError(code === 'EACCES' || code === 'EPERM' ? 'permission' : 'io', `${dir}: cannot read the theme folder: ${errnoText(err)}`, {
        hint: `check ${dir} and its permissions`,
        cause: err,
      });
    }
    for (const entry of names) {
      if (!entry.endsWith('.json')) continue;
      const name = themeNameOf(entry);
      if (!THEME_NAME_RE.test(name)) continue;
      const resolved = path.resolve(dir);
      byName.set(name, { name, file: path.join(resolved, entry), builtIn: resolved === BUILTIN_THEME_DIR });
    }
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** How a theme file is named in messages: `themes/dark.json` for a shipped one, the full path for a user's. */
function shownPath(t: ThemeFile): string {
  return t.builtIn ? `themes/${path.basename(t.file)}` : t.file;
}

/**
 * Loads theme `name` from `dirs` (see listThemes). `source` says where the name came from, for the error when no
 * theme has it: `UMUX_THEME`, `tui.toml: theme`. Throws ThemeError for a broken file, UsageError for an unknown
 * name (listing the known ones), UmuxError 'io'/'permission' when the file cannot be read.
 */
export function loadTheme(name: string, dirs: readonly string[], source = 'theme'): Theme {
  const themes = listThemes(dirs);
  const found = THEME_NAME_RE.test(name) ? themes.find((t) => t.name === name) : undefined;
  if (!found) {
    const names = themes.map((t) => t.name);
    const near = closeMatches(name, names);
    const suggestion = near.length > 0 ? ` (did you mean ${orList(near.map((n) => JSON.stringify(n)))}?)` : '';
    const what = names.length > 0 ? `a theme name (${orList(names)})` : 'a theme name, but no theme files were found';
    throw new UsageError(oneLine(`${source}: expected ${what}, got ${JSON.stringify(name)}${suggestion}`), {
      hint: `themes are NAME.json files in ${dirs.join(' or ')}`,
    });
  }
  let text: string;
  try {
    text = fs.readFileSync(found.file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UmuxError(code === 'EACCES' || code === 'EPERM' ? 'permission' : 'io', `${shownPath(found)}: cannot read the theme: ${errnoText(err)}`, {
      hint: `check ${found.file} and its permissions`,
      cause: err,
    });
  }
  return parseTheme(text, shownPath(found));
}

/**
 * The theme with every colour `default` (NO_COLOR): the terminal's own colours everywhere and paneColors off.
 * The app must then mark the focus and the selection with attributes (bold, inverse, underline), not colour.
 */
export function monochrome(theme: Theme): Theme {
  const strip = (spec: Spec, value: unknown): unknown => {
    if (spec === 'colour') return 'default';
    if (typeof spec === 'string') return value;
    const v = value as Record<string, unknown>;
    return Object.fromEntries(Object.keys(spec).map((k) => [k, strip(spec[k]!, v[k])]));
  };
  return { ...(strip(SCHEMA, theme) as Theme), paneColors: false };
}
