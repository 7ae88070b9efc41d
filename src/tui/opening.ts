// The TUI's first moves on the wire, made while the rest of it loads (main.ts starts this before importing app.js):
// connect, subscribe with the pushes held (session.holdPushes), and as soon as the first guest list names the first
// pane's console, attach it. runTui takes the session; the first pane takes the stream, or it is detached.

import type { Disposable } from '../core/disposable.js';
import { ServerSession, type ConsoleStream } from '../client/session.js';
import { attachableConsoles } from '../protocol/console-summary.js';
import type { GuestInfo, ServerMessage } from '../protocol/wire-messages.js';

/** What a pane's live view asks of an attach: no history (the model keeps none; scroll mode reads the log). */
export const PANE_ATTACH = { scrollback: 0 } as const;

export interface OpeningOptions {
  readOnly: boolean;
  env: NodeJS.ProcessEnv;
}

export class TuiOpening implements Disposable {
  private readonly session: Promise<ServerSession>;
  private readonly ready: Promise<void>;
  private listedNow: () => void = () => undefined;
  private release: () => void = () => undefined;
  private early: { guest: string; console: string; stream: Promise<ConsoleStream> } | undefined;
  private owned: ServerSession | undefined;
  private sawList = false;
  private disposed = false;
  /** The subscription was taken (else the TUI subscribes, or polls, itself). */
  subscribed = false;

  private constructor(private readonly opts: OpeningOptions) {
    this.session = this.open();
    this.ready = this.session.then((s) => this.subscribeHeld(s)).catch(() => undefined);
  }

  static start(opts: OpeningOptions): TuiOpening {
    return new TuiOpening(opts);
  }

  private async open(): Promise<ServerSession> {
    const session = await ServerSession.connect({ env: this.opts.env, program: 'umux-tui', ride: true, readOnly: this.opts.readOnly });
    if (this.disposed) session.dispose();
    else this.owned = session;
    return session;
  }

  /** Subscribes with the pushes held; done once the first list is here (or the session is gone meanwhile). */
  private async subscribeHeld(session: ServerSession): Promise<void> {
    if (this.disposed) return;
    const seen = new Promise<void>((resolve) => (this.listedNow = resolve));
    this.release = session.holdPushes((msg) => this.pushed(session, msg));
    await session.subscribe({ host: true, history: false });
    this.subscribed = true;
    const gone = [session.onClose(this.listedNow), session.onAway(this.listedNow)];
    await seen;
    for (const g of gone) g.dispose();
  }

  private pushed(session: ServerSession, msg: ServerMessage): void {
    if (msg.t !== 'guests' || this.sawList) return;
    this.sawList = true;
    const first: GuestInfo | undefined = msg.guests[0];
    const c = first && first.pid !== null ? attachableConsoles(first)[0] : undefined;
    if (first && c) {
      const stream = session.attach(first.name, c.name, { readOnly: this.opts.readOnly, ...PANE_ATTACH });
      stream.catch(() => undefined);
      this.early = { guest: first.name, console: c.name, stream };
    }
    this.listedNow();
  }

  /** The connected session, now the caller's to dispose; rejects as ServerSession.connect does. */
  async take(): Promise<ServerSession> {
    const session = await this.session;
    this.owned = undefined;
    return session;
  }

  /** Once the first guest list is here (and the first pane's attach sent), or the subscription failed. */
  listed(): Promise<void> {
    return this.ready;
  }

  /** Fires the pushes held since subscribing: call once the parts that listen exist. */
  releasePushes(): void {
    this.release();
  }

  /**
   * The stream attached early, when it is what the first pane asks for (once); otherwise undefined, and that stream
   * is detached.
   */
  claim(guest: string, consoleName: string, opts: { readOnly: boolean; scrollback?: number }): Promise<ConsoleStream> | undefined {
    const early = this.early;
    this.early = undefined;
    if (!early) return undefined;
    if (early.guest === guest && early.console === consoleName && opts.readOnly === this.opts.readOnly && opts.scrollback === PANE_ATTACH.scrollback) return early.stream;
    void early.stream.then((s) => s.dispose(), () => undefined);
    return undefined;
  }

  /** Detaches a stream no pane took; disposes the session when no one took it. */
  dispose(): void {
    this.disposed = true;
    if (this.early) void this.early.stream.then((s) => s.dispose(), () => undefined);
    this.early = undefined;
    this.owned?.dispose();
    this.owned = undefined;
  }
}
