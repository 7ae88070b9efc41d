// One attached console or followed log, as a client sees it: its bytes, fresh snapshots, notices, its end (and
// whether that was the server going away), and for a log follow how far in the log file it has got (`log-at` marks).

import type { Disposable } from '../core/disposable.js';
import { Emitter, type Event } from '../core/emitter.js';
import type { AttachedClient, ClientMessage, LogCursorWire, ScreenSnapshotWire, ServerMessage } from '../protocol/wire-messages.js';

/** What a stream needs of its session: sending, and forgetting it once disposed. */
export interface StreamOwner {
  send(msg: ClientMessage): void;
  sendData(stream: number, bytes: Uint8Array): void;
  forget(stream: number): void;
}

export class ConsoleStream implements Disposable {
  private readonly onDataEmitter = new Emitter<Uint8Array>();
  private readonly onSnapshotEmitter = new Emitter<ScreenSnapshotWire>();
  private readonly onNoticeEmitter = new Emitter<{ level: string; text: string }>();
  private readonly onClosedEmitter = new Emitter<string>();
  /** Data that came before anyone listened (right behind `attached`, in the same read): given to the first listener. */
  private early: Uint8Array[] | null = [];
  readonly onData: Event<Uint8Array> = (listener) => {
    const sub = this.onDataEmitter.event(listener);
    const early = this.early;
    this.early = null;
    if (early) for (const b of early) listener(b);
    return sub;
  };
  readonly onSnapshot: Event<ScreenSnapshotWire> = this.onSnapshotEmitter.event;
  readonly onNotice: Event<{ level: string; text: string }> = this.onNoticeEmitter.event;
  readonly onClosed: Event<string> = this.onClosedEmitter.event;
  closed = false;
  /** Why it closed (for a listener that came after the close). */
  closedReason = '';
  /** Closed because the server went away (not because the console or guest did): a riding client attaches again. */
  serverAway = false;
  /**
   * For a log follow with marks: how far in the log the bytes given so far reach (undefined: the server said nothing,
   * an older server). A resumed follow asks for what comes after it.
   */
  logCursor: LogCursorWire | undefined;
  /** Marks seen by this stream (an older server sends none). */
  marks = 0;
  /** Where the data frame right behind the last mark ends: it counts once that frame is here. */
  private pendingMark: LogCursorWire | undefined;

  constructor(
    private readonly session: StreamOwner,
    readonly stream: number,
    readonly guest: string,
    readonly console: string,
    readonly readOnly: boolean,
    readonly snapshot: ScreenSnapshotWire,
    readonly others: AttachedClient[],
  ) {}

  write(bytes: Uint8Array): void {
    if (!this.closed) this.session.sendData(this.stream, bytes);
  }

  /** Asks the server for a fresh snapshot (a view that skipped bytes; the server's log keeps them). */
  resync(): void {
    if (!this.closed) this.session.send({ t: 'resync', stream: this.stream });
  }

  private sentSize = '';

  /**
   * Tells the server how big this client's view of the console is (sent only when it changed). A console with a
   * real window size takes the size of the client that typed last; read-only streams say nothing.
   */
  resize(cols: number, rows: number): void {
    const c = Math.max(1, Math.floor(cols));
    const r = Math.max(1, Math.floor(rows));
    if (this.closed || this.readOnly || `${c}x${r}` === this.sentSize) return;
    this.sentSize = `${c}x${r}`;
    this.session.send({ t: 'resize', stream: this.stream, cols: c, rows: r });
  }

  /** @internal */
  handle(msg: ServerMessage | { t: 'data'; bytes: Uint8Array } | { t: 'away'; reason: string }): void {
    switch (msg.t) {
      case 'data':
        if (this.early) this.early.push(msg.bytes);
        else this.onDataEmitter.fire(msg.bytes);
        if (this.pendingMark) this.logCursor = this.pendingMark;
        this.pendingMark = undefined;
        break;
      case 'log-at': {
        this.marks++;
        const at = { ino: msg.ino, born: msg.born, offset: msg.end };
        if (msg.bytes === 0) this.logCursor = at;
        else this.pendingMark = at;
        break;
      }
      case 'snapshot':
        this.onSnapshotEmitter.fire(msg.snapshot);
        break;
      case 'notice':
        this.onNoticeEmitter.fire({ level: msg.level, text: msg.text });
        break;
      case 'closed':
        this.closed = true;
        this.closedReason = msg.reason;
        this.onClosedEmitter.fire(msg.reason);
        break;
      case 'away':
        this.closed = true;
        this.serverAway = true;
        this.onClosedEmitter.fire(msg.reason);
        break;
    }
  }

  dispose(): void {
    if (!this.closed) this.session.send({ t: 'detach', stream: this.stream });
    this.closed = true;
    this.session.forget(this.stream);
  }
}
