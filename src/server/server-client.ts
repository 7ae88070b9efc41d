// One connected client, seen from the server (tmux server-client.c): the handshake, requests handed to the
// dispatcher, attached console streams, typed input, and backpressure: lag is judged per stream (stream-backlog.ts),
// so a flooding console is resynced later while a quiet one's bytes go out at once.
// What one client may cost is bounded (frame size and time, streams, requests in flight, unread replies). A client
// that said read-only in hello is refused every changing request and typing attach here, before dispatch. A
// subscription to the guest feed (subscription.ts) holds its pushes while the socket lags. A hosting customer's
// connection (server/hosting.ts) is checked against their grants here too (customer-view.ts), before read-only.
// Over 400 lines: the per-message handling and the limits share the connection's state; the follow-log part
// (marks, pausing) would be the piece to split out next.

import type net from 'node:net';
import type { Disposable } from '../core/disposable.js';
import { UmuxError } from '../core/errors.js';
import { encodeDataFrame, encodeJsonFrame, FrameDecoder, type Frame } from '../protocol/wire-framing.js';
import { formatLimit, MAX_CLIENT_FRAME } from '../protocol/wire-limits.js';
import {
  errorToWire,
  parseClientMessage,
  PROTOCOL_VERSION,
  requestIdOf,
  type AttachedClient,
  type ClientMessage,
  type LogCursorWire,
  type ScreenSnapshotWire,
  type ServerMessage,
  type ServerStop,
} from '../protocol/wire-messages.js';
import type { ProgressWire } from '../protocol/progress.js';
import { readOnlyAttachRefusal, readOnlyRefusal } from '../commands/read-only.js';
import { seenBy, type ConsoleHub, type Subscriber } from './console-hub.js';
import type { FollowListener, LogFollow, LogPosition } from '../consoles/log-follow.js';
import { Subscription } from './subscription.js';
import { CONNECTION_LAG_LIMIT, StreamBacklog } from './stream-backlog.js';
import type { FeedSink } from './guest-feed.js';
import { CustomerSink, customerRefusal, customerReply, type Customer } from './customer-view.js';

export interface FollowContextOptions {
  times?: boolean;
  from?: LogCursorWire;
  onNotice?: (text: string) => void;
}

/**
 * Bytes queued on a client's socket beyond which its guest-feed pushes are held and a followed log pauses. Console
 * streams are judged each by its own queue (stream-backlog.ts), much smaller.
 */
export const LAG_LIMIT = CONNECTION_LAG_LIMIT;
/**
 * Console bytes go out in frames of at most this much, each judged on its own: a big batch (a flood read in one go)
 * lags once the socket stops taking it, instead of going whole onto the socket ahead of a neighbour's echo.
 */
export const DATA_PIECE = 16 * 1024;
/** Consoles and logs one connection may hold at once (attach and follow-log each hold one until detached). */
export const MAX_STREAMS = 64;
/** Requests of one connection the server runs at once; more are refused until replies have gone out. */
export const MAX_IN_FLIGHT = 32;
/** Replies and snapshots queued unread for one client beyond which it is let go: it does not read its socket. */
export const MAX_UNREAD = 64 * 1024 * 1024;
/** Time the server spends on one client's messages before it turns to others (the rest wait for a later turn). */
export const TURN_MS = 10;
/** How long a begun frame may take to end, and a new connection to say hello, unless UMUX_FRAME_TIMEOUT_MS says. */
export const DEFAULT_FRAME_TIMEOUT_MS = 10_000;

export interface ServerContext {
  readonly version: string;
  /** A client whose frame has begun and not ended in this time (or that says no hello in it) is let go. */
  readonly frameTimeoutMs: number;
  /** Runs a request; long work reports through `progress` (each call becomes a progress message). */
  handleRequest(client: ServerClient, argv: string[], progress?: (p: ProgressWire) => void): Promise<{ data: unknown; text?: string }>;
  findConsole(guest: string, console: string): ConsoleHub;
  /**
   * Follows a console's log file from its last `lines` lines, or resumes after `from` (with `times`, each line prefixed
   * with its time); throws when there is no such guest or console. onData returning false pauses it until resumed.
   */
  followLog(guest: string, console: string, lines: number, onData: FollowListener, opts?: FollowContextOptions): LogFollow;
  log(line: string): void;
  /** Adds a subscriber to the guest feed (guest-feed.ts): it gets the list at once. */
  subscribe(sink: FeedSink): Disposable;
  /** Something a guest row shows may have changed (a console's clients): subscribers hear it if it did. */
  changed(): void;
}

class StreamSub implements Subscriber {
  sub: Disposable | undefined;
  constructor(
    private readonly owner: ServerClient,
    readonly stream: number,
    readonly hub: ConsoleHub,
    readonly client: AttachedClient,
    private readonly attachId: number,
    readonly hidesOthers = false,
  ) {}
  sendData(bytes: Uint8Array): boolean {
    return this.owner.sendData(this.stream, bytes);
  }
  sendSnapshot(snapshot: ScreenSnapshotWire, initial: boolean): void {
    if (initial) {
      this.owner.send({
        t: 'attached',
        id: this.attachId,
        stream: this.stream,
        guest: this.hub.guest,
        console: this.hub.name,
        readOnly: this.client.readOnly,
        snapshot,
        others: this.hub.clients().filter((c) => c.id !== this.client.id).map((c) => seenBy(c, this)),
      });
    } else {
      this.owner.send({ t: 'snapshot', stream: this.stream, snapshot });
    }
  }
  notice(level: 'info' | 'warn' | 'error', text: string): void {
    this.owner.send({ t: 'notice', stream: this.stream, level, text });
  }
  closed(reason: string): void {
    this.owner.send({ t: 'closed', stream: this.stream, reason });
    this.owner.dropStream(this.stream);
  }
  whenDrained(fn: () => void): void {
    this.owner.whenStreamDrained(this.stream, fn);
  }
}

let nextClientId = 1;

export class ServerClient implements Disposable {
  readonly id = nextClientId++;
  private readonly decoder = new FrameDecoder({
    maxFrame: MAX_CLIENT_FRAME,
    sender: 'a client',
    hint: `umux clients send at most ${formatLimit(MAX_CLIENT_FRAME)} per frame: this client is not umux, or a different version`,
  });
  private greeted = false;
  private inFlight = 0;
  /** Frames read and not yet handled (from `next` on): a client's burst is handled a turn at a time. */
  private queue: Frame[] = [];
  private next = 0;
  /** Runs while a frame has begun and not ended, or until hello: the client is let go when it fires. */
  private frameTimer: NodeJS.Timeout | undefined;
  pid = 0;
  user = '?';
  program = '?';
  /** Said in hello: this connection only looks (every changing request and typing attach is refused). */
  readOnly = false;
  private readonly streams = new Map<number, StreamSub>();
  /** Each console stream's bytes still queued on the socket: the lag decision is per stream. */
  private readonly backlog = new StreamBacklog();
  private readonly follows = new Map<number, LogFollow>();
  private nextStream = 1;
  private closed = false;
  /** The guest feed this connection subscribed to, if it did. */
  private subscription: { sub: Subscription; feed: Disposable } | undefined;

  /** Follows by stream, with their guest: a changed hosting policy checks them again. */
  private readonly followGuests = new Map<number, string>();
  /** Streams the hosting policy made read-only (the customer asked to type). */
  private readonly policyReadOnly = new Set<number>();
  /** The attach being handled was made read-only by the policy. */
  private downgradeNext = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly ctx: ServerContext,
    /** A hosting customer (their own socket): everything they send is checked against their grants. */
    readonly customer?: Customer,
  ) {
    socket.on('data', (chunk: Buffer) => this.handleBytes(chunk));
    socket.on('close', () => this.dispose());
    socket.on('error', () => this.dispose());
    this.frameTimer = setTimeout(() => this.disconnect(`no hello within ${ctx.frameTimeoutMs} ms of connecting`), ctx.frameTimeoutMs);
  }

  send(msg: ServerMessage): void {
    if (this.closed) return;
    this.socket.write(encodeJsonFrame(msg));
    if (this.socket.writableLength > MAX_UNREAD) {
      this.disconnect(`${this.socket.writableLength} bytes of replies unread: the server keeps at most ${formatLimit(MAX_UNREAD)} for a client`);
    }
  }

  /**
   * Lets a client go that went past a limit or broke the protocol: one `bye` saying why, then the connection is
   * ended and nothing more is read. The socket is destroyed a second later, not at once: a client still busy writing
   * would otherwise meet a broken pipe before it reads the bye.
   */
  disconnect(reason: string): void {
    if (this.closed) return;
    this.ctx.log(`client ${this.id} (pid ${this.pid}, ${this.user}): ${reason}; closing`);
    this.socket.write(encodeJsonFrame({ t: 'bye', reason } satisfies ServerMessage));
    this.release();
    this.socket.pause();
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  /**
   * The server is going on purpose: a `bye` saying so (`stop`: clients riding through restarts then start no server
   * themselves), everything released, the socket ended. Resolves once the bye has left, or after `flushMs`.
   */
  goodbye(reason: string, stop: ServerStop, flushMs = 500): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.release();
    return new Promise((resolve) => {
      const timer = setTimeout(done, flushMs);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.socket.once('close', done);
      this.socket.end(encodeJsonFrame({ t: 'bye', reason, stop } satisfies ServerMessage), done);
    });
  }

  /**
   * Queues console bytes; false (the stream is lagging: its console resyncs it later) once this stream's own bytes
   * queued on the socket are past the stream limit, or the connection is full and this stream is not quiet (the
   * first pieces may have gone: the snapshot that resyncs it covers them too).
   */
  sendData(stream: number, bytes: Uint8Array): boolean {
    for (let at = 0; at < bytes.length && !this.closed; at += DATA_PIECE) {
      if (!this.backlog.fits(stream, this.socket.writableLength)) return false;
      const frame = encodeDataFrame(stream, bytes.subarray(at, at + DATA_PIECE));
      this.backlog.add(stream, frame.length);
      this.socket.write(frame, () => this.backlog.sent(stream, frame.length));
    }
    return true;
  }

  /** Calls `fn` once none of this stream's bytes wait on the socket (a lagging stream resyncs then). */
  whenStreamDrained(stream: number, fn: () => void): void {
    if (!this.closed) this.backlog.whenDrained(stream, fn);
  }

  /**
   * A followed log's bytes (after a `log-at` saying where they end, when asked for), in one write so a server killed
   * meanwhile leaves the client either both or a frame it drops. Never dropped for lag: false pauses the follow (the
   * file keeps the rest) until the socket has drained.
   */
  private sendFollowData(stream: number, bytes: Uint8Array, at: LogPosition | undefined): boolean {
    if (this.closed) return false;
    const data = encodeDataFrame(stream, bytes);
    this.socket.write(at ? Buffer.concat([encodeJsonFrame({ t: 'log-at', stream, ino: at.ino, born: at.born, end: at.end, bytes: bytes.length } satisfies ServerMessage), data]) : data);
    if (this.socket.writableLength <= LAG_LIMIT) return true;
    this.whenDrained(() => this.follows.get(stream)?.resume());
    return false;
  }

  /** More than LAG_LIMIT bytes wait on the socket: pushes to a subscriber are held (subscription.ts). */
  lagging(): boolean {
    return this.socket.writableLength > LAG_LIMIT;
  }

  whenDrained(fn: () => void): void {
    if (this.closed) return;
    if (this.socket.writableLength === 0) queueMicrotask(fn);
    else this.socket.once('drain', fn);
  }

  dropStream(stream: number): void {
    const s = this.streams.get(stream);
    s?.sub?.dispose();
    this.streams.delete(stream);
    this.policyReadOnly.delete(stream);
    this.backlog.forget(stream);
    if (s) this.ctx.changed(); // its console's client count
  }

  describeClients(): AttachedClient[] {
    return [...this.streams.values()].map((s) => s.client);
  }

  private handleBytes(chunk: Buffer): void {
    if (this.closed) return;
    let frames;
    try {
      frames = this.decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (err) {
      this.disconnect((err as Error).message);
      return;
    }
    this.watchFrame(frames.length > 0);
    this.queue = this.next < this.queue.length ? this.queue.slice(this.next).concat(frames) : frames;
    this.next = 0;
    this.work();
  }

  /**
   * Handles queued frames for at most TURN_MS, then lets other clients have the server: the socket is paused until
   * the rest is done on a later turn, so a client that sends thousands of messages at once delays only itself.
   */
  private work(): void {
    const start = performance.now();
    while (this.next < this.queue.length && !this.closed) {
      if (performance.now() - start > TURN_MS) {
        this.socket.pause();
        setImmediate(() => this.work());
        return;
      }
      this.handleFrame(this.queue[this.next++]!);
    }
    this.queue = [];
    this.next = 0;
    if (!this.closed) this.socket.resume();
  }

  private handleFrame(frame: Frame): void {
    if (frame.kind === 'data') {
      const s = this.streams.get(frame.stream);
      if (s && this.policyReadOnly.has(frame.stream)) {
        s.notice('error', `typing on ${s.hub.guest}'s console: the hosting policy gives you read-only access; ask the host's admin for read-write`);
      } else if (s) s.hub.input(s, frame.bytes);
      return;
    }
    let msg: ClientMessage;
    try {
      msg = parseClientMessage(frame.value);
    } catch (err) {
      this.refuse(frame.value, err);
      return;
    }
    this.handleMessage(msg);
  }

  /**
   * Starts the frame timer when a frame has begun (restarted each time frames end), stops it between frames. Until
   * hello, the hello timer set at connection runs instead.
   */
  private watchFrame(framesEnded: boolean): void {
    if (!this.greeted) return;
    if (this.decoder.pending === 0) {
      clearTimeout(this.frameTimer);
      this.frameTimer = undefined;
    } else if (framesEnded || this.frameTimer === undefined) {
      clearTimeout(this.frameTimer);
      const ms = this.ctx.frameTimeoutMs;
      this.frameTimer = setTimeout(() => this.disconnect(`a wire frame was begun but not finished within ${ms} ms (${this.decoder.pending} bytes came)`), ms);
    }
  }

  /** A message that failed validation: the reply to its request when it has an id, else a notice; a bad hello ends it. */
  private refuse(value: unknown, err: unknown): void {
    const message = (err as Error).message;
    if (!this.greeted) {
      this.disconnect(message);
      return;
    }
    const id = requestIdOf(value);
    if (id === undefined) this.send({ t: 'notice', level: 'error', text: message });
    else this.send({ t: 'reply', id, ok: false, error: errorToWire(err) });
  }

  private handleMessage(msg: ClientMessage): void {
    if (!this.greeted && msg.t !== 'hello') {
      this.disconnect('expected hello first');
      return;
    }
    const refused = this.customerRefusal(msg) ?? this.readOnlyRefusal(msg);
    if (refused) {
      this.send({ t: 'reply', id: refused.id, ok: false, error: errorToWire(refused.error) });
      return;
    }
    switch (msg.t) {
      case 'hello':
        return this.onHello(msg);
      case 'request':
        return this.onRequest(msg);
      case 'attach':
        return this.onAttach(msg);
      case 'follow-log':
        return this.onFollowLog(msg);
      case 'detach':
        this.follows.get(msg.stream)?.dispose();
        this.follows.delete(msg.stream);
        this.followGuests.delete(msg.stream);
        this.dropStream(msg.stream);
        return;
      case 'subscribe': {
        this.unsubscribe();
        this.send({ t: 'reply', id: msg.id, ok: true, data: null });
        this.subscribeFeed(msg.host === true, msg.history !== false);
        return;
      }
      case 'unsubscribe':
        return this.unsubscribe();
      case 'resync': {
        const s = this.streams.get(msg.stream);
        if (s) s.hub.resync(s);
        return;
      }
      case 'resize': {
        const s = this.streams.get(msg.stream);
        if (s) s.hub.resize(s, { cols: msg.cols, rows: msg.rows });
        return;
      }
    }
  }

  private onHello(msg: Extract<ClientMessage, { t: 'hello' }>): void {
    if (this.greeted) {
      this.disconnect('a second hello: a connection says hello once (a read-only one stays read-only)');
      return;
    }
    this.greeted = true;
    this.readOnly = msg.readOnly === true;
    clearTimeout(this.frameTimer);
    this.frameTimer = undefined;
    this.watchFrame(false);
    this.pid = msg.pid;
    // A customer is who their socket says, whatever the hello claims.
    this.user = this.customer ? this.customer.principal.name : msg.user;
    this.program = msg.program;
    // Our version goes back either way: the client decides and explains a mismatch.
    this.send({ t: 'welcome', version: PROTOCOL_VERSION, serverPid: process.pid, serverVersion: this.ctx.version, clientId: this.id });
    if (msg.version !== PROTOCOL_VERSION) this.ctx.log(`client ${this.id} (pid ${msg.pid}) speaks protocol ${msg.version}, we speak ${PROTOCOL_VERSION}`);
  }

  private onRequest(msg: Extract<ClientMessage, { t: 'request' }>): void {
    if (this.inFlight >= MAX_IN_FLIGHT) {
      this.send({ t: 'reply', id: msg.id, ok: false, error: errorToWire(tooMany(`at most ${MAX_IN_FLIGHT} requests in flight per connection`, 'wait for replies before sending more')) });
      return;
    }
    this.inFlight++;
    this.ctx.handleRequest(this, msg.argv, (progress) => this.send({ t: 'progress', id: msg.id, progress })).finally(() => this.inFlight--).then(
      (r) => this.send({ t: 'reply', id: msg.id, ok: true, data: this.customer ? customerReply(this.customer, msg.argv, r.data) : r.data, ...(r.text === undefined ? {} : { text: r.text }) }),
      (err: unknown) => {
        if (!(err instanceof UmuxError)) this.ctx.log(`request ${msg.argv.join(' ')} failed: ${(err as Error)?.stack ?? String(err)}`);
        this.send({ t: 'reply', id: msg.id, ok: false, error: errorToWire(err) });
      },
    );
  }

  private onAttach(msg: Extract<ClientMessage, { t: 'attach' }>): void {
    const downgraded = this.downgradeNext;
    this.downgradeNext = false;
    if (this.refuseStream(msg.id)) return;
    let hub: ConsoleHub;
    try {
      hub = this.ctx.findConsole(msg.guest, msg.console);
    } catch (err) {
      this.send({ t: 'reply', id: msg.id, ok: false, error: errorToWire(err) });
      return;
    }
    const stream = this.nextStream++;
    if (downgraded) this.policyReadOnly.add(stream);
    const sub = new StreamSub(this, stream, hub, { id: this.id, pid: this.pid, user: this.user, readOnly: msg.readOnly }, msg.id, this.customer !== undefined);
    this.streams.set(stream, sub);
    sub.sub = hub.subscribe(sub, msg.scrollback ?? 2000);
    this.ctx.changed();
  }

  private onFollowLog(msg: Extract<ClientMessage, { t: 'follow-log' }>): void {
    if (this.refuseStream(msg.id)) return;
    const stream = this.nextStream++;
    try {
      this.send({ t: 'attached', id: msg.id, stream, guest: msg.guest, console: msg.console, readOnly: true, snapshot: { cols: 0, rows: 0, data: '' }, others: [] });
      const follow = this.ctx.followLog(msg.guest, msg.console, msg.lines, (bytes, at) => this.sendFollowData(stream, bytes, msg.marks === true ? at : undefined), {
        times: msg.times === true,
        ...(msg.from ? { from: msg.from } : {}),
        onNotice: (text) => this.send({ t: 'notice', stream, level: 'warn', text }),
      });
      this.follows.set(stream, follow);
      this.followGuests.set(stream, msg.guest);
      // Where the follow stands before any byte: a client that resumes later knows its place even if none came.
      const at = follow.position();
      if (msg.marks === true && at && !msg.from) this.send({ t: 'log-at', stream, ino: at.ino, born: at.born, end: at.end, bytes: 0 });
    } catch (err) {
      this.send({ t: 'closed', stream, reason: (err as Error).message });
    }
  }

  /**
   * The one place read-only is enforced: a read-only connection's request that changes something (the command
   * table's `changes`), or its attach to type, is refused here before anything runs.
   */
  private readOnlyRefusal(msg: ClientMessage): { id: number; error: UmuxError } | undefined {
    if (!this.readOnly) return undefined;
    if (msg.t === 'request') {
      const error = readOnlyRefusal(msg.argv, this.program);
      return error && { id: msg.id, error };
    }
    if (msg.t === 'attach' && !msg.readOnly) return { id: msg.id, error: readOnlyAttachRefusal(this.program) };
    return undefined;
  }

  /**
   * The hosting customer check (customer-view.ts): a refusal, or nothing; an attach to type that the policy lets only
   * look goes on read-only, and its typing is refused with a line saying why.
   */
  private customerRefusal(msg: ClientMessage): { id: number; error: UmuxError } | undefined {
    if (!this.customer || msg.t === 'hello') return undefined;
    const verdict = customerRefusal(this.customer, msg);
    if ('error' in verdict) return 'id' in msg ? { id: msg.id, error: verdict.error } : undefined;
    if (verdict.downgraded && msg.t === 'attach') {
      msg.readOnly = true;
      this.downgradeNext = true;
    }
    return undefined;
  }

  private subscribeFeed(host: boolean, history = true): void {
    this.unsubscribe();
    const sub = new Subscription(this, host, history);
    const sink: FeedSink = this.customer ? new CustomerSink(this.customer, sub) : sub;
    this.subscription = { sub, feed: this.ctx.subscribe(sink) };
  }

  /**
   * The hosting policy changed: consoles and logs it no longer allows are closed (a console now read-only too), the
   * guest feed is sent again cut to the new grants; `gone`: the policy no longer names this user at all.
   */
  policyChanged(gone: boolean): void {
    if (!this.customer || this.closed) return;
    if (gone) return this.disconnect('the hosting policy no longer gives you access to this server');
    const access = this.customer.principal.access;
    const allowed = (guest: string, typing: boolean) => {
      const g = this.customer!.find(guest);
      return g !== undefined && access.canSee(g) && access.consoleRefusal(g, typing) === undefined;
    };
    for (const s of [...this.streams.values()]) {
      const typing = !s.client.readOnly;
      if (!allowed(s.hub.guest, typing)) s.closed(`the hosting policy no longer gives you ${s.hub.guest}'s console${typing ? ' to type' : ''}`);
    }
    for (const [stream, guest] of [...this.followGuests]) {
      if (allowed(guest, false)) continue;
      this.follows.get(stream)?.dispose();
      this.follows.delete(stream);
      this.followGuests.delete(stream);
      this.send({ t: 'closed', stream, reason: `the hosting policy no longer gives you ${guest}'s console` });
    }
    if (this.subscription) this.subscribeFeed(false);
  }

  private unsubscribe(): void {
    this.subscription?.sub.end();
    this.subscription?.feed.dispose();
    this.subscription = undefined;
  }

  /** True (and the attach or follow refused) when the connection already holds MAX_STREAMS streams. */
  private refuseStream(id: number): boolean {
    if (this.streams.size + this.follows.size < MAX_STREAMS) return false;
    const err = tooMany(`at most ${MAX_STREAMS} consoles and logs per connection`, 'detach from some first: each attach and log -f holds one');
    this.send({ t: 'reply', id, ok: false, error: errorToWire(err) });
    return true;
  }

  /** Stops everything this client holds; the socket is left to the caller. */
  private release(): void {
    this.closed = true;
    clearTimeout(this.frameTimer);
    this.frameTimer = undefined;
    this.unsubscribe();
    const had = this.streams.size > 0;
    for (const s of this.streams.values()) s.sub?.dispose();
    this.streams.clear();
    this.backlog.clear();
    if (had) this.ctx.changed();
    for (const f of this.follows.values()) f.dispose();
    this.follows.clear();
  }

  dispose(): void {
    if (!this.closed) this.release();
    this.socket.destroy();
  }
}

function tooMany(limit: string, hint: string): UmuxError {
  return new UmuxError('busy', `too many: ${limit}`, { hint });
}
