// One slot of the main area: a bordered box showing one guest console. Live (a ConsolePane on an attached stream),
// the guest's last words when it is down, or the console's history in scrollback mode. Owns its stream and box.

import { attachableConsoles, groupConsoles } from '../protocol/console-summary.js';
import blessed from './blessed-lite.js';
import type { Widgets } from 'blessed';
import type { Disposable } from '../core/disposable.js';
import { isUmuxError } from '../core/errors.js';
import type { GuestSession } from '../client/session.js';
import type { GuestInfo } from '../protocol/wire-messages.js';
import { plainText } from '../term/plain-text.js';
import { escapeTags } from './cells.js';
import { PANE_ATTACH } from './opening.js';
import { ConsolePane } from './pane.js';
import type { Rect } from './layout.js';
import type { CellPart } from './tui-screen.js';
import { Scrollback, type ScrollLine, type ScrollbackStyle } from './scrollback.js';

export interface PaneDeps {
  session: GuestSession;
  readOnly: boolean;
  colors: () => boolean;
  repaint: () => void;
  /** A frame in which only a live pane's cells changed (tui-screen.ts draws just its rows); default a whole one. */
  repaintCells?: (part: CellPart) => void;
  flash: (text: string, level?: 'ok' | 'error' | 'info') => void;
}

/** Lines of history fetched for scrollback mode. */
export const SCROLLBACK_LINES = 5000;
/** After the server went away, how long a pane waits for its own console to be attachable again before any will do. */
export const RESUME_MS = 30_000;

export class PaneView implements Disposable {
  readonly box: Widgets.BoxElement;
  guest: string | undefined;
  consoleIndex = 0;
  /** The console shown (con0, ssl1 …) once attached or chosen. */
  console: string | undefined;
  live: ConsolePane | undefined;
  scroll: Scrollback | undefined;
  private attaching = false;
  private disposed = false;
  /** The console this pane showed when the server went away, and until when it waits for that one to be back. */
  private resume: { console: string; until: number } | undefined;
  private label = ' no guest ';
  private isBackground = false;

  constructor(
    parent: Widgets.Screen,
    private readonly deps: PaneDeps,
  ) {
    this.box = blessed.box({ parent, top: 0, left: 0, width: 10, height: 5, border: 'line', tags: true, label: this.label });
  }

  /** Moves the box (undefined hides it: another pane is zoomed) and marks it focused. */
  place(rect: Rect | undefined, focused: boolean, style: { border: string; focus: string; mono: boolean }): void {
    if (!rect) {
      this.box.hide();
      return;
    }
    Object.assign(this.box, { left: rect.left, top: rect.top, width: rect.width, height: rect.height });
    this.box.show();
    this.live?.stream.resize(this.innerWidth, this.innerHeight);
    this.box.style.border = { fg: focused ? style.focus : style.border };
    this.box.setLabel(focused && style.mono ? `{inverse}${this.label}{/inverse}` : this.label);
    this.live?.schedule();
    if (this.scroll) this.paintScroll();
  }

  /** Not the focused pane, or hidden: a live console's bytes are paced (paced-feed.ts). */
  set background(on: boolean) {
    this.isBackground = on;
    if (this.live) this.live.background = on;
  }

  private setLabel(text: string): void {
    this.label = escapeTags(text);
    this.box.setLabel(this.label);
  }

  get innerWidth(): number {
    return Math.max(1, Number(this.box.width) - 2);
  }

  get innerHeight(): number {
    return Math.max(1, Number(this.box.height) - 2);
  }

  /** True when the pane should (re)attach: it shows a running guest's console but holds no stream. */
  wantsAttach(g: GuestInfo | undefined): boolean {
    const running = !this.attaching && !this.live && g !== undefined && g.name === this.guest && g.pid !== null && g.state === 'running';
    if (!running || !this.resume || Date.now() > this.resume.until) return running;
    // Back from a server restart: its own console once the new server holds it again (the screen stays till then).
    const name = this.resume.console;
    return attachableConsoles(g).some((c) => c.name === name);
  }

  /** Shows guest `g` (its console number `consoleIndex` among the attachable ones), dropping what was shown. */
  async show(g: GuestInfo | undefined, consoleIndex = 0): Promise<void> {
    this.attaching = true;
    try {
      await this.showNow(g, consoleIndex);
    } finally {
      this.attaching = false;
    }
  }

  private async showNow(g: GuestInfo | undefined, consoleIndex: number): Promise<void> {
    if (g?.name !== this.guest) this.resume = undefined;
    this.leaveScrollback();
    this.live?.dispose();
    this.live = undefined;
    this.guest = g?.name;
    this.consoleIndex = consoleIndex;
    this.box.setContent('');
    if (!g) {
      this.console = undefined;
      this.setLabel(' no guest ');
      return;
    }
    const attachable = attachableConsoles(g);
    const resumed = this.resume && this.resume.console && g.name === this.guest ? attachable.findIndex((x) => x.name === this.resume!.console) : -1;
    this.resume = undefined;
    if (resumed >= 0) this.consoleIndex = consoleIndex = resumed;
    const c = attachable[consoleIndex % Math.max(1, attachable.length)];
    this.console = c?.name ?? 'con0';
    if (!c || g.pid === null) {
      await this.showDown(g);
      return;
    }
    try {
      const stream = await this.deps.session.attach(g.name, c.name, { readOnly: this.deps.readOnly, ...PANE_ATTACH });
      if (this.disposed || this.guest !== g.name || this.console !== c.name) {
        stream.dispose();
        return;
      }
      const who = stream.others.length ? ` | also: ${stream.others.map((o) => `${o.user}${o.readOnly ? '(ro)' : ''}`).join(', ')}` : '';
      const how = c.status === 'screen' || c.status === 'tmux' ? `via ${c.status}` : g.adopted || c.spec?.startsWith('port:') ? `held ${(c.spec ?? 'pts/tty').split(':')[0]}` : (c.transport ?? 'socketpair');
      this.setLabel(` ${g.name}:${c.name} | ${how}${who} `);
      this.live = new ConsolePane(stream, this.box, this.deps.repaintCells ?? this.deps.repaint, this.deps.colors());
      this.live.background = this.isBackground;
      stream.resize(this.innerWidth, this.innerHeight);
      stream.onNotice((n) => this.deps.flash(n.text, n.level === 'error' ? 'error' : 'info'));
      stream.onClosed((reason) => {
        if (stream.serverAway) {
          // The server went away (the status line says so): the screen stays; the pane attaches again once it is back.
          this.resume = { console: c.name, until: Date.now() + RESUME_MS };
          if (this.live?.stream === stream) {
            this.live.dispose();
            this.live = undefined;
          }
          return;
        }
        this.deps.flash(`${g.name}:${c.name} closed: ${reason}`, 'error');
        // The guest may come back (restart policy, :restart): the next list refresh attaches again.
        if (this.live?.stream === stream) {
          this.live.dispose();
          this.live = undefined;
        }
      });
    } catch (err) {
      this.deps.flash(isUmuxError(err) ? err.message : String(err), 'error');
    }
  }

  /** A guest that is not running: what it is, why, and the end of its console log (panic context first). */
  private async showDown(g: GuestInfo): Promise<void> {
    this.setLabel(` ${g.name} | ${g.state} `);
    const notes = groupConsoles(g.consoles).map((x) => x.note).filter(Boolean);
    const head = [`${g.name} is ${g.state}${g.panic ? `: panic: ${g.panic}` : ''}`, ...notes, '', `from ${g.name}:con0's log (prefix r: recovery; :events says what happened):`];
    this.box.setContent(escapeTags(head.join('\n')));
    this.deps.repaint();
    const rows = Math.max(1, this.innerHeight - head.length);
    // The console's log as plain text: the bytes went through plainText, never to the terminal as they came.
    const tail = await this.deps.session.request(['log', `${g.name}:con0`, '--lines', '300']).then(
      (r) => plainText(r.text ?? '').split('\n'),
      () => [] as string[],
    );
    const at = tail.findLastIndex((l) => l.includes('Kernel panic'));
    const lines = at >= 0 ? tail.slice(Math.max(0, at - 4), Math.max(0, at - 4) + rows) : tail.slice(-rows);
    if (!this.disposed && this.guest === g.name && this.live === undefined && !this.scroll) {
      this.box.setContent(escapeTags([...head, ...lines].join('\n')));
      this.deps.repaint();
    }
  }

  /** Scrollback mode: the console's history (from the server's log, with times) replaces the live view. */
  async enterScrollback(style: () => ScrollbackStyle): Promise<Scrollback | undefined> {
    if (this.scroll) return this.scroll;
    if (!this.guest) return undefined;
    const target = `${this.guest}:${this.console ?? 'con0'}`;
    let lines: ScrollLine[];
    try {
      const reply = await this.deps.session.request(['log', target, '--lines', String(SCROLLBACK_LINES), '--times']);
      lines = historyLines(reply.data, reply.text);
    } catch (err) {
      this.deps.flash(`scrollback of ${target}: ${isUmuxError(err) ? err.message : String(err)}`, 'error');
      return undefined;
    }
    if (this.live) this.live.frozen = true;
    this.scrollStyle = style;
    this.scroll = new Scrollback(lines, this.innerWidth, this.innerHeight);
    this.paintScroll();
    return this.scroll;
  }

  private scrollStyle: () => ScrollbackStyle = () => ({ match: '{inverse}', current: '{bold}{underline}', timestamp: '' });

  paintScroll(): void {
    if (!this.scroll) return;
    this.scroll.setSize(this.innerWidth, this.innerHeight);
    // The label says where the view is: the status line is covered while a search is typed.
    const label = ` ${this.guest}:${this.console} | SCROLLBACK ${this.scroll.status()} `;
    this.box.setLabel(escapeTags(label.length > this.innerWidth - 2 ? `${label.slice(0, Math.max(1, this.innerWidth - 3))}… ` : label));
    this.box.setContent(this.scroll.render(this.scrollStyle()).join('\n'));
    this.deps.repaint();
  }

  leaveScrollback(): void {
    if (!this.scroll) return;
    this.scroll = undefined;
    this.box.setContent('');
    this.box.setLabel(this.label);
    if (this.live) {
      this.live.frozen = false;
      this.live.schedule();
    }
    this.deps.repaint();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.live?.dispose();
    this.live = undefined;
    this.box.destroy();
  }
}

/** The lines of a `log --times` reply; a server without times gives text only (every time unknown). */
export function historyLines(data: unknown, text: string | undefined): ScrollLine[] {
  const timed = (data as { lines?: Array<{ at: string | null; text: string }> } | null)?.lines;
  const lines: ScrollLine[] = Array.isArray(timed)
    ? timed.map((l) => ({ at: l.at === null ? null : Date.parse(l.at), text: plainText(l.text) }))
    : plainText(text ?? '').split('\n').map((t) => ({ at: null, text: t }));
  // plainText keeps a line's text; a trailing empty line is the newline at the end, not a line.
  while (lines.length && lines[lines.length - 1]!.text === '') lines.pop();
  return lines;
}
