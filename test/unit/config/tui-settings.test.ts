// tui.toml: defaults when it is missing, each key checked with a one-line error naming the file and the key, the
// [keys] table checked against the key map, and the environment (UMUX_PREFIX, UMUX_THEME) winning over the file.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyKeyOverrides, KEYMAP, LINE_WHAT } from '../../../src/commands/keymap.js';
import { ConfigError } from '../../../src/config/config-error.js';
import { loadGuestDefs } from '../../../src/config/load.js';
import { loadTuiSettings, parseTuiSettings, TUI_SETTING_KEYS, tuiSettingsFile } from '../../../src/config/tui-settings.js';

let dir: string;
let file: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umux-tui-'));
  file = path.join(dir, 'tui.toml');
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const env = (extra: Record<string, string> = {}) => ({ UMUX_CONFIG_DIR: dir, ...extra });

function errorOf(text: string): ConfigError {
  try {
    parseTuiSettings(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('parseTuiSettings did not throw');
}

describe('loadTuiSettings', () => {
  it('reads ~/.config/umux/tui.toml, or $UMUX_CONFIG_DIR/tui.toml when that is set', () => {
    expect(tuiSettingsFile(env())).toBe(file);
    expect(tuiSettingsFile({ XDG_CONFIG_HOME: '/x' }, '/home/ann')).toBe('/x/umux/tui.toml');
    expect(tuiSettingsFile({}, '/home/ann')).toBe('/home/ann/.config/umux/tui.toml');
  });

  it('takes the tui.toml a user puts in ~/.config/umux, and says so of one in the guests directory', () => {
    const home = dir;
    fs.mkdirSync(path.join(home, '.config', 'umux', 'guests'), { recursive: true });
    fs.writeFileSync(path.join(home, '.config', 'umux', 'tui.toml'), 'prefix = "C-g"\n');
    expect(loadTuiSettings({ HOME: home }, home)).toEqual({ prefix: 'C-g', mouse: false, keys: {}, file: path.join(home, '.config', 'umux', 'tui.toml') });
    const stray = path.join(home, '.config', 'umux', 'guests', 'tui.toml');
    fs.writeFileSync(stray, 'mouse = true\n');
    expect(loadTuiSettings({ HOME: home }, home).ignored).toEqual([
      `${stray} is not read: umux reads its TUI settings from ${path.join(home, '.config', 'umux', 'tui.toml')}; move it there`,
    ]);
  });

  it('gives the defaults when there is no file', () => {
    expect(loadTuiSettings(env())).toEqual({ mouse: false, keys: {}, file });
  });

  it('reads every key', () => {
    fs.writeFileSync(file, 'prefix = "C-g"\ntheme = "light"\nmouse = true\n\n[keys]\nZ = "zoom"\n"[" = "none"\nq = "detach"\n');
    expect(loadTuiSettings(env())).toEqual({
      prefix: 'C-g', theme: 'light', themeSource: 'tui.toml: theme', mouse: true, keys: { Z: 'zoom', '[': 'none', q: 'detach' }, file,
    });
  });

  it('lets UMUX_PREFIX and UMUX_THEME win over the file, and ignores them empty', () => {
    fs.writeFileSync(file, 'prefix = "C-g"\ntheme = "light"\n');
    expect(loadTuiSettings(env({ UMUX_PREFIX: 'C-b', UMUX_THEME: 'high-contrast' }))).toMatchObject({ prefix: 'C-b', theme: 'high-contrast', themeSource: 'UMUX_THEME' });
    expect(loadTuiSettings(env({ UMUX_PREFIX: '', UMUX_THEME: '' }))).toMatchObject({ prefix: 'C-g', theme: 'light', themeSource: 'tui.toml: theme' });
    fs.rmSync(file);
    expect(loadTuiSettings(env({ UMUX_THEME: 'light' }))).toEqual({ theme: 'light', themeSource: 'UMUX_THEME', mouse: false, keys: {}, file });
  });

  it('refuses a bad UMUX_PREFIX even when the file is fine', () => {
    fs.writeFileSync(file, 'prefix = "C-g"\n');
    expect(() => loadTuiSettings(env({ UMUX_PREFIX: 'Alt-x' }))).toThrow(/^UMUX_PREFIX: expected a prefix key like C-\] or C-g, got "Alt-x"$/);
  });

  it('says so when the file cannot be read', () => {
    fs.mkdirSync(file);
    let err: unknown;
    try {
      loadTuiSettings(env());
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(err).toMatchObject({ code: 'io', file, message: expect.stringMatching(/^tui\.toml: cannot read the file: /) });
  });

  it('is no guest definition: the guest loader skips it', () => {
    fs.writeFileSync(file, 'prefix = "C-g"\n');
    fs.writeFileSync(path.join(dir, 'web1.toml'), '');
    expect(loadGuestDefs(dir, { home: '/home/ann' })).toEqual({ defs: [expect.objectContaining({ name: 'web1' })], errors: [] });
  });
});

describe('tui.toml errors', () => {
  it('an unknown key, with a suggestion when one is close', () => {
    const err = errorOf('mouse = true\nthme = "light"\n');
    expect(err.message).toBe('tui.toml: thme: unknown key (did you mean theme?)');
    expect(err).toMatchObject({ code: 'usage', key: 'thme', line: 2, file });
    expect(errorOf('colour = "red"').hint).toBe(`remove it from ${file}; the keys are prefix, theme, mouse, notify, keys`);
    expect(errorOf('[key]\nz = "zoom"').message).toBe('tui.toml: key: unknown key (did you mean keys?)');
  });

  it('a prefix that is no prefix key', () => {
    const err = errorOf('\nprefix = "Alt-x"');
    expect(err.message).toBe('tui.toml: prefix: expected a prefix key like C-] or C-g, got "Alt-x"');
    expect(err.line).toBe(2);
    expect(err.hint).toMatch(/C-g/);
    expect(errorOf('prefix = 29').message).toBe('tui.toml: prefix: expected a prefix key like C-] or C-g, got 29 (integer)');
  });

  it('a theme or mouse of the wrong type', () => {
    expect(errorOf('theme = 1').message).toBe('tui.toml: theme: expected a theme name such as dark, light or high-contrast, got 1 (integer)');
    expect(errorOf('theme = ""').message).toBe('tui.toml: theme: expected a theme name such as dark, light or high-contrast, got ""');
    const err = errorOf('mouse = "yes"');
    expect(err.message).toBe('tui.toml: mouse: expected true or false, got "yes" (string)');
    expect(err.hint).toBe(`write it like mouse = true in ${file}`);
  });

  it('a [keys] entry naming no action, with the line and a suggestion', () => {
    const err = errorOf('prefix = "C-g"\n[keys]\nz = "zoom"\nZ = "zoomm"\n');
    expect(err.message).toBe(`tui.toml: keys.Z: expected ${LINE_WHAT}, got "zoomm" (did you mean "zoom"?)`);
    expect(err).toMatchObject({ key: 'keys.Z', line: 4 });
    expect(errorOf('[keys]\n"[" = 2\n')).toMatchObject({ key: 'keys."["', line: 2, message: expect.stringMatching(/: keys\."\[": expected a command line.* got 2 \(integer\)$/) });
    expect(errorOf('keys.q = "quit"\n')).toMatchObject({ key: 'keys.q', line: 1 });
  });

  it('a [keys] entry that is not one printable character', () => {
    expect(errorOf('[keys]\nzz = "zoom"\n')).toMatchObject({ key: 'keys.zz', line: 2, message: 'tui.toml: keys.zz: expected one printable ASCII character such as z or [, got "zz"' });
    expect(errorOf('[keys]\n"\\t" = "zoom"\n').message).toBe('tui.toml: keys."\\t": expected one printable ASCII character such as z or [, got "\\t"');
  });

  it('keys that are no table', () => {
    expect(errorOf('keys = "z=zoom"').message).toBe('tui.toml: keys: expected a table of key = "command line" lines such as z = "zoom", got "z=zoom" (string)');
    expect(errorOf('keys = ["z"]').message).toBe('tui.toml: keys: expected a table of key = "command line" lines such as z = "zoom", got an array');
  });

  it('a syntax error, with line and column', () => {
    const err = errorOf('mouse = true\nprefix = \n');
    expect(err.message).toMatch(/^tui\.toml:2:\d+: invalid TOML: /);
    expect(err.line).toBe(2);
  });

  it('keys that pass here pass applyKeyOverrides', () => {
    const { keys } = parseTuiSettings('[keys]\n"/" = "none"\nS = "split"\n', file);
    expect(applyKeyOverrides(KEYMAP, keys).some((k) => k.key === '/')).toBe(false);
  });

  it('documents every key it reads', () => {
    expect(TUI_SETTING_KEYS.map((k) => k.key)).toEqual(['prefix', 'theme', 'mouse', 'notify', 'keys']);
    for (const k of TUI_SETTING_KEYS) expect(parseTuiSettings(k.example, file), k.key).toBeDefined();
  });
});
