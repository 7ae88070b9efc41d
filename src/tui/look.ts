// The TUI's colours: the theme in use (tui.toml or UMUX_THEME, cycled with prefix t), NO_COLOR's monochrome, and the
// styles each part draws with, derived from it (blessed tags, meter colours, search highlights).

import type { GaugesStyle } from './gauges.js';
import type { ScrollbackStyle } from './scrollback.js';
import { DEFAULT_THEME, listThemes, loadTheme, monochrome, type Theme } from './theme.js';

export type FlashLevel = 'ok' | 'error' | 'info';

/** The opening blessed tag of a colour (none for `default`). */
export const tag = (color: string, layer: 'fg' | 'bg'): string => (color === 'default' ? '' : `{${color}-${layer}}`);

export class Look {
  private current: Theme;

  /** Loads theme `name` (`source` names where it came from, for the error when there is no such theme). */
  constructor(
    name: string,
    source: string,
    readonly noColor: boolean,
    private readonly dirs: readonly string[],
  ) {
    this.current = this.withColor(loadTheme(name, dirs, source));
  }

  get theme(): Theme {
    return this.current;
  }

  private withColor(t: Theme): Theme {
    return this.noColor ? monochrome(t) : t;
  }

  /** Switches to the next theme in the list (after the last, the first); throws when its file is broken. */
  next(): Theme {
    const all = listThemes(this.dirs).map((t) => t.name);
    const name = all[(all.indexOf(this.current.name) + 1) % all.length] ?? DEFAULT_THEME;
    this.current = this.withColor(loadTheme(name, this.dirs));
    return this.current;
  }

  /** The opening tag of a message in the status line (bold errors under NO_COLOR). */
  messageOpen(level: FlashLevel): string {
    const t = this.current;
    if (this.noColor) return level === 'error' ? '{bold}' : '';
    return tag(level === 'ok' ? t.ok : level === 'error' ? t.error : t.info, 'fg');
  }

  /** The meters' colours and levels (all `default` under NO_COLOR: the glyphs carry the meaning). */
  gaugesStyle(): GaugesStyle {
    const t = this.current;
    return { ok: t.gauge, warn: t.gaugeWarn, danger: t.gaugeDanger, track: t.gaugeTrack, mark: t.gaugeMark, levels: t.gaugeLevels, title: t.title, axis: t.border };
  }

  /** Search matches and the time column in scrollback (underline and inverse under NO_COLOR). */
  scrollStyle(): ScrollbackStyle {
    const t = this.current;
    if (this.noColor) return { match: '{underline}', current: '{inverse}', timestamp: '' };
    return { match: tag(t.match.fg, 'fg') + tag(t.match.bg, 'bg'), current: `{bold}${tag(t.currentMatch.fg, 'fg')}${tag(t.currentMatch.bg, 'bg')}`, timestamp: tag(t.timestamp, 'fg') };
  }

  /** A console pane's box. */
  paneStyle(): { fg: string; bg: string; border: { fg: string }; label: { fg: string } } {
    const t = this.current;
    return { fg: t.fg, bg: t.bg, border: { fg: t.border }, label: { fg: t.title } };
  }
}
