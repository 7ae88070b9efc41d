// The host side of a UML `port:N` console: a TCP connection to 127.0.0.1:N spoken as a TELNET client
// (protocol/telnet.ts), seen by the rest of the server as a plain duplex stream of console bytes. UML's "no consoles
// waiting" banner is taken out: it means no getty has the line open yet, and UML keeps the connection queued.

import net from 'node:net';
import { Duplex } from 'node:stream';
import { UmuxError } from '../core/errors.js';
import { encodeInput, NO_CONSOLE_WAITING, TelnetDecoder, TelnetOptions } from '../protocol/telnet.js';
import type { KeeperLink } from './keeper-link.js';
import { KeptStream } from './kept-stream.js';
import type { KeptChannelInfo } from '../protocol/keeper-wire.js';

const BANNER = Buffer.from(NO_CONSOLE_WAITING, 'latin1');

/** What the TELNET speaks over: a TCP socket of this server, or one the keeper holds (kept-stream.ts). */
export type PortTransport = Duplex & { readonly localPort?: number | undefined };

export interface PortLinkOptions {
  timeoutMs?: number;
  size?: { cols: number; rows: number };
  onWaiting?: (waiting: boolean) => void;
}

export class PortLink {
  readonly stream: Duplex;
  /** UML said no guest line is waiting, and nothing came after: the connection waits for a getty. */
  waiting = false;
  private bannerAt = 0;
  private seenData = false;
  private readonly options: TelnetOptions;

  constructor(
    private readonly socket: PortTransport,
    size: { cols: number; rows: number },
    private readonly onWaiting: (waiting: boolean) => void,
  ) {
    this.options = new TelnetOptions(size);
    const decoder = new TelnetDecoder();
    this.stream = new Duplex({
      read: () => void socket.resume(),
      write: (chunk: Buffer, _enc, cb) => {
        if (socket.destroyed) return cb();
        socket.write(encodeInput(chunk, this.options.binary), () => cb());
      },
      destroy: (err, cb) => {
        socket.destroy();
        cb(err);
      },
    });
    socket.on('data', (raw: Buffer) => {
      const { data, events } = decoder.decode(raw);
      for (const ev of events) {
        const answer = this.options.answer(ev);
        if (answer.length > 0 && !socket.destroyed) socket.write(answer);
      }
      const text = this.takeBanner(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      if (text.length > 0 || events.length > 0) this.setWaiting(false);
      if (text.length > 0 && !this.stream.push(text)) socket.pause();
    });
    socket.on('end', () => this.stream.push(null));
    socket.on('close', () => {
      if (!this.stream.destroyed) this.stream.push(null);
    });
    socket.on('error', (err) => this.stream.destroy(err));
  }

  /** Connects, or rejects with a one-line error within `timeoutMs`. */
  static connect(port: number, o: PortLinkOptions = {}): Promise<PortLink> {
    const timeoutMs = o.timeoutMs ?? 2000;
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new UmuxError('timeout', `port ${port} accepted no connection in ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        resolve(new PortLink(socket, o.size ?? { cols: 80, rows: 24 }, o.onWaiting ?? (() => undefined)));
      });
      socket.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new UmuxError('io', `cannot connect to 127.0.0.1:${port}: ${err.code ?? err.message}`));
      });
    });
  }

  /**
   * The connection held by the keeper (it outlives this server): `again` is one the keeper holds already for an
   * earlier server. Its bytes are acked as they arrive, not as they are logged: TELNET decoding stands between the
   * keeper's count and the log, so a byte in flight when a server dies may be missing from the log.
   */
  static async overKeeper(keeper: KeeperLink, key: string, name: string, port: number, again: KeptChannelInfo | undefined, o: PortLinkOptions = {}): Promise<{ link: PortLink; kept: KeptStream }> {
    const channel = again ?? (await keeper.connectPort(key, name, port));
    const kept = new KeptStream(keeper, channel.id, again ? channel.acked : 0, true);
    kept.localPort = channel.localPort;
    return { link: new PortLink(kept, o.size ?? { cols: 80, rows: 24 }, o.onWaiting ?? (() => undefined)), kept };
  }

  /** The local end's port: with the guest's port it names the connection in /proc/net/tcp. */
  get clientPort(): number {
    return this.socket.localPort ?? 0;
  }

  /** Tells the guest's telnetd the window size (NAWS), once it has asked for it. */
  resize(cols: number, rows: number): void {
    const msg = this.options.resize(cols, rows);
    if (msg.length > 0 && !this.socket.destroyed) this.socket.write(msg);
  }

  /** Strips UML's banner when the connection starts with it, across chunks; anything else passes. */
  private takeBanner(data: Buffer): Buffer {
    if (this.seenData || this.bannerAt < 0) return this.note(data);
    let i = 0;
    while (i < data.length && this.bannerAt < BANNER.length && data[i] === BANNER[this.bannerAt]) {
      i++;
      this.bannerAt++;
    }
    if (this.bannerAt === BANNER.length) {
      this.bannerAt = -1;
      this.setWaiting(true);
      return this.note(data.subarray(i));
    }
    if (i === data.length) return Buffer.alloc(0); // a prefix of the banner so far: wait for more
    // Not the banner after all: what was held back is console text.
    const held = BANNER.subarray(0, this.bannerAt);
    this.bannerAt = -1;
    return this.note(Buffer.concat([held, data.subarray(i)]));
  }

  private note(data: Buffer): Buffer {
    if (data.length > 0) this.seenData = true;
    return data;
  }

  private setWaiting(waiting: boolean): void {
    if (this.waiting === waiting) return;
    this.waiting = waiting;
    this.onWaiting(waiting);
  }
}
