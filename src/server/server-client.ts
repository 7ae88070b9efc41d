// One connected client, seen from the server (tmux server-client.c): the handshake, requests handed to the
// dispatcher, attached console streams, typed input, and backpressure: a client whose socket backs up is lagging.

import type net from 'node:net';
import type { Disposable } from '../core/disposable.js';
import { UmuxError } from '../core/errors.js';
import { encodeDataFrame, encodeJsonFrame, FrameDecoder } from '../protocol/wire-framing.js';
import {
  errorToWire,
  parseClientMessage,
  PROTOCOL_VERSION,
  type AttachedClient,
  type ClientMessage,
  type ScreenSnapshotWire,
  type ServerMessage,
} from '../protocol/wire-messages.js';
import type { ConsoleHub, Subscriber } from './console-hub.js';

/** Bytes queued on a client's socket beyond which it counts as lagging (it then gets a snapshot later). */
export const LAG_LIMIT = 2 * 1024 * 1024;

export interface ServerContext {
  readonly version: string;
  handleRequest(client: ServerClient, argv: string[]): Promise<{ data: unknown; text?: string }>;
  findConsole(guest: string, console: string): ConsoleHub;
  /**
   * Follows a console's log file from its last `lines` lines (with `times`, each line prefixed with its time); throws
   * when there is no such guest or console.
   */
  followLog(guest: string, console: string, lines: number, onData: (bytes: Uint8Array) => void, opts?: { times?: boolean }): Disposable;
  log(line: string): void;
}

class StreamSub implements Subscriber {
  sub: Disposable | undefined;
  constructor(
    private readonly owner: ServerClient,
    readonly stream: number,
    readonly hub: ConsoleHub,
    readonly client: AttachedClient,
    private readonly attachId: number,
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
        others: this.hub.clients().filter((c) => c.id !== this.client.id),
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
    this.owner.whenDrained(fn);
  }
}

let nextClientId = 1;

export class ServerClient implements Disposable {
  readonly id = nextClientId++;
  private readonly decoder = new FrameDecoder();
  private greeted = false;
  pid = 0;
  user = '?';
  program = '?';
  private readonly streams = new Map<number, StreamSub>();
  private readonly follows = new Map<number, Disposable>();
  private nextStream = 1;
  private closed = false;

  constructor(
    private readonly socket: net.Socket,
    private readonly ctx: ServerContext,
  ) {
    socket.on('data', (chunk: Buffer) => this.handleBytes(chunk));
    socket.on('close', () => this.dispose());
    socket.on('error', () => this.dispose());
  }

  send(msg: ServerMessage): void {
    if (!this.closed) this.socket.write(encodeJsonFrame(msg));
  }

  /** Queues console bytes; false once the socket holds more than LAG_LIMIT unsent bytes. */
  sendData(stream: number, bytes: Uint8Array): boolean {
    if (this.closed) return true;
    if (this.socket.writableLength > LAG_LIMIT) return false;
    this.socket.write(encodeDataFrame(stream, bytes));
    return true;
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
  }

  describeClients(): AttachedClient[] {
    return [...this.streams.values()].map((s) => s.client);
  }

  private handleBytes(chunk: Buffer): void {
    let frames;
    try {
      frames = this.decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    } catch (err) {
      this.ctx.log(`client ${this.id}: ${(err as Error).message}; closing`);
      this.send({ t: 'bye', reason: (err as Error).message });
      this.socket.end();
      return;
    }
    for (const frame of frames) {
      if (frame.kind === 'data') {
        const s = this.streams.get(frame.stream);
        if (s) s.hub.input(s, frame.bytes);
        continue;
      }
      let msg: ClientMessage;
      try {
        msg = parseClientMessage(frame.value);
      } catch (err) {
        this.send({ t: 'notice', level: 'error', text: (err as Error).message });
        continue;
      }
      this.handleMessage(msg);
    }
  }

  private handleMessage(msg: ClientMessage): void {
    if (!this.greeted && msg.t !== 'hello') {
      this.send({ t: 'bye', reason: 'expected hello first' });
      this.socket.end();
      return;
    }
    switch (msg.t) {
      case 'hello':
        this.greeted = true;
        this.pid = msg.pid;
        this.user = msg.user;
        this.program = msg.program;
        // Our version goes back either way: the client decides and explains a mismatch.
        this.send({ t: 'welcome', version: PROTOCOL_VERSION, serverPid: process.pid, serverVersion: this.ctx.version, clientId: this.id });
        if (msg.version !== PROTOCOL_VERSION) this.ctx.log(`client ${this.id} (pid ${msg.pid}) speaks protocol ${msg.version}, we speak ${PROTOCOL_VERSION}`);
        break;
      case 'request':
        this.ctx.handleRequest(this, msg.argv).then(
          (r) => this.send({ t: 'reply', id: msg.id, ok: true, data: r.data, ...(r.text === undefined ? {} : { text: r.text }) }),
          (err: unknown) => {
            if (!(err instanceof UmuxError)) this.ctx.log(`request ${msg.argv.join(' ')} failed: ${(err as Error)?.stack ?? String(err)}`);
            this.send({ t: 'reply', id: msg.id, ok: false, error: errorToWire(err) });
          },
        );
        break;
      case 'attach': {
        let hub: ConsoleHub;
        try {
          hub = this.ctx.findConsole(msg.guest, msg.console);
        } catch (err) {
          this.send({ t: 'reply', id: msg.id, ok: false, error: errorToWire(err) });
          return;
        }
        const stream = this.nextStream++;
        const sub = new StreamSub(this, stream, hub, { id: this.id, pid: this.pid, user: this.user, readOnly: msg.readOnly }, msg.id);
        this.streams.set(stream, sub);
        sub.sub = hub.subscribe(sub, msg.scrollback ?? 2000);
        break;
      }
      case 'follow-log': {
        const stream = this.nextStream++;
        try {
          this.send({ t: 'attached', id: msg.id, stream, guest: msg.guest, console: msg.console, readOnly: true, snapshot: { cols: 0, rows: 0, data: '' }, others: [] });
          this.follows.set(stream, this.ctx.followLog(msg.guest, msg.console, msg.lines, (bytes) => this.sendData(stream, bytes), { times: msg.times === true }));
        } catch (err) {
          this.send({ t: 'closed', stream, reason: (err as Error).message });
        }
        break;
      }
      case 'detach':
        this.follows.get(msg.stream)?.dispose();
        this.follows.delete(msg.stream);
        this.dropStream(msg.stream);
        break;
      case 'resync': {
        const s = this.streams.get(msg.stream);
        if (s) s.hub.resync(s);
        break;
      }
      case 'resize': {
        const s = this.streams.get(msg.stream);
        if (s) s.hub.resize(s, { cols: msg.cols, rows: msg.rows });
        break;
      }
    }
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.sub?.dispose();
    this.streams.clear();
    for (const f of this.follows.values()) f.dispose();
    this.follows.clear();
    this.socket.destroy();
  }
}
