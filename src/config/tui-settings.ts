// The TUI's own settings, ~/.config/umux/tui.toml (or $UMUX_CONFIG_DIR/tui.toml, beside the guest definitions, which
// is why the guest loader skips this one file name):
//
//   prefix = "C-g"          # the prefix key (default C-])
//   theme = "light"         # a theme from themes/ or ~/.config/umux/themes/ (default dark)
//   mouse = true            # click to focus, wheel to scroll (default false)
//   notify = "osc9"         # desktop notifications through the terminal: osc9, osc777 or none (default none)
//   [keys]                  # prefix-key overrides: key = command line, or "none" to unbind
//   z = "zoom"
//   q = "none"
//
// The environment still wins over the file: UMUX_PREFIX over `prefix`, UMUX_THEME over `theme` (so one session
// can try another prefix or theme without editing the file). Every mistake is a one-line ConfigError naming the
// file, the key, what was expected and what was found, with a suggestion for a mistyped key.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ERRNO_TEXT, UsageError } from '../core/errors.js';
import { LINE_WHAT, applyKeyOverrides, KEYMAP, KeymapError, PREFIX_HINT, PREFIX_WHAT, prefixByte, showKey } from '../commands/keymap.js';
import { configDirOf, settingsDirOf, type Env } from '../protocol/locations.js';
import { ConfigError, parseTomlFile } from './config-error.js';
import { NOTIFY_MODES, type NotifyMode } from '../protocol/notify-modes.js';
import { closeMatches, lineOfKey, orList, showTyped, showValue } from './toml-values.js';

/** The file name in CONFIG_DIR; the guest loader skips it (it is no guest definition). */
export const TUI_SETTINGS_FILE = 'tui.toml';

export interface TuiSettings {
  /** The prefix key name (`C-g`): UMUX_PREFIX, else tui.toml's `prefix`; undefined means the default, C-]. */
  prefix?: string;
  /** The theme name: UMUX_THEME, else tui.toml's `theme`; undefined means the default, dark. Not checked here. */
  theme?: string;
  /** Where `theme` came from, for loadTheme's error when no theme has that name: `UMUX_THEME` or `tui.toml: theme`. */
  themeSource?: string;
  /** Mouse support in the TUI. */
  mouse: boolean;
  /** Desktop notifications through the terminal when a guest off screen needs attention (tui/notify.ts). */
  notify?: NotifyMode;
  /** tui.toml's [keys] table, already checked: applyKeyOverrides(KEYMAP, keys) does not throw. */
  keys: Record<string, string>;
  /** Absolute path of tui.toml (whether or not it exists). */
  file: string;
  /** Other tui.toml files found where umux does not read them, each with a sentence saying so (shown in the TUI). */
  ignored?: string[];
}

export interface TuiSettingKey {
  key: string;
  type: string;
  default: string;
  summary: string;
  example: string;
}

/** The keys of tui.toml, for docs and for the unknown-key check. */
export const TUI_SETTING_KEYS: readonly TuiSettingKey[] = [
  { key: 'prefix', type: 'string', default: 'C-]', summary: 'the prefix key, C- and a letter or one of [ \\ ] ^ _ @ (UMUX_PREFIX wins)', example: 'prefix = "C-g"' },
  { key: 'theme', type: 'string', default: 'dark', summary: 'the colour theme: dark, light, high-contrast or one in ~/.config/umux/themes (UMUX_THEME wins)', example: 'theme = "light"' },
  { key: 'mouse', type: 'boolean', default: 'false', summary: 'click to focus a guest or pane, wheel to scroll', example: 'mouse = true' },
  { key: 'notify', type: 'osc9|osc777|none', default: 'none', summary: 'a desktop notification through the terminal when a guest no pane shows panics, hangs or goes stale (in tmux: set allow-passthrough on)', example: 'notify = "osc9"' },
  { key: 'keys', type: 'table', default: '{}', summary: 'prefix-key overrides: a key and the command line it runs (zoom, sysrq s, proc meminfo), or "none" to unbind it', example: '[keys]\nz = "zoom"\nS = "sysrq s"' },
];

const KEY_NAMES = TUI_SETTING_KEYS.map((k) => k.key);

function example(key: string): string {
  return TUI_SETTING_KEYS.find((k) => k.key === key)!.example;
}

/** tui.toml in umux's settings directory, absolute: ~/.config/umux/tui.toml, or $UMUX_CONFIG_DIR/tui.toml. */
export function tuiSettingsFile(env: Env, home: string = os.homedir()): string {
  return path.join(path.resolve(settingsDirOf(env, home)), TUI_SETTINGS_FILE);
}

/** Places a tui.toml is put by mistake: the guests directory, and ~/.config/umux when UMUX_CONFIG_DIR moves it. */
function strayTuiSettings(env: Env, home: string, file: string): string[] {
  const places = [configDirOf(env, home), settingsDirOf({ ...env, UMUX_CONFIG_DIR: undefined }, home)];
  const found = [...new Set(places.map((d) => path.join(path.resolve(d), TUI_SETTINGS_FILE)))].filter((f) => f !== file && fs.existsSync(f));
  return found.map((f) => `${f} is not read: umux reads its TUI settings from ${file}; move it there`);
}

/** The line of `key = …` inside the [keys] table (or of a dotted `keys.KEY = …`), if it can be found. */
function lineOfTableKey(text: string, table: string, key: string): number | undefined {
  const lines = text.split(/\r?\n/);
  const quoted = [key, JSON.stringify(key), `'${key}'`].map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const dotted = new RegExp(`^\\s*${table}\\s*\\.\\s*(?:${quoted})\\s*=`);
  const inTable = new RegExp(`^\\s*(?:${quoted})\\s*=`);
  let inside = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (dotted.test(line)) return i + 1;
    if (/^\s*\[/.test(line)) inside = new RegExp(`^\\s*\\[\\s*${table}\\s*\\]`).test(line);
    else if (inside && inTable.test(line)) return i + 1;
  }
  return lineOfKey(text, table);
}

function checkKeys(text: string, file: string, value: unknown): Record<string, string> {
  const tableWhat = 'a table of key = "command line" lines such as z = "zoom"';
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date) {
    throw ConfigError.expected(file, 'keys', tableWhat, showTyped(value), { line: lineOfKey(text, 'keys'), hint: `write it as ${example('keys').replace('\n', ' then ')}` });
  }
  const keys: Record<string, string> = {};
  for (const [key, line] of Object.entries(value)) {
    if (typeof line !== 'string') {
      throw ConfigError.expected(file, `keys.${showKey(key)}`, LINE_WHAT, showTyped(line), {
        line: lineOfTableKey(text, 'keys', key),
        hint: `write it like ${showKey(key)} = "zoom", or ${showKey(key)} = "none" to unbind it`,
      });
    }
    keys[key] = line;
  }
  try {
    applyKeyOverrides(KEYMAP, keys);
  } catch (err) {
    if (!(err instanceof KeymapError)) throw err;
    throw ConfigError.expected(file, `keys.${showKey(err.key)}`, err.expected, err.got, {
      line: lineOfTableKey(text, 'keys', err.key),
      ...(err.hint === undefined ? {} : { hint: err.hint }),
    });
  }
  return keys;
}

/** Parses and checks tui.toml's text; `file` is its path. Env overrides are loadTuiSettings's job. Throws ConfigError. */
export function parseTuiSettings(text: string, file: string): TuiSettings {
  const abs = path.resolve(file);
  const table = parseTomlFile(text, abs);
  for (const key of Object.keys(table)) {
    if (KEY_NAMES.includes(key)) continue;
    const near = closeMatches(key, KEY_NAMES);
    throw new ConfigError(abs, /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key), near.length > 0 ? `unknown key (did you mean ${orList(near)}?)` : 'unknown key', {
      line: lineOfKey(text, key),
      hint: near.length > 0 ? `rename it to ${near[0]} in ${abs}, or remove it` : `remove it from ${abs}; the keys are ${KEY_NAMES.join(', ')}`,
    });
  }
  const fail = (key: string, what: string, got: string, hint?: string): ConfigError =>
    ConfigError.expected(abs, key, what, got, { line: lineOfKey(text, key), hint: hint ?? `write it like ${example(key)} in ${abs}` });

  const settings: TuiSettings = { mouse: false, keys: {}, file: abs };
  if (Object.hasOwn(table, 'prefix')) {
    const prefix = table['prefix'];
    if (typeof prefix !== 'string') throw fail('prefix', PREFIX_WHAT, showTyped(prefix));
    if (prefixByte(prefix) === undefined) throw fail('prefix', PREFIX_WHAT, showValue(prefix), PREFIX_HINT);
    settings.prefix = prefix;
  }
  if (Object.hasOwn(table, 'theme')) {
    const theme = table['theme'];
    const what = 'a theme name such as dark, light or high-contrast';
    if (typeof theme !== 'string') throw fail('theme', what, showTyped(theme));
    if (theme === '') throw fail('theme', what, '""');
    settings.theme = theme;
    settings.themeSource = `${TUI_SETTINGS_FILE}: theme`;
  }
  if (Object.hasOwn(table, 'mouse')) {
    const mouse = table['mouse'];
    if (typeof mouse !== 'boolean') throw fail('mouse', 'true or false', showTyped(mouse));
    settings.mouse = mouse;
  }
  if (Object.hasOwn(table, 'notify')) {
    const notify = table['notify'];
    const what = orList(NOTIFY_MODES);
    if (typeof notify !== 'string') throw fail('notify', what, showTyped(notify));
    if (!(NOTIFY_MODES as readonly string[]).includes(notify)) throw fail('notify', what, showValue(notify));
    settings.notify = notify as NotifyMode;
  }
  if (Object.hasOwn(table, 'keys')) settings.keys = checkKeys(text, abs, table['keys']);
  return settings;
}

/**
 * Reads CONFIG_DIR/tui.toml (a missing file gives the defaults) and lays the environment over it: UMUX_PREFIX
 * replaces `prefix`, UMUX_THEME replaces `theme` (empty values count as unset). Throws ConfigError for a bad file
 * ('io'/'permission' when it cannot be read), UsageError for a bad UMUX_PREFIX.
 */
export function loadTuiSettings(env: Env, home: string = os.homedir()): TuiSettings {
  const file = tuiSettingsFile(env, home);
  let settings: TuiSettings;
  try {
    settings = parseTuiSettings(fs.readFileSync(file, 'utf8'), file);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') {
      throw new ConfigError(file, '', `cannot read the file: ${(code && ERRNO_TEXT[code]) ?? (err as Error).message}`, {
        code: code === 'EACCES' || code === 'EPERM' ? 'permission' : 'io',
        hint: `check ${file} and its permissions`,
        cause: err,
      });
    }
    settings = { mouse: false, keys: {}, file };
  }
  const ignored = strayTuiSettings(env, home, file);
  if (ignored.length > 0) settings.ignored = ignored;
  const envPrefix = env['UMUX_PREFIX'];
  if (envPrefix) {
    if (prefixByte(envPrefix) === undefined) {
      throw new UsageError(`UMUX_PREFIX: expected ${PREFIX_WHAT}, got ${JSON.stringify(envPrefix)}`, { hint: PREFIX_HINT });
    }
    settings.prefix = envPrefix;
  }
  const envTheme = env['UMUX_THEME'];
  if (envTheme) {
    settings.theme = envTheme;
    settings.themeSource = 'UMUX_THEME';
  }
  return settings;
}
