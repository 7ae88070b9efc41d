// One client's conversation with the server: the hello/welcome handshake (protocol version checked), typed
// requests with timeouts, and attached console streams. Holds no guest state: only what came over the wire.
// A riding session (attach, log -f, the TUI) outlives its server: when the connection drops its streams close as
// `away`, it says so, waits for a server (ride.ts) and greets the new one; its owner then attaches again.
// Over 400 lines: one class owns the socket, the request table and the pushes (held or not) they all share; the
// next split is the push side (listeners, holdPushes) into its own file.

import type { Duplex } from 'node:stream';
import os from 'node:os';
import type { Disposable } from '../core/disposable.js';
import { Emitter, type Event } from '../core/emitter.js';
import { UmuxError } from '../core/errors.js';
import { encodeDataFrame, encodeJsonFrame, FrameDecoder } from '../protocol/wire-framing.js';
import { formatLimit, MAX_CLIENT_FRAME, MAX_INPUT_CHUNK } from '../protocol/wire-limits.js';
import {
  errorFromWire,
  parseServerMessage,
  PROTOCOL_VERSION,
  versionMismatch,
  type ClientMessage,
  type GuestListWire,
  type LogCursorWire,
  type ServerMessage,
  type ServerStop,
} from '../protocol/wire-messages.js';
import { localTransport, type Transport } from './transport.js';
import { ConsoleStream } from './console-stream.js';

export { ConsoleStream } from './console-stream.js';
import { awayText, rideTimesFrom, type RideTimes } from './ride.js';
import { isProgress, type ProgressWire } from '../protocol/progress.js';
import type { HostSample } from '../protocol/host-types.js';

export const REQUEST_TIMEOUT_MS = 120_000;

/** The transport a session uses when its options name none: the local server, or the one `umux --host` chose. */
let defaultTransport: Transport = localTransport;

/** Set once by the composition root (main.ts) for `umux --host NAME …`: every session of this process goes there. */
export function useTransport(transport: Transport): void {
  defaultTransport = transport;
}

export interface RequestResult {
  data: unknown;
  text?: string;
}

/** Why the server went away: its words, and `stop` when it stopped on purpose (then no client starts one). */
export interface ServerAway {
  reason: string;
  stop?: ServerStop;
  /** The line a client shows while it waits. */
  text: string;
}

/** What subscribe asks for beyond the guest list and events. */
export interface SubscribeOptions {
  /** Host samples as the server takes them. */
  host?: boolean;
  /** false: the first sample without the server's history (ask with the `host --recent` request when it is needed). */
  history?: boolean;
}

export interface SessionOptions {
  env?: NodeJS.ProcessEnv;
  autostart?: boolean;
  program?: string;
  /** Say so in hello: the server then refuses this connection every command that changes something, and typing. */
  readOnly?: boolean;
  /** Ride through the server going away: wait for one (starting it after a crash) instead of closing. */
  ride?: boolean;
  /** The waits of a riding session (default from UMUX_RIDE_WAIT_MS). */
  rideTimes?: RideTimes;
  /** How to reach the server (default: the local one, or the host `umux --host` named). */
  transport?: Transport;
}

export class ServerSession implements Disposable {
  private decoder = new FrameDecoder();
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (m: ServerMessage) => void; reject: (e: Error) => void; timer: NodeJS.Timeout; rearm: () => void }>();
  /** Who hears the progress of a request still pending (its id). */
  private readonly progress = new Map<number, (p: ProgressWire) => void>();
  private readonly streams = new Map<number, ConsoleStream>();
  private readonly onCloseEmitter = new Emitter<string>();
  private readonly onAwayEmitter = new Emitter<ServerAway>();
  private readonly onBackEmitter = new Emitter<number>();
  private readonly onRideStatusEmitter = new Emitter<string>();
  /** The session is over for good (disposed, or a server it cannot work with): no more riding. */
  readonly onClose: Event<string> = this.onCloseEmitter.event;
  /** A riding session lost its server: its streams have closed (serverAway), it waits for one. */
  readonly onAway: Event<ServerAway> = this.onAwayEmitter.event;
  /** A riding session greeted a server again (its pid): attach again, send sizes again. */
  readonly onBack: Event<number> = this.onBackEmitter.event;
  /** What a riding session's wait is doing (it started a server). */
  readonly onRideStatus: Event<string> = this.onRideStatusEmitter.event;
  private readonly onGuestsEmitter = new Emitter<GuestListWire>();
  private readonly onEventEmitter = new Emitter<{ guest: string; at: string; text: string }>();
  private readonly onHostEmitter = new Emitter<{ sample: HostSample; history?: HostSample[] }>();
  private readonly onEventsMissedEmitter = new Emitter<number>();
  /** After subscribe: the guest list, at once and on every change. */
  readonly onGuests: Event<GuestListWire> = this.onGuestsEmitter.event;
  /** After subscribe: each event a guest's log gets. */
  readonly onEvent: Event<{ guest: string; at: string; text: string }> = this.onEventEmitter.event;
  /** After subscribe with host: each host sample (the first with the history). */
  readonly onHost: Event<{ sample: HostSample; history?: HostSample[] }> = this.onHostEmitter.event;
  /** After subscribe: this client fell behind and this many events were not sent. */
  readonly onEventsMissed: Event<number> = this.onEventsMissedEmitter.event;
  /** Requests sent on this session (the TUI's stats: an idle TUI sends none). */
  requestsSent = 0;
  serverPid = 0;
  clientId = 0;
  /** Set while a riding session has no server. */
  away: ServerAway | undefined;
  private closed = false;
  /** Set by a bye that says the server stops on purpose; read when the connection then drops. */
  private stopSaid: { reason: string; stop: ServerStop } | undefined;
  private readonly leaving = new AbortController();
  private socket!: Duplex;
  readonly transport: Transport;

  private constructor(
    socket: Duplex,
    private readonly opts: SessionOptions,
    transport: Transport,
  ) {
    this.transport = transport;
    this.use(socket);
  }

  /** Where this session's server is: `local` or a host's name. */
  get where(): string {
    return this.transport.where;
  }

  /** Where every request of this session goes (command-request.ts: host paths are made absolute only locally). */
  hostOf(_argv?: readonly string[]): string {
    return this.transport.where;
  }

  /** "the umux server", or "the umux server on HOST": the subject of this session's messages. */
  private get serverName(): string {
    return this.transport.where === 'local' ? 'the umux server' : `the umux server on ${this.transport.where}`;
  }

  /** Takes a (new) connection: a fresh decoder; events of an older socket are ignored. */
  private use(socket: Duplex): void {
    this.socket = socket;
    this.decoder = new FrameDecoder();
    socket.on('data', (chunk: Buffer) => {
      if (socket === this.socket) this.handleBytes(chunk);
    });
    socket.on('close', () => {
      if (socket === this.socket) this.lost(this.transport.whyClosed?.(socket) ?? `${this.serverName} closed the connection`);
    });
    socket.on('error', (err) => {
      if (socket === this.socket) this.lost(this.transport.whyClosed?.(socket) ?? `connection to ${this.serverName} failed: ${(err as NodeJS.ErrnoException).code ?? err.message}`);
    });
  }

  static async connect(opts: SessionOptions = {}): Promise<ServerSession> {
    const transport = opts.transport ?? defaultTransport;
    const session = new ServerSession(await transport.open({ env: opts.env ?? process.env, ...(opts.autostart === undefined ? {} : { autostart: opts.autostart }) }), opts, transport);
    try {
      await session.greet();
      return session;
    } catch (err) {
      session.dispose();
      throw transport.failed?.(err) ?? err;
    }
  }

  private async greet(): Promise<void> {
    const welcome = await this.exchange(
      { t: 'hello', version: PROTOCOL_VERSION, pid: process.pid, user: os.userInfo().username, program: this.opts.program ?? 'cli', ...(this.opts.readOnly ? { readOnly: true } : {}) },
      0,
      this.transport.helloTimeoutMs,
    );
    if (welcome.t !== 'welcome') throw new UmuxError('bad-reply', `the server answered hello with ${welcome.t}`);
    if (welcome.version !== PROTOCOL_VERSION) throw versionMismatch(welcome.version, PROTOCOL_VERSION);
    this.serverPid = welcome.serverPid;
    this.clientId = welcome.clientId;
    this.transport.reached?.();
  }

  /** The connection dropped: a riding session waits for a server, any other is closed. */
  private lost(reason: string): void {
    if (this.closed) return;
    if (!this.opts.ride) {
      this.handleClose(reason);
      return;
    }
    this.failPending(reason);
    if (this.away) return; // already waiting (a try that failed its hello)
    const said = this.stopSaid;
    this.stopSaid = undefined;
    const away: ServerAway = said ? { reason: said.reason, stop: said.stop, text: awayText(said.reason, said.stop) } : { reason, text: awayText(reason, undefined) };
    this.away = away;
    const streams = [...this.streams.values()];
    this.streams.clear();
    for (const s of streams) s.handle({ t: 'away', reason: away.text });
    this.onAwayEmitter.fire(away);
    void this.rideOut(away);
  }

  /** Waits for a server and greets it; ends the session when none comes in time or it cannot be worked with. */
  private async rideOut(away: ServerAway): Promise<void> {
    let times: RideTimes;
    try {
      times = this.opts.rideTimes ?? rideTimesFrom(this.opts.env ?? process.env);
    } catch (err) {
      this.handleClose((err as Error).message);
      return;
    }
    while (!this.closed) {
      let socket: Duplex | undefined;
      try {
        socket = await this.transport.reopen({
          env: this.opts.env ?? process.env,
          ...(away.stop ? { stop: away.stop } : {}),
          times,
          signal: this.leaving.signal,
          status: (text) => this.onRideStatusEmitter.fire(text),
        });
      } catch (err) {
        this.handleClose(err instanceof UmuxError ? err.describe() : String(err));
        return;
      }
      if (!socket || this.closed) {
        socket?.destroy();
        return;
      }
      this.use(socket);
      try {
        await this.greet();
      } catch (err) {
        if (err instanceof UmuxError && err.code === 'usage') {
          // A server of another protocol version: waiting longer does not help.
          this.handleClose(err.describe());
          return;
        }
        socket.destroy();
        continue; // it went again before its hello: wait on
      }
      this.away = undefined;
      this.onBackEmitter.fire(this.serverPid);
      return;
    }
  }

  /**
   * Runs a command on the server; rejects with the server's typed error. `onProgress` hears its long work (a
   * backup's copies); each progress message also restarts the timeout, since the server is plainly at work.
   */
  async request(argv: string[], timeoutMs = this.transport.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, onProgress?: (p: ProgressWire) => void): Promise<RequestResult> {
    this.refuseWhileAway();
    const id = this.nextId++;
    this.requestsSent++;
    if (onProgress) this.progress.set(id, onProgress);
    const reply = await this.exchange({ t: 'request', id, argv }, id, timeoutMs, argv[0]).finally(() => this.progress.delete(id));
    if (reply.t !== 'reply') throw new UmuxError('bad-reply', `the server answered a request with ${reply.t}`);
    if (!reply.ok) throw errorFromWire(reply.error);
    return reply.text === undefined ? { data: reply.data } : { data: reply.data, text: reply.text };
  }

  async attach(guest: string, consoleName: string, opts: { readOnly: boolean; scrollback?: number }): Promise<ConsoleStream> {
    this.refuseWhileAway();
    const id = this.nextId++;
    const msg: ClientMessage = { t: 'attach', id, guest, console: consoleName, readOnly: opts.readOnly, ...(opts.scrollback === undefined ? {} : { scrollback: opts.scrollback }) };
    const reply = await this.exchange(msg, id, 30_000, 'attach');
    if (reply.t === 'reply' && !reply.ok) throw errorFromWire(reply.error);
    if (reply.t !== 'attached') throw new UmuxError('bad-reply', `the server answered attach with ${reply.t}`);
    return this.streams.get(reply.stream) ?? this.registerStream(reply);
  }

  /**
   * Subscribes to the server's guest model: onGuests hears the list at once and on every change, onEvent every new
   * event, onHost (with `host`) every host sample. A riding session's subscription ends with its server: subscribe
   * again in onBack.
   */
  async subscribe(opts: SubscribeOptions = {}): Promise<void> {
    this.refuseWhileAway();
    const id = this.nextId++;
    const reply = await this.exchange({ t: 'subscribe', id, ...(opts.host ? { host: true } : {}), ...(opts.history === false ? { history: false as const } : {}) }, id, 10_000, 'subscribe');
    if (reply.t === 'reply' && !reply.ok) throw errorFromWire(reply.error);
    if (reply.t !== 'reply') throw new UmuxError('bad-reply', `the server answered subscribe with ${reply.t}`);
  }

  /** Streams are registered as their `attached` message is read, so data frames right behind it are not lost. */
  private registerStream(msg: Extract<ServerMessage, { t: 'attached' }>): ConsoleStream {
    const stream = new ConsoleStream(this, msg.stream, msg.guest, msg.console, msg.readOnly, msg.snapshot, msg.others);
    this.streams.set(msg.stream, stream);
    return stream;
  }

  /** @internal A riding session without a server refuses at once, saying why. */
  private refuseWhileAway(): void {
    if (this.away) throw new UmuxError('not-running', `no umux server: ${this.away.text}`);
  }

  /**
   * Follows a console's log: its last `lines` lines, then every byte appended, until disposed. With `times`, the
   * server puts a `HH:MM:SS.mmm ` prefix (or `--` padded, unknown) before every line. With `from` (a stream's
   * logCursor), it resumes after that place instead. The stream's logCursor says how far it has got.
   */
  async followLog(guest: string, consoleName: string, lines: number, opts: { times?: boolean; from?: LogCursorWire } = {}): Promise<ConsoleStream> {
    this.refuseWhileAway();
    const id = this.nextId++;
    const msg: ClientMessage = { t: 'follow-log', id, guest, console: consoleName, lines, marks: true, ...(opts.times ? { times: true } : {}), ...(opts.from ? { from: opts.from } : {}) };
    const reply = await this.exchange(msg, id, 30_000, 'log -f');
    if (reply.t === 'reply' && !reply.ok) throw errorFromWire(reply.error);
    if (reply.t !== 'attached') throw new UmuxError('bad-reply', `the server answered log -f with ${reply.t}`);
    return this.streams.get(reply.stream) ?? this.registerStream(reply);
  }

  /** @internal Throws `too-long` for a message the server would refuse for its size (a request's huge argv). */
  send(msg: ClientMessage): void {
    if (this.closed) return;
    const frame = encodeJsonFrame(msg);
    if (frame.length - 4 > MAX_CLIENT_FRAME) {
      throw new UmuxError('too-long', `a ${msg.t} of ${frame.length} bytes is more than the umux server takes (${formatLimit(MAX_CLIENT_FRAME)})`, {
        hint: 'send less at once (for long text: several umux send commands)',
      });
    }
    this.socket.write(frame);
  }

  /** @internal Typed input, in frames the server takes (a large paste goes as several). */
  sendData(stream: number, bytes: Uint8Array): void {
    if (this.closed) return;
    for (let at = 0; at < bytes.length; at += MAX_INPUT_CHUNK) this.socket.write(encodeDataFrame(stream, bytes.subarray(at, at + MAX_INPUT_CHUNK)));
  }

  /** @internal */
  forget(stream: number): void {
    this.streams.delete(stream);
  }

  private exchange(msg: ClientMessage, id: number, timeoutMs: number, what: string = msg.t): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new UmuxError('not-running', `the connection to ${this.serverName} is closed`));
        return;
      }
      const expire = () => {
        this.pending.delete(id);
        reject(new UmuxError('timeout', `${this.serverName} did not answer "${what}" in ${timeoutMs} ms`, { hint: `see its log: umux server writes ~/.local/state/umux/server.log${this.where === 'local' ? '' : ` on ${this.where}`}` }));
      };
      const entry = {
        resolve,
        reject,
        timer: setTimeout(expire, timeoutMs),
        rearm: () => {
          clearTimeout(entry.timer);
          entry.timer = setTimeout(expire, timeoutMs);
        },
      };
      this.pending.set(id, entry);
      try {
        this.send(msg);
      } catch (err) {
        clearTimeout(entry.timer);
        this.pending.delete(id);
        reject(err as Error);
      }
    });
  }

  private handleBytes(chunk: Buffer): void {
    let frames;
    try {
      frames = this.decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (err) {
      this.handleClose((err as Error).message);
      this.socket.destroy();
      return;
    }
    for (const frame of frames) {
      if (frame.kind === 'data') {
        this.streams.get(frame.stream)?.handle({ t: 'data', bytes: frame.bytes });
        continue;
      }
      const msg = parseServerMessage(frame.value);
      if (msg.t === 'progress') {
        this.pending.get(msg.id)?.rearm();
        if (isProgress(msg.progress)) this.progress.get(msg.id)?.(msg.progress);
        continue;
      }
      if (this.pushed(msg)) continue;
      const id = msg.t === 'welcome' ? 0 : msg.t === 'reply' || msg.t === 'attached' ? msg.id : undefined;
      if (msg.t === 'attached') this.registerStream(msg);
      if (id !== undefined) {
        const p = this.pending.get(id);
        if (p) {
          clearTimeout(p.timer);
          this.pending.delete(id);
          p.resolve(msg);
        }
      } else if ('stream' in msg && msg.stream !== undefined) {
        this.streams.get(msg.stream)?.handle(msg);
      } else if (msg.t === 'bye') {
        // A server stopping on purpose: a riding session waits for a new one (the connection drop follows).
        if (msg.stop && this.opts.ride) this.stopSaid = { reason: msg.reason, stop: msg.stop };
        else this.handleClose(msg.reason);
      }
    }
  }

  /** Pushed messages kept while held (holdPushes), and who sees each as it comes. */
  private held: { msgs: ServerMessage[]; peek: (msg: ServerMessage) => void } | undefined;

  /**
   * From now on, messages of the subscription (guests, events, host samples) are kept instead of fired, each shown
   * to `peek` as it comes; the returned release fires them in order, so listeners that come later miss none (the TUI
   * subscribes before its parts exist: tui/opening.ts).
   */
  holdPushes(peek: (msg: ServerMessage) => void = () => undefined): () => void {
    const held = { msgs: [] as ServerMessage[], peek };
    this.held = held;
    return () => {
      if (this.held !== held) return;
      this.held = undefined;
      for (const msg of held.msgs) this.pushed(msg);
    };
  }

  /** A message of the subscription, handed to its listeners (true), or another kind (false). */
  private pushed(msg: ServerMessage): boolean {
    if (this.held && (msg.t === 'guests' || msg.t === 'event' || msg.t === 'host' || msg.t === 'events-missed')) {
      this.held.msgs.push(msg);
      this.held.peek(msg);
      return true;
    }
    switch (msg.t) {
      case 'guests':
        this.onGuestsEmitter.fire({ guests: msg.guests, problems: msg.problems });
        return true;
      case 'event':
        this.onEventEmitter.fire({ guest: msg.guest, at: msg.at, text: msg.text });
        return true;
      case 'host':
        this.onHostEmitter.fire(msg.history ? { sample: msg.sample, history: msg.history } : { sample: msg.sample });
        return true;
      case 'events-missed':
        this.onEventsMissedEmitter.fire(msg.count);
        return true;
      default:
        return false;
    }
  }

  private failPending(reason: string): void {
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new UmuxError('not-running', reason));
    }
    this.pending.clear();
  }

  private handleClose(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.leaving.abort();
    this.failPending(reason);
    for (const s of this.streams.values()) s.handle({ t: 'closed', stream: s.stream, reason });
    this.onCloseEmitter.fire(reason);
  }

  dispose(): void {
    this.handleClose('client closed the connection');
    this.socket.end();
    this.socket.destroy();
  }
}

/** What the TUI's guest parts use of a session: one server's, or several hosts' behind one face (tui/host-sessions.ts). */
export type GuestSession = Pick<ServerSession, 'request' | 'attach' | 'subscribe' | 'onGuests' | 'onHost' | 'away' | 'hostOf'>;
