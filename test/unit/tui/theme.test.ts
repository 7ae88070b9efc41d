// Themes as data: every shipped theme parses and keeps its state colours apart; each kind of mistake gives its
// one-line error; user themes win over shipped ones; NO_COLOR's monochrome theme has no colour left.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import {
  BUILTIN_THEME_DIR, COLOUR_NAMES, DEFAULT_THEME, isColour, listThemes, loadTheme, monochrome, parseTheme, ThemeError, themeDirs,
  type Theme,
} from '../../../src/tui/theme.js';
import { GUEST_STATES } from '../../../src/protocol/guest-state.js';

const REPO_THEMES = path.resolve(__dirname, '../../../themes');
const SHIPPED = ['dark', 'high-contrast', 'light'];

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umux-themes-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function shipped(name: string): Theme {
  return parseTheme(fs.readFileSync(path.join(REPO_THEMES, `${name}.json`), 'utf8'), `themes/${name}.json`);
}

/** Every colour of a theme with its dotted key. */
function colours(theme: Theme): [string, string][] {
  const out: [string, string][] = [];
  const walk = (prefix: string, value: unknown) => {
    for (const [k, v] of Object.entries(value as object)) {
      const key = prefix ? `${prefix}.${k}` : k;
      if (typeof v === 'object') walk(key, v);
      else if (typeof v === 'string' && k !== 'name' && k !== 'description') out.push([key, v]);
    }
  };
  walk('', theme);
  return out;
}

/** A valid theme's text with one change made to its parsed value. */
function edited(change: (t: Record<string, any>) => void, name = 'x'): string {
  const t = JSON.parse(fs.readFileSync(path.join(REPO_THEMES, 'dark.json'), 'utf8'));
  t.name = name;
  change(t);
  return JSON.stringify(t, null, 2);
}

function errorOf(text: string, file = 'themes/x.json'): ThemeError {
  try {
    parseTheme(text, file);
  } catch (err) {
    expect(err).toBeInstanceOf(ThemeError);
    return err as ThemeError;
  }
  throw new Error('parseTheme did not throw');
}

describe('shipped themes', () => {
  it('lives in the repo themes/ folder, found from the module itself', () => {
    expect(BUILTIN_THEME_DIR).toBe(REPO_THEMES);
    expect(listThemes([BUILTIN_THEME_DIR]).map((t) => t.name)).toEqual(SHIPPED);
    expect(DEFAULT_THEME).toBe('dark');
  });

  it.each(SHIPPED)('%s parses, loads by name and keeps every state colour apart', (name) => {
    const theme = loadTheme(name, [BUILTIN_THEME_DIR]);
    expect(theme).toEqual(shipped(name));
    expect(theme.name).toBe(name);
    expect(Object.keys(theme.states)).toEqual([...GUEST_STATES]);
    expect(new Set(Object.values(theme.states)).size).toBe(GUEST_STATES.length);
    // The states that want attention never look like running or like each other.
    for (const s of ['crashed', 'unresponsive', 'stale'] as const) expect(theme.states[s]).not.toBe(theme.states.running);
    expect(theme.currentMatch).not.toEqual(theme.match);
    expect(theme.borderFocus).not.toBe(theme.border);
    expect(theme.description).not.toBe('');
  });

  it('light has no pale colours for text on the terminal background', () => {
    const light = shipped('light');
    const pale = /^(?:(?:light-|bright-)?(?:yellow|white|cyan)|default-never)$/;
    for (const c of [light.ok, light.error, light.info, light.warn, light.timestamp, light.gauge, light.gaugeDanger, light.title, ...Object.values(light.states)]) {
      expect(c).not.toMatch(pale);
    }
  });

  it('high-contrast is black, white and yellow with bright colours only', () => {
    const hc = shipped('high-contrast');
    for (const [key, c] of colours(hc)) expect(`${key}=${c}`).toMatch(/=(?:black|bright-[a-z]+|#[0-9a-f]{6})$/);
    for (const c of [hc.bg, hc.fg, hc.border, hc.borderFocus, hc.title, hc.status.fg, hc.status.bg, hc.selected.bg]) {
      expect(c).toMatch(/^(?:black|bright-white|bright-yellow)$/);
    }
  });
});

describe('colours', () => {
  it('takes blessed names in their hyphenated spelling, default, and #rrggbb', () => {
    for (const c of ['default', 'red', 'gray', 'grey', 'light-blue', 'bright-black', 'light-gray', '#00aFfF']) expect(isColour(c), c).toBe(true);
    for (const c of ['lightblue', 'blu', 'Red', '#fff', '#0000000', 'rgb(1,2,3)', '', 'normal', 'bg']) expect(isColour(c), c).toBe(false);
    expect(COLOUR_NAMES).toContain('bright-yellow');
  });
});

describe('parseTheme errors', () => {
  it('a colour that is none: key path, what was expected, what came, and the nearest name', () => {
    const err = errorOf(edited((t) => (t.states.running = 'blu')));
    expect(err.message).toBe('themes/x.json: states.running: expected a colour name (red, light-blue, …) or #rrggbb, got "blu" (did you mean "blue"?)');
    expect(err).toMatchObject({ code: 'usage', file: 'themes/x.json', key: 'states.running' });
    expect(err).toBeInstanceOf(UsageError);
    expect(errorOf(edited((t) => (t.popup.border = 'lightred'))).message).toBe(
      'themes/x.json: popup.border: expected a colour name (red, light-blue, …) or #rrggbb, got "lightred" (did you mean "light-red"?)',
    );
    expect(errorOf(edited((t) => (t.fg = '#fff'))).message).toBe('themes/x.json: fg: expected a colour name (red, light-blue, …) or #rrggbb, got "#fff"');
    expect(errorOf(edited((t) => (t.gauge = 3))).message).toMatch(/: gauge: expected a colour name .* got 3 \(number\)$/);
    expect(errorOf(edited((t) => (t.match.bg = null))).message).toMatch(/: match\.bg: expected .* got null$/);
  });

  it('an unknown key, with a suggestion when one is close', () => {
    const err = errorOf(edited((t) => (t.boder = 'red')));
    expect(err.message).toBe('themes/x.json: unknown key "boder" (did you mean "border"?)');
    expect(err.hint).toBe('rename it to border in themes/x.json');
    expect(errorOf(edited((t) => (t.popup.bordr = 'red'))).message).toBe('themes/x.json: popup: unknown key "bordr" (did you mean "border"?)');
    const far = errorOf(edited((t) => (t.wallpaper = 'red')));
    expect(far.message).toBe('themes/x.json: unknown key "wallpaper"');
    expect(far.hint).toMatch(/the keys here are name, description, fg, bg, border/);
  });

  it('a missing key, at the top or inside a group', () => {
    expect(errorOf(edited((t) => delete t.borderFocus)).message).toBe('themes/x.json: missing key "borderFocus"');
    expect(errorOf(edited((t) => delete t.states.stale)).message).toBe('themes/x.json: states: missing key "stale"');
  });

  it('a value of the wrong shape', () => {
    expect(errorOf(edited((t) => (t.paneColors = 'yes'))).message).toBe('themes/x.json: paneColors: expected true or false, got "yes" (string)');
    expect(errorOf(edited((t) => (t.states = 'red'))).message).toBe(
      `themes/x.json: states: expected an object with keys ${GUEST_STATES.join(', ')}, got "red" (string)`,
    );
    expect(errorOf(edited((t) => (t.sidebar = ['red']))).message).toBe('themes/x.json: sidebar: expected an object with keys fg, bg, got an array');
    expect(errorOf('[1, 2]').message).toBe('themes/x.json: expected a JSON object of theme keys, got an array');
    expect(errorOf('"dark"').message).toBe('themes/x.json: expected a JSON object of theme keys, got "dark" (string)');
  });

  it('a name or description that is not one line, kept on one line in the message', () => {
    const err = errorOf(edited((t) => (t.description = 'two\nlines')));
    expect(err.message).toBe('themes/x.json: description: expected one line of text, got "two\\nlines"');
    expect(err.message).not.toContain('\n');
    expect(errorOf(edited((t) => (t.name = ''))).message).toBe('themes/x.json: name: expected one line of text, got ""');
  });

  it("a name that is not the file's", () => {
    const err = errorOf(edited(() => {}, 'dark'), '/home/ann/.config/umux/guests/themes/mine.json');
    expect(err.message).toBe('/home/ann/.config/umux/guests/themes/mine.json: name: expected "mine" (the file\'s name without .json), got "dark"');
    expect(err.hint).toMatch(/"name": "mine"/);
  });

  it('text that is not JSON, with the line and column of the fault', () => {
    const text = '{\n  "name": "x",\n    }\n';
    const err = errorOf(text);
    expect(err.message).toMatch(/^themes\/x\.json: not JSON: \S.* at line 3 column 5$/);
    expect(err.message).not.toMatch(/position/);
    expect(err.key).toBe('');
    expect(errorOf('{\n  "name": "x",\n').message).toMatch(/^themes\/x\.json: not JSON: \S.* at line 3 column 1$/);
    expect(errorOf('{"name": "x"} x').message).toMatch(/^themes\/x\.json: not JSON: \S.* at line 1 column 15$/);
    expect(errorOf('').message).toBe('themes/x.json: not JSON: Unexpected end of JSON input at line 1 column 1');
  });
});

describe('finding themes', () => {
  function writeTheme(name: string, change: (t: Record<string, any>) => void = () => {}): void {
    fs.writeFileSync(path.join(dir, `${name}.json`), edited(change, name));
  }

  it('lists both folders sorted, the later one winning a name clash, skipping what is no theme file', () => {
    writeTheme('dark', (t) => (t.description = 'mine'));
    writeTheme('solarized');
    fs.writeFileSync(path.join(dir, '.hidden.json'), '{}');
    fs.writeFileSync(path.join(dir, 'notes.txt'), '');
    fs.writeFileSync(path.join(dir, 'dark.json~'), '');
    const list = listThemes([BUILTIN_THEME_DIR, dir, path.join(dir, 'missing')]);
    expect(list.map((t) => `${t.name} ${t.builtIn}`)).toEqual(['dark false', 'high-contrast true', 'light true', 'solarized false']);
    expect(list[0]!.file).toBe(path.join(dir, 'dark.json'));
    expect(loadTheme('dark', [BUILTIN_THEME_DIR, dir]).description).toBe('mine');
    expect(loadTheme('dark', [dir, BUILTIN_THEME_DIR]).description).toBe(shipped('dark').description);
    expect(loadTheme('solarized', [BUILTIN_THEME_DIR, dir]).name).toBe('solarized');
  });

  it('an unknown name lists the themes there are, saying where the name came from', () => {
    expect(() => loadTheme('darkk', [BUILTIN_THEME_DIR])).toThrow('theme: expected a theme name (dark, high-contrast or light), got "darkk" (did you mean "dark"?)');
    expect(() => loadTheme('blue', [BUILTIN_THEME_DIR], 'UMUX_THEME')).toThrow('UMUX_THEME: expected a theme name (dark, high-contrast or light), got "blue"');
    expect(() => loadTheme('../themes/dark', [BUILTIN_THEME_DIR])).toThrow(/got "\.\.\/themes\/dark"/);
    expect(() => loadTheme('dark', [path.join(dir, 'none')])).toThrow('theme: expected a theme name, but no theme files were found, got "dark"');
  });

  it("a broken user theme is named by its full path; a shipped one as themes/NAME.json", () => {
    writeTheme('mine', (t) => (t.states.running = 'blu'));
    expect(() => loadTheme('mine', [BUILTIN_THEME_DIR, dir])).toThrow(`${path.join(dir, 'mine.json')}: states.running: expected a colour name`);
  });

  it('a theme file that cannot be read is an io error', () => {
    fs.mkdirSync(path.join(dir, 'odd.json'));
    let err: unknown;
    try {
      loadTheme('odd', [dir]);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'io', message: expect.stringMatching(/odd\.json: cannot read the theme: /) });
  });

  it('looks in the repo, then beside tui.toml: ~/.config/umux/themes, or $UMUX_CONFIG_DIR/themes', () => {
    expect(themeDirs({ UMUX_CONFIG_DIR: '/etc/umux' }, '/home/ann')).toEqual([BUILTIN_THEME_DIR, '/etc/umux/themes']);
    expect(themeDirs({}, '/home/ann')).toEqual([BUILTIN_THEME_DIR, '/home/ann/.config/umux/themes']);
    expect(themeDirs({ XDG_CONFIG_HOME: '/x' }, '/home/ann')).toEqual([BUILTIN_THEME_DIR, '/x/umux/themes']);
  });
});

describe('monochrome', () => {
  it.each(SHIPPED)('turns every colour of %s to default and the guests\' colours off', (name) => {
    const theme = shipped(name);
    const before = structuredClone(theme);
    const mono = monochrome(theme);
    expect(colours(mono).filter(([, c]) => c !== 'default')).toEqual([]);
    expect(colours(mono).map(([k]) => k)).toEqual(colours(theme).map(([k]) => k));
    expect(mono).toMatchObject({ name, description: theme.description, paneColors: false });
    expect(theme).toEqual(before);
    // Still a valid theme.
    expect(parseTheme(JSON.stringify(mono), `${name}.json`)).toEqual(mono);
  });
});
