// The TUI's colours without a terminal: the theme's message, meter and search styles, NO_COLOR's plain ones, and
// prefix t walking the themes in order.

import { describe, expect, it } from 'vitest';
import { Look } from '../../../src/tui/look.js';
import { BUILTIN_THEME_DIR, listThemes } from '../../../src/tui/theme.js';

describe('Look', () => {
  it('colours messages and search matches from the theme', () => {
    const look = new Look('dark', 'theme', false, [BUILTIN_THEME_DIR]);
    expect(look.messageOpen('error')).toBe(`{${look.theme.error}-fg}`);
    expect(look.scrollStyle().current.startsWith('{bold}')).toBe(true);
    expect(look.gaugesStyle()).toMatchObject({ ok: look.theme.gauge, levels: look.theme.gaugeLevels, axis: look.theme.border });
  });

  it('under NO_COLOR: bold errors, underlined and inverse matches, no colour', () => {
    const look = new Look('dark', 'theme', true, [BUILTIN_THEME_DIR]);
    expect([look.messageOpen('error'), look.messageOpen('ok')]).toEqual(['{bold}', '']);
    expect(look.scrollStyle()).toEqual({ match: '{underline}', current: '{inverse}', timestamp: '' });
  });

  it('walks the themes in order and comes back round; an unknown name says where it came from', () => {
    const names = listThemes([BUILTIN_THEME_DIR]).map((t) => t.name);
    const look = new Look(names[0]!, 'theme', false, [BUILTIN_THEME_DIR]);
    const seen = names.map(() => look.next().name);
    expect(seen).toEqual([...names.slice(1), names[0]]);
    expect(() => new Look('nope', 'UMUX_THEME', false, [BUILTIN_THEME_DIR])).toThrow(/^UMUX_THEME: expected a theme name/);
  });
});
