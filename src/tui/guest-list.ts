// The guest list the server pushes (server-feed.ts) and the sidebar that shows it: a line per guest with its state
// and marks (shown elsewhere, unseen events), filtered, grouped and scrolled as sidebar-model.ts says, the host
// meters at its foot, and the host samples for the gauges.

import blessed from './blessed-lite.js';
import type { Widgets } from 'blessed';
import type { Disposable } from '../core/disposable.js';
import { isUmuxError } from '../core/errors.js';
import type { GuestSession } from '../client/session.js';
import type { HostSample } from '../protocol/host-types.js';
import type { GuestInfo, GuestListWire } from '../protocol/wire-messages.js';
import { tag, type FlashLevel, type Look } from './look.js';
import { TuiFeed } from './server-feed.js';
import { hostLines, SeenEvents, sidebarText, SIDEBAR_WIDTH, type SidebarRow, type SidebarWindow } from './sidebar.js';
import { shownGuests, sidebarRows, sidebarWindow, type Grouping, type SidebarView } from './sidebar-model.js';
import type { TerminalNotifier } from './notify.js';
import type { TuiScreen } from './tui-screen.js';

export interface GuestListDeps {
  ui: TuiScreen;
  session: GuestSession;
  look: Look;
  /** UMUX_TUI_POLL=1: ask every second instead of subscribing (the bench's before/after). */
  poll: boolean;
  flash: (text: string, level?: FlashLevel) => void;
  /** The guests in panes: the focused pane's, and every pane's. */
  panes: () => { focused: string | undefined; all: ReadonlyArray<string | undefined>; activeIndex: number };
  /** A new list is here (the panes attach to what they show); the next waits for it. */
  listed: () => Promise<void>;
  /** A new host sample is here. */
  sampled: () => void;
  drawStatus: () => void;
  /** Whose meters they are, when not this host's (a view over several hosts: the focused guest's host). */
  meterHost?: () => string;
  /** Tells the admin's terminal of guests off screen that come to need attention (tui.toml notify). */
  notifier: TerminalNotifier;
}

export class GuestList implements Disposable {
  private readonly sidebar: Widgets.BoxElement;
  private readonly hostBox: Widgets.BoxElement;
  private readonly feed: TuiFeed;
  private readonly seen = new SeenEvents();
  guests: GuestInfo[] = [];
  host: HostSample | undefined;
  /** The filter typed and the grouping: what the sidebar shows of `guests`. */
  readonly view: SidebarView = { filter: '', group: 'none' };
  /** What the last draw showed: its rows, the window over them, and the line (inside the frame) of the first. */
  private shownRows: { rows: SidebarRow[]; window: SidebarWindow; firstLine: number } = { rows: [], window: { top: 0, count: 0, above: 0, below: 0 }, firstLine: 0 };

  constructor(private readonly deps: GuestListDeps) {
    const parent = deps.ui.blessed;
    this.sidebar = blessed.box({ parent, top: 0, left: 0, width: SIDEBAR_WIDTH, height: '100%-1', border: 'line', label: ' guests ', tags: true });
    // Inside the sidebar's frame, above the status line (a child's offsets would count from the frame itself).
    this.hostBox = blessed.box({ parent, bottom: 2, left: 1, width: SIDEBAR_WIDTH - 2, height: 4, tags: true, wrap: false });
    const listener = {
      list: (list: GuestListWire) => this.showList(list),
      host: (sample: HostSample) => {
        this.host = sample;
        this.draw();
        deps.sampled();
      },
      error: (text: string) => deps.flash(text, 'error'),
    };
    this.feed = new TuiFeed(deps.session, listener, deps.poll);
  }

  /** Subscribes (or polls): at the start, and again once a server is back. */
  start(): Promise<void> {
    return this.feed.start();
  }

  /** After a command: a polling TUI asks at once. */
  refresh(): void {
    this.feed.refresh();
  }

  get samples(): readonly HostSample[] {
    return this.feed.samples;
  }

  find(name: string | undefined): GuestInfo | undefined {
    return this.guests.find((g) => g.name === name);
  }

  /** The guests the sidebar shows, in its order (filtered, attention first, grouped): prefix n/p step through them. */
  shown(): GuestInfo[] {
    return shownGuests(this.guests, this.view);
  }

  setFilter(text: string): void {
    this.view.filter = text;
    this.draw();
  }

  setGroup(by: Grouping): void {
    this.view.group = by;
    this.draw();
  }

  /** The guest on line `y` inside the sidebar's frame (a click), or undefined for a header or a "more" line. */
  guestOnLine(y: number): string | undefined {
    const { rows, window, firstLine } = this.shownRows;
    const i = y - firstLine;
    const row = i >= 0 && i < window.count ? rows[window.top + i] : undefined;
    return row?.kind === 'guest' ? row.guest.name : undefined;
  }

  /** The admin saw `name`'s events up to `at` (its event log was opened): its star goes. */
  markSeen(name: string, at: string): void {
    this.seen.mark(name, at);
    this.draw();
  }

  private async showList(list: GuestListWire): Promise<void> {
    try {
      // The sidebar orders them (those that need the admin first: sidebar-model.ts sidebarOrder).
      this.guests = list.guests;
      this.deps.notifier.update(this.guests, new Set(this.deps.panes().all));
      await this.deps.listed();
      this.draw();
      this.deps.drawStatus();
    } catch (err) {
      this.deps.flash(`cannot list guests: ${isUmuxError(err) ? err.message : String(err)}`, 'error');
    }
  }

  draw(): void {
    const t = this.deps.look.theme;
    if (this.host) {
      // A rule with a title, then the meters, flush with the sidebar's bottom border.
      const open = tag(t.border, 'fg');
      const whose = this.deps.meterHost?.() ?? 'local';
      // A host's name is checked when read (protocol/ssh-destination.ts): no markup, no controls.
      const title = whose === 'local' ? '─ host ' : `─ host ${whose.slice(0, SIDEBAR_WIDTH - 10)} `;
      const rule = `${open}${title.padEnd(SIDEBAR_WIDTH - 2, '─')}${open ? '{/}' : ''}`;
      const lines = [rule, ...hostLines(this.host, this.deps.look.gaugesStyle()).split('\n')];
      this.hostBox.height = lines.length;
      this.hostBox.setContent(lines.join('\n'));
    }
    this.hostBox.style = { fg: t.sidebar.fg, bg: t.sidebar.bg };
    this.drawGuests();
    this.deps.ui.repaint();
  }

  /** The guest rows that fit, the focused guest among them, with the filter's line and "more" marks. */
  private drawGuests(): void {
    const { focused, all, activeIndex } = this.deps.panes();
    const shown = new Set(all.filter((n, i): n is string => i !== activeIndex && n !== undefined));
    const style = { states: this.deps.look.theme.states, shown, unseen: this.seen.unseen(this.guests, new Set(all)) };
    const rows = sidebarRows(this.guests, this.view);
    const focus = rows.findIndex((r) => r.kind === 'guest' && r.guest.name === focused);
    const headerBefore = focus > 0 && rows[focus - 1]?.kind === 'header';
    const window = sidebarWindow(rows.length, this.guestRoom(), focus < 0 ? undefined : focus, this.shownRows.window.top, headerBefore);
    const matched = rows.filter((r) => r.kind === 'guest').length;
    this.shownRows = { rows, window, firstLine: (this.view.filter ? 1 : 0) + (window.above > 0 ? 1 : 0) };
    this.sidebar.setContent(sidebarText({ rows, window, focused, style, filter: this.view.filter, total: this.guests.length, matched }));
    this.sidebar.setLabel(this.label(matched));
  }

  /** Lines for guest rows: inside the frame, less the host meters at the foot and the filter's line. */
  private guestRoom(): number {
    const inside = Number(this.sidebar.height) - 2;
    const meters = this.host ? Number(this.hostBox.height) : 0;
    return inside - meters - (this.view.filter ? 1 : 0);
  }

  /** The frame's title: how many guests, how many the filter finds, the grouping. */
  private label(matched: number): string {
    const count = this.view.filter ? `${matched}/${this.guests.length}` : `${this.guests.length}`;
    return ` guests ${count}${this.view.group === 'none' ? '' : ` by ${this.view.group}`} `;
  }

  applyStyle(): void {
    const t = this.deps.look.theme;
    this.sidebar.style = { fg: t.sidebar.fg, bg: t.sidebar.bg, border: { fg: t.border }, label: { fg: t.title } };
  }

  dispose(): void {
    this.feed.dispose();
  }
}
