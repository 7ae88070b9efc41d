// The guest list the server pushes (server-feed.ts) and the sidebar that shows it: a line per guest with its state
// and marks (shown elsewhere, unseen events), the host meters at its foot, and the host samples for the gauges.

import blessed from 'blessed';
import type { Widgets } from 'blessed';
import type { Disposable } from '../core/disposable.js';
import { isUmuxError } from '../core/errors.js';
import type { ServerSession } from '../client/session.js';
import type { HostSample } from '../protocol/host-types.js';
import type { GuestInfo, GuestListWire } from '../protocol/wire-messages.js';
import { tag, type FlashLevel, type Look } from './look.js';
import { TuiFeed } from './server-feed.js';
import { attentionFirst, guestLines, hostLines, SeenEvents, SIDEBAR_WIDTH } from './sidebar.js';
import type { TerminalNotifier } from './notify.js';
import type { TuiScreen } from './tui-screen.js';

export interface GuestListDeps {
  ui: TuiScreen;
  session: ServerSession;
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

  /** The admin saw `name`'s events up to `at` (its event log was opened): its star goes. */
  markSeen(name: string, at: string): void {
    this.seen.mark(name, at);
    this.draw();
  }

  private async showList(list: GuestListWire): Promise<void> {
    try {
      // Those that need the admin first: the sidebar's order is the list's, so keys and clicks follow what is drawn.
      this.guests = attentionFirst(list.guests);
      this.deps.notifier.update(this.guests, new Set(this.deps.panes().all));
      await this.deps.listed();
      this.draw();
      this.deps.drawStatus();
    } catch (err) {
      this.deps.flash(`cannot list guests: ${isUmuxError(err) ? err.message : String(err)}`, 'error');
    }
  }

  draw(): void {
    const { focused, all, activeIndex } = this.deps.panes();
    const shown = new Set(all.filter((n, i): n is string => i !== activeIndex && n !== undefined));
    const t = this.deps.look.theme;
    this.sidebar.setContent(guestLines(this.guests, focused, { states: t.states, shown, unseen: this.seen.unseen(this.guests, new Set(all)) }));
    if (this.host) {
      // A rule with a title, then the meters, flush with the sidebar's bottom border.
      const open = tag(t.border, 'fg');
      const rule = `${open}${'─ host '.padEnd(SIDEBAR_WIDTH - 2, '─')}${open ? '{/}' : ''}`;
      const lines = [rule, ...hostLines(this.host, this.deps.look.gaugesStyle()).split('\n')];
      this.hostBox.height = lines.length;
      this.hostBox.setContent(lines.join('\n'));
    }
    this.hostBox.style = { fg: t.sidebar.fg, bg: t.sidebar.bg };
    this.deps.ui.repaint();
  }

  applyStyle(): void {
    const t = this.deps.look.theme;
    this.sidebar.style = { fg: t.sidebar.fg, bg: t.sidebar.bg, border: { fg: t.border }, label: { fg: t.title } };
  }

  dispose(): void {
    this.feed.dispose();
  }
}
