// One console fd the keeper holds: every byte read is kept, numbered by its offset, until the server says it is
// logged (ack); past KEEPER_CHANNEL_BOUND unacked bytes the fd is not read, so the guest waits and nothing is dropped.

import type { Readable, Writable } from 'node:stream';
import { KEEPER_CHANNEL_BOUND, type ChannelKind, type KeptChannelInfo } from '../protocol/keeper-wire.js';

export interface ChannelEnds {
  /** Where the guest's output comes from. */
  source: Readable;
  /** Where typing goes (the same stream for a pty, a tty or a socket; none for UML's stderr). */
  sink?: Writable;
  /** Sets the window size (ptys only). */
  resize?: (cols: number, rows: number) => void;
  /** A TCP connection's local port. */
  localPort?: number;
  /** Wait this long after each read before the next (a pipe, whose buffer holds a flood's few ms: fewer wake-ups). */
  restMs?: number;
}

export interface ChannelSink {
  /** Bytes for the server, in order, starting at `offset`. */
  data(channel: KeptChannel, bytes: Uint8Array): void;
  /** The fd ended; called after the last data. */
  ended(channel: KeptChannel, why: string): void;
}

export class KeptChannel {
  /** Unacked bytes, oldest first; the first starts at `acked`. */
  private kept: Buffer[] = [];
  private keptBytes = 0;
  private read = 0;
  private acked = 0;
  /** Offset up to which the current server has been sent bytes; undefined while no server streams this channel. */
  private sentTo: number | undefined;
  private paused = false;
  private resting: NodeJS.Timeout | undefined;
  private endedWhy: string | undefined;
  private closed = false;

  constructor(
    readonly id: number,
    readonly key: string,
    readonly name: string,
    readonly kind: ChannelKind,
    readonly where: string,
    private readonly ends: ChannelEnds,
    private out: ChannelSink | undefined,
    private readonly bound = KEEPER_CHANNEL_BOUND,
  ) {
    ends.source.on('data', (chunk: Buffer) => this.take(chunk));
    ends.source.on('end', () => this.end('the guest closed the line'));
    ends.source.on('error', (err: NodeJS.ErrnoException) => this.end(err.code === 'EIO' ? 'the guest closed the line' : `read error ${err.code ?? err.message}`));
    ends.sink?.on('error', () => undefined);
  }

  info(): KeptChannelInfo {
    return { id: this.id, key: this.key, name: this.name, kind: this.kind, where: this.where, read: this.read, acked: this.acked, ...(this.endedWhy !== undefined ? { ended: this.endedWhy } : {}), ...(this.ends.localPort !== undefined ? { localPort: this.ends.localPort } : {}) };
  }

  /** Bytes read that no server has said it logged. */
  get unlogged(): number {
    return this.read - this.acked;
  }

  get ended(): string | undefined {
    return this.endedWhy;
  }

  /** A server wants the bytes from `from` on: what lies before it is logged. */
  stream(out: ChannelSink, from: number): void {
    this.out = out;
    this.ack(from);
    this.sentTo = Math.max(from, this.acked);
    this.sendKept();
    if (this.endedWhy !== undefined) out.ended(this, this.endedWhy);
  }

  /** The server went away: keep everything, send nothing until the next one asks. */
  detach(): void {
    this.out = undefined;
    this.sentTo = undefined;
  }

  ack(upTo: number): void {
    const to = Math.min(upTo, this.read);
    while (this.acked < to && this.kept.length > 0) {
      const first = this.kept[0]!;
      const drop = Math.min(first.length, to - this.acked);
      if (drop === first.length) this.kept.shift();
      else this.kept[0] = first.subarray(drop);
      this.acked += drop;
      this.keptBytes -= drop;
    }
    if (this.paused && this.keptBytes <= this.bound / 2 && !this.closed) {
      this.paused = false;
      if (this.resting === undefined) this.ends.source.resume();
    }
  }

  write(bytes: Uint8Array): void {
    if (!this.closed && this.endedWhy === undefined) this.ends.sink?.write(bytes);
  }

  resize(cols: number, rows: number): void {
    if (!this.closed) this.ends.resize?.(cols, rows);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.resting);
    this.out = undefined;
    this.ends.source.destroy();
    if (this.ends.sink && (this.ends.sink as unknown) !== this.ends.source) this.ends.sink.destroy();
    this.kept = [];
    this.keptBytes = 0;
  }

  private take(chunk: Buffer): void {
    if (this.closed) return;
    this.kept.push(chunk);
    this.keptBytes += chunk.length;
    this.read += chunk.length;
    if (this.out && this.sentTo !== undefined) {
      this.out.data(this, chunk);
      this.sentTo = this.read;
    }
    if (!this.paused && this.keptBytes >= this.bound) {
      this.paused = true;
      this.ends.source.pause();
    }
    if (this.ends.restMs !== undefined && this.resting === undefined) {
      this.ends.source.pause();
      this.resting = setTimeout(() => {
        this.resting = undefined;
        if (!this.paused && !this.closed) this.ends.source.resume();
      }, this.ends.restMs);
    }
  }

  /** Sends what the server has not had yet (after it asked for a stream). */
  private sendKept(): void {
    if (!this.out || this.sentTo === undefined) return;
    let at = this.acked;
    for (const chunk of this.kept) {
      const end = at + chunk.length;
      if (end > this.sentTo) this.out.data(this, at >= this.sentTo ? chunk : chunk.subarray(this.sentTo - at));
      at = end;
    }
    this.sentTo = this.read;
  }

  private end(why: string): void {
    if (this.endedWhy !== undefined || this.closed) return;
    this.endedWhy = why;
    this.out?.ended(this, why);
  }
}
