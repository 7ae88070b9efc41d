// The status line at the foot of the screen: where the admin is (host, prefix, read-only or writer, panes, or the
// scrollback position), a message for a few seconds (flash), and while the server is away, why and how to leave.

import type { Widgets } from 'blessed';
import blessed from './blessed-lite.js';
import type { Disposable } from '../core/disposable.js';
import { isUmuxError } from '../core/errors.js';
import { escapeTags } from './cells.js';
import type { KeyHints } from './keys.js';
import { tag, type FlashLevel, type Look } from './look.js';
import type { TuiScreen } from './tui-screen.js';

/** What the status line says when no message covers it. */
export interface StatusFacts {
  /** In scrollback: `guest:console` and where the view is. */
  scroll?: { where: string; status: string };
  readOnly: boolean;
  /** Clients attached to the focused guest, when there is one. */
  clients?: number;
  panes: number;
  /** The focused pane (0-based). */
  active: number;
  zoomed: boolean;
}

/** The line's blessed content: `message` is markup already, `away` the server-away text ('' while it is there). */
export function statusText(f: StatusFacts, where: { host: string; keys: KeyHints }, message: string, away: string, awayOpen: string): string {
  if (message) return ` ${message}`;
  if (f.scroll) return escapeTags(` SCROLLBACK ${f.scroll.where} ${f.scroll.status} | / search  n/N next  {/} boots  t times  q back `);
  const mode = f.readOnly ? 'read-only' : 'writer';
  const p = where.keys.prefix;
  if (away) return ` ${awayOpen}${escapeTags(`${away} | ${mode} | ${where.keys.of('detach')} leaves`)}${awayOpen ? '{/}' : ''}`;
  const others = f.clients !== undefined ? ` | ${f.clients} attached` : '';
  const layout = f.panes > 1 ? ` | pane ${f.active + 1}/${f.panes}${f.zoomed ? ' zoomed' : ''}` : '';
  return escapeTags(` umux${where.host ? ` ${where.host}` : ''} | ${p} prefix, ${where.keys.of('help')} help | ${mode}${others}${layout} `);
}

/** An error as one line: its message and, for umux's own errors, the hint in brackets. */
export function errorText(err: unknown): string {
  return isUmuxError(err) ? `${err.message}${err.hint ? ` (${err.hint})` : ''}` : String(err);
}

export class StatusLine implements Disposable {
  private readonly box: Widgets.BoxElement;
  private message = '';
  private away = '';
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  private facts: () => StatusFacts = () => ({ readOnly: false, panes: 0, active: 0, zoomed: false });

  constructor(
    private readonly ui: TuiScreen,
    private readonly look: Look,
    private readonly where: { host: string; keys: KeyHints },
  ) {
    this.box = blessed.box({ parent: ui.blessed, bottom: 0, left: 0, width: '100%', height: 1, tags: true });
  }

  /** Where the facts come from (the workspace and the guest list, built after the status line). */
  describe(facts: () => StatusFacts): void {
    this.facts = facts;
  }

  /** Shows `text` for `ms` (escaped: it may quote a guest), coloured by level. */
  flash(text: string, level: FlashLevel = 'info', ms = 6000): void {
    if (this.disposed) return;
    const open = this.look.messageOpen(level);
    this.message = `${open}${escapeTags(text)}${open ? '{/}' : ''}`;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.message = '';
      this.draw();
    }, ms);
    this.draw();
  }

  /** Flashes an error, `before` leading its line (`split: `). */
  flashError(err: unknown, before = ''): void {
    this.flash(`${before}${errorText(err)}`, 'error');
  }

  /** While the server is away: why and what the TUI waits for (until '' says it is back). */
  setAway(text: string): void {
    this.away = text;
    this.draw();
  }

  draw(): void {
    if (this.disposed) return;
    const awayOpen = this.look.noColor ? '{bold}' : tag(this.look.theme.error, 'fg');
    this.box.setContent(statusText(this.facts(), this.where, this.message, this.away, awayOpen));
    this.ui.repaint();
  }

  applyStyle(): void {
    this.box.style = this.look.noColor ? { inverse: true } : { fg: this.look.theme.status.fg, bg: this.look.theme.status.bg };
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
  }
}
