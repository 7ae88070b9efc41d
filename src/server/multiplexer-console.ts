// An adopted guest's stdio console that a screen session or a tmux pane holds, behind a ConsoleHub like any other:
// the view (screen -x, or tmux control mode) runs only while a client is attached, as the session's owner, and its
// bytes are logged and modelled; when the last client leaves, the view ends and the session is as it was before.

import path from 'node:path';
import type { Disposable } from '../core/disposable.js';
import { UmuxError } from '../core/errors.js';
import { ConsoleLog, describeLoss } from '../consoles/logfile.js';
import { ScreenView, TmuxPaneView, type MultiplexerView, type RunAs } from '../consoles/multiplexer-view.js';
import type { MultiplexerHold } from '../guests/multiplexer.js';
import { lookupUser } from '../guests/users.js';
import { Screen } from '../term/screen.js';
import { ConsoleHub } from './console-hub.js';
import { DEFAULT_CONSOLE_SETTINGS } from './console-wiring.js';
import { StallGuard } from './stall-guard.js';

export interface MultiplexerConsoleOptions {
  guest: string;
  umid: string;
  name: string;
  hold: MultiplexerHold;
  logRoot: string;
  event: (text: string) => void;
  /** Sends the guest a cheap MConsole request: its stdio is a pty, which stalls under bulk output like any other. */
  nudge: () => void;
}

/** The session's name for notes: `screen session 1234.web1 (window 0)`, `tmux pane %3 (socket /tmp/tmux-0/default)`. */
export function describeHold(h: MultiplexerHold): string {
  return h.kind === 'screen' ? `screen session ${h.session} (window ${h.window})` : `tmux pane ${h.pane} (socket ${h.socket})`;
}

/**
 * Whom umux runs the view as: the session's owner. A server of that very user runs it as itself; a root server runs
 * it as the owner; any other server cannot reach another user's session (screen and tmux refuse it) and says so.
 */
export function viewUser(hold: MultiplexerHold): RunAs | undefined {
  const me = process.getuid?.() ?? 0;
  if (hold.uid === me) return undefined;
  if (me !== 0) {
    throw new UmuxError('permission', `${describeHold(hold)} belongs to uid ${hold.uid}: this umux server runs as uid ${me} and cannot attach to it`, {
      hint: 'run the umux server as that user (or as root) to see this console',
    });
  }
  const user = lookupUser(String(hold.uid));
  return { uid: user.uid, gid: user.gid, home: user.home, name: user.name };
}

export class MultiplexerConsole implements Disposable {
  readonly hub: ConsoleHub;
  private view: MultiplexerView | undefined;
  private viewSubs: Disposable[] = [];
  private readonly guard: StallGuard;
  private disposed = false;

  constructor(private readonly o: MultiplexerConsoleOptions) {
    const log = ConsoleLog.open({ dir: path.join(o.logRoot, o.umid), console: o.name, maxBytes: DEFAULT_CONSOLE_SETTINGS.logMaxBytes });
    log.onError((err) => o.event(`${o.name} log: ${err.message}`));
    log.onWriteFailed((err) => o.event(`${o.name} log: ${err.message}; the console goes on, its log misses the output until it can write again`));
    log.onWriteResumed((gap) => o.event(`${o.name} log: writing again; ${describeLoss(gap)} (marked in the file)`));
    const isScreen = o.hold.kind === 'screen';
    this.guard = new StallGuard(o.nudge);
    this.hub = new ConsoleHub({
      guest: o.guest,
      name: o.name,
      log,
      onLogError: (message) => o.event(message),
      // screen is a terminal talking to ours, and may ask it things; tmux already answered the guest's own queries.
      screen: new Screen({ scrollback: DEFAULT_CONSOLE_SETTINGS.scrollback, answerQueries: isScreen }),
      toGuest: (bytes) => this.view?.write(bytes),
      ...(isScreen ? { resize: (size: { cols: number; rows: number }) => this.view?.resize?.(size.cols, size.rows) } : {}),
      onSubscribers: (n) => (n > 0 ? this.start() : this.stop(`nobody watches ${o.guest}:${o.name}`)),
    });
  }

  get hold(): MultiplexerHold {
    return this.o.hold;
  }

  private start(): void {
    if (this.view || this.disposed) return;
    const h = this.o.hold;
    let view: MultiplexerView;
    try {
      const as = viewUser(h);
      const size = this.hub.size;
      view = h.kind === 'screen'
        ? new ScreenView({ session: h.session, window: h.window, socketDir: h.socketDir, cols: size.cols, rows: size.rows, ...(as ? { as } : {}) })
        : new TmuxPaneView({ socket: h.socket, pane: h.pane, tty: h.tty, ...(as ? { as } : {}) });
    } catch (err) {
      this.o.event(`${this.o.name}: cannot show ${describeHold(h)}: ${(err as Error).message}`);
      this.hub.close((err as Error).message);
      return;
    }
    this.view = view;
    this.viewSubs = [
      view.onData((bytes) => {
        this.hub.feed(bytes);
        this.guard.output();
      }),
      view.onSize((size) => this.hub.setModelSize(size)),
      view.onExit((reason) => {
        this.stop(reason);
        this.hub.close(reason);
      }),
    ];
    // A guest that stalled while nobody watched gets its first nudge now.
    this.guard.output();
    this.o.event(`${this.o.name}: showing ${describeHold(h)} (${h.kind === 'screen' ? 'screen -x' : 'tmux control mode'})`);
  }

  private stop(why: string): void {
    if (!this.view) return;
    for (const s of this.viewSubs) s.dispose();
    this.viewSubs = [];
    this.view.dispose();
    this.view = undefined;
    this.o.event(`${this.o.name}: stopped showing ${describeHold(this.o.hold)} (${why}); the session is left as it was`);
  }

  dispose(why = 'console released'): void {
    if (this.disposed) return;
    this.disposed = true;
    this.guard.dispose();
    this.stop(why);
    this.hub.close(why);
    this.hub.dispose();
  }
}
