// One guest console held by the server: every byte goes to the log file first (write-through), then to the
// terminal model, then to each attached client. A lagging client gets a fresh snapshot, never an unbounded queue,
// and never slows the guest or the other clients.

import type { Disposable } from '../core/disposable.js';
import type { ConsoleLog, LineTimes, TimedLine } from '../consoles/logfile.js';
import type { Screen } from '../term/screen.js';
import { ModelPacer } from './model-pacer.js';
import { ReadPacer } from './read-pacer.js';
import type { TypingPriority } from './typing-priority.js';
import type { AttachedClient, ScreenSnapshotWire } from '../protocol/wire-messages.js';



/** A client's view of one console, implemented by the server-client that owns the connection. */
export interface Subscriber {
  readonly client: AttachedClient;
  /** A hosting customer: other clients are told to them only as "another client" (no admin's name or pid). */
  readonly hidesOthers?: boolean;
  /** Queues bytes for the client; false (some may have gone) when this stream is past its lag limit (server-client.ts). */
  sendData(bytes: Uint8Array): boolean;
  sendSnapshot(snapshot: ScreenSnapshotWire, initial: boolean): void;
  notice(level: 'info' | 'warn' | 'error', text: string): void;
  closed(reason: string): void;
  /** Calls back once none of this stream's bytes wait on the client's connection. */
  whenDrained(fn: () => void): void;
}

type SubState = {
  sub: Subscriber;
  mode: 'live' | 'syncing' | 'lagging';
  held: Uint8Array[];
  heldBytes: number;
  scrollback: number;
  /** The size of this client's view, once it has said (the resize message). */
  size?: WindowSize;
};

export interface WindowSize {
  cols: number;
  rows: number;
}

/** Bytes buffered for one client while its snapshot is taken; more than this and it resyncs again. */
const HOLD_LIMIT = 4 * 1024 * 1024;
/** Unparsed bytes in the model above which the guest's console is paused until the model catches up. */
const MODEL_HIGH = 1024 * 1024;
const MODEL_LOW = 256 * 1024;
/** A console silent this long sends its next output in the turn it came (an echo), not at the end of the I/O phase. */
export const QUIET_MS = 20;

export interface ConsoleHubOptions {
  guest: string;
  name: string;
  log: ConsoleLog;
  screen: Screen;
  /** Writes to the guest's console (typed input, replies to the guest's terminal queries). */
  toGuest: (bytes: Uint8Array) => void;
  /** Bytes written to the guest that it has not taken yet (typing into a guest that does not read piles up here). */
  inputBacklog?: () => number;
  /**
   * The log threw (it does not for a failed write, which it counts and marks itself: ConsoleLog.onWriteFailed): the
   * console goes on without it; told once until an append works.
   */
  onLogError?: (message: string) => void;
  /** Flow control towards the guest: pause and resume reading its output. */
  pause?: () => void;
  resume?: () => void;
  /**
   * The console has a real window size (a pty): clients' sizes reach the guest through this. The size is that of
   * the client that typed last (tmux's `window-size latest`); read-only clients never set it. Without it, the hub
   * ignores clients' sizes and the model keeps the size it was given.
   */
  resize?: (size: WindowSize) => void;
  /**
   * Called after each append to the log (written or counted as lost) with the bytes it held: a kept console
   * records its commit point here (consoles/log-commit.ts).
   */
  onLogged?: (bytes: number) => void;
  /** Called when the number of attached clients changes (a console shown only while someone watches it). */
  onSubscribers?: (count: number) => void;
  /** The server's record of what is being typed into: while another console is, this one is read at a capped rate. */
  typing?: TypingPriority;
}

/** Typing that may wait for a guest that does not read, before more is refused. */
export const MAX_INPUT_BACKLOG = 1024 * 1024;

export class ConsoleHub implements Disposable {
  readonly guest: string;
  readonly name: string;
  private readonly subs = new Map<Subscriber, SubState>();
  /** When the guest's output is read: paused while the model is behind, capped while another console is typed into. */
  private readonly reads: ReadPacer;
  private disposed = false;
  /** Replays into the model under way (prime): their query answers go nowhere. */
  private priming = 0;
  private batch: Uint8Array[] = [];
  private batchBytes = 0;
  private lastFlush = -Infinity;
  private modelBacklog = 0;
  private logFailing = false;
  private readonly querySub: Disposable;
  /** Every write to the model goes through here, in order (barriers too). */
  private readonly model: ModelPacer;
  /** The client whose size the console has: the one that typed last (or the first writable one that said its size). */
  private sizeOwner: Subscriber | undefined;
  bytesIn = 0;

  constructor(private readonly opts: ConsoleHubOptions) {
    this.guest = opts.guest;
    this.name = opts.name;
    this.model = new ModelPacer(opts.screen);
    this.reads = new ReadPacer(opts, opts.typing, this);
    // Only the server's model answers the guest's terminal queries (busybox ash asks ESC[6n after each prompt).
    this.querySub = opts.screen.onQueryReply((reply) => {
      if (this.priming === 0) opts.toGuest(new TextEncoder().encode(reply));
    });
  }

  /**
   * Output from the guest. A guest's tty writes in small pieces (a line of `seq` at a time); pieces that arrive
   * together are handled as one batch at the end of the I/O phase, so the cost per piece is one array push. After a
   * quiet spell the first piece goes at once: an echo waits for no other console's batch or model piece queued
   * before it (a flooding neighbour's), and a flood is still batched from its second piece on.
   */
  feed(bytes: Uint8Array): void {
    if (this.disposed) return;
    this.bytesIn += bytes.length;
    this.reads.took(bytes.length);
    this.batch.push(bytes);
    this.batchBytes += bytes.length;
    if (this.batch.length > 1) return;
    if (performance.now() - this.lastFlush >= QUIET_MS) this.flush();
    else setImmediate(() => this.flush());
  }

  private flush(): void {
    if (this.disposed || this.batch.length === 0) return;
    this.lastFlush = performance.now();
    const bytes = this.batch.length === 1 ? this.batch[0]! : concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    // The log first, written through: a kill -9 of the server loses nothing that reached this point. A failing
    // log (disk full: the log marks the gap itself) must not stop the console or the server: the model and the
    // clients still get the bytes.
    try {
      this.opts.log.append(bytes);
      this.logFailing = false;
    } catch (err) {
      if (!this.logFailing) this.opts.onLogError?.(`${this.guest}:${this.name} log write failed: ${(err as Error).message}`);
      this.logFailing = true;
    }
    this.opts.onLogged?.(bytes.length);
    this.modelBacklog += bytes.length;
    // Paced: a flood's batch can be a megabyte, tens of ms of parsing during which no other console's echo, nor any
    // client's keystroke, would be handled.
    void this.model.write(bytes).then(() => this.parsed(bytes.length));
    if (this.modelBacklog > MODEL_HIGH) this.reads.hold('model');
    for (const st of this.subs.values()) {
      if (st.mode === 'live') {
        if (!st.sub.sendData(bytes)) this.lag(st);
      } else if (st.mode === 'syncing') {
        st.held.push(bytes);
        st.heldBytes += bytes.length;
        if (st.heldBytes > HOLD_LIMIT) this.lag(st);
      }
    }
  }

  private parsed(bytes: number): void {
    this.modelBacklog -= bytes;
    if (this.modelBacklog <= MODEL_LOW) this.reads.release('model');
  }

  /**
   * Gives the model what the console showed before this hub (the tail of its log, after a server restart), so a
   * client attaching now sees the screen as it was; nothing is logged or sent.
   */
  prime(bytes: Uint8Array): void {
    if (this.disposed || bytes.length === 0) return;
    // Old queries in the replay (ESC[6n after each prompt) are not the guest's questions now: no answers.
    this.priming++;
    void this.model.write(bytes).then(() => this.priming--);
  }

  /** Attaches a client: a snapshot consistent with the stream that follows it, then live bytes. */
  subscribe(sub: Subscriber, scrollback: number): Disposable {
    const st: SubState = { sub, mode: 'syncing', held: [], heldBytes: 0, scrollback };
    this.subs.set(sub, st);
    for (const other of this.subs.values()) {
      if (other !== st) other.sub.notice('info', `${describe(sub.client, other.sub)} attached to ${this.guest}:${this.name}`);
    }
    this.sync(st, true);
    this.opts.onSubscribers?.(this.subs.size);
    return {
      dispose: () => {
        if (!this.subs.delete(sub)) return;
        if (this.sizeOwner === sub) this.sizeOwner = undefined;
        for (const other of this.subs.values()) other.sub.notice('info', `${describe(sub.client, other.sub)} detached from ${this.guest}:${this.name}`);
        this.opts.onSubscribers?.(this.subs.size);
      },
    };
  }

  resync(sub: Subscriber): void {
    const st = this.subs.get(sub);
    if (st && st.mode === 'live') {
      st.mode = 'syncing';
      st.held = [];
      st.heldBytes = 0;
      this.sync(st, false);
    }
  }

  private sync(st: SubState, initial: boolean): void {
    this.flush(); // bytes still in the batch belong before the snapshot
    // The barrier resolves once every byte fed so far is parsed; bytes fed meanwhile are held for this client.
    void this.model.write(new Uint8Array(0)).then(() => {
      if (!this.subs.has(st.sub) || st.mode !== 'syncing') return;
      // A resync replaces the client's screen: history only in the first snapshot (serializing 2000 lines again for
      // each resync of a flooding console would cost the server tens of ms every time).
      st.sub.sendSnapshot(this.opts.screen.snapshot({ scrollback: initial ? st.scrollback : 0 }), initial);
      const held = st.held;
      st.held = [];
      st.heldBytes = 0;
      st.mode = 'live';
      for (const b of held) {
        if (!st.sub.sendData(b)) {
          this.lag(st);
          return;
        }
      }
    });
  }

  private lag(st: SubState): void {
    if (st.mode === 'lagging') return;
    st.mode = 'lagging';
    st.held = [];
    st.heldBytes = 0;
    st.sub.whenDrained(() => {
      if (!this.subs.has(st.sub) || st.mode !== 'lagging') return;
      st.mode = 'syncing';
      this.sync(st, false);
    });
  }

  /** Typed input from a client; read-only clients are refused with a message. The typist's size becomes the console's. */
  input(sub: Subscriber, bytes: Uint8Array): void {
    if (sub.client.readOnly) {
      sub.notice('error', `read-only: ${this.guest}:${this.name} does not take your typing (attach without --read-only to type)`);
      return;
    }
    const waiting = this.opts.inputBacklog?.() ?? 0;
    if (waiting > MAX_INPUT_BACKLOG) {
      // One client must not pin the server's memory by typing into a guest that is paused or not reading.
      sub.notice('error', `${this.guest}:${this.name} is not reading its console (${Math.round(waiting / 1024)} KiB of typing wait): this input was not sent`);
      return;
    }
    if (this.sizeOwner !== sub && this.subs.has(sub)) {
      this.sizeOwner = sub;
      const size = this.subs.get(sub)!.size;
      if (size) this.applySize(size);
    }
    this.opts.typing?.typed(this);
    this.opts.toGuest(bytes);
  }

  /**
   * A client's view changed size. It becomes the console's size when this client typed last, or when no attached
   * client has typed yet (a pane that has just attached); a read-only client's size is only remembered.
   */
  resize(sub: Subscriber, size: WindowSize): void {
    const st = this.subs.get(sub);
    if (!st) return;
    st.size = { cols: size.cols, rows: size.rows };
    if (sub.client.readOnly || !this.opts.resize) return;
    if (this.sizeOwner === undefined) this.sizeOwner = sub;
    if (this.sizeOwner === sub) this.applySize(st.size);
  }

  /** The console's window size (the model's). */
  get size(): WindowSize {
    return { cols: this.opts.screen.cols, rows: this.opts.screen.rows };
  }

  private applySize(size: WindowSize): void {
    if (!this.opts.resize) return;
    if (size.cols === this.opts.screen.cols && size.rows === this.opts.screen.rows) return;
    this.opts.resize?.(size);
    this.setModelSize(size);
  }

  /**
   * Resizes the model once every byte fed so far is parsed (those were drawn for the old size), then sends every
   * client a snapshot at the new size: their models take it from the snapshot. Also for a console whose size is set
   * from elsewhere (a tmux pane the admin resized).
   */
  setModelSize(size: WindowSize): void {
    this.flush();
    void this.model.write(new Uint8Array(0)).then(() => {
      if (this.disposed) return;
      this.opts.screen.resize(size.cols, size.rows);
      for (const st of this.subs.values()) this.resync(st.sub);
    });
  }

  /** Input that comes from the server itself (umux send); false when the guest has too much unread typing. */
  writeFromServer(bytes: Uint8Array): boolean {
    if ((this.opts.inputBacklog?.() ?? 0) > MAX_INPUT_BACKLOG) return false;
    this.opts.toGuest(bytes);
    return true;
  }

  /**
   * The log's last `lines` lines with the time each started (null where unknown). Bytes still waiting in the batch
   * are logged first, so the tail holds everything the guest has written so far.
   */
  readLogWithTimes(lines: number): TimedLine[] {
    this.flush();
    return this.opts.log.readTailWithTimes({ lines });
  }

  /**
   * A line of umux's own in the log (a boot marker), after the bytes still waiting in the batch; a kept console
   * records the new end. Returns where the line starts in the log, or undefined when it could not be written.
   */
  appendMarker(text: string): { ino: number; offset: number } | undefined {
    this.flush();
    const place = this.opts.log.appendMarker(text);
    this.opts.onLogged?.(0);
    return place;
  }

  /** The file this console logs to. */
  get logPath(): string {
    return this.opts.log.path;
  }

  /** The log's memory of line starts, for a hub that takes over the same console (a restarted guest). */
  get lineTimes(): LineTimes {
    return this.opts.log.lineTimes;
  }

  snapshot(scrollback: number): ScreenSnapshotWire {
    return this.opts.screen.snapshot({ scrollback });
  }

  clients(): AttachedClient[] {
    return [...this.subs.keys()].map((s) => s.client);
  }

  /** The console is gone (guest exited): tell every client, keep nothing. */
  close(reason: string): void {
    this.flush();
    for (const st of this.subs.values()) st.sub.closed(reason);
    this.subs.clear();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.close('console closed');
    this.querySub.dispose();
    this.reads.dispose();
    this.opts.typing?.forget(this);
    this.model.dispose();
    this.opts.screen.dispose();
    this.opts.log.dispose();
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Another client as `viewer` may see it: a hosting customer learns of nobody else's name or pid. */
export function seenBy(c: AttachedClient, viewer?: Subscriber): AttachedClient {
  return viewer?.hidesOthers && c.user !== viewer.client.user ? { id: c.id, pid: 0, user: 'another client', readOnly: c.readOnly } : c;
}

export function describe(client: AttachedClient, viewer?: Subscriber): string {
  const c = seenBy(client, viewer);
  if (c.pid === 0) return `${c.user}${c.readOnly ? ' (read-only)' : ''}`;
  return `${c.user} (pid ${c.pid}${c.readOnly ? ', read-only' : ''})`;
}
