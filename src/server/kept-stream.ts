// One console the keeper holds, as the server's console code sees it: a duplex stream of the guest's bytes from a
// known offset, typing back to the keeper, and the commit point (log-commit.ts) recorded, then acked, in batches.

import { Duplex } from 'node:stream';
import type { Disposable } from '../core/disposable.js';
import { LogCommit } from '../consoles/log-commit.js';
import type { KeeperLink } from './keeper-link.js';

/**
 * The commit point is recorded and acked every this many logged bytes, else this long after the first unrecorded
 * append. Per append, the record and the ack were two writes per guest write (~330 bytes in a flood): they cost the
 * server as much CPU as the log itself. A stale record only means a new server cuts more off the log and the keeper
 * sends it again (it keeps every byte not acked, and nothing is acked before it is recorded).
 */
const COMMIT_EVERY = 64 * 1024;
const COMMIT_AFTER_MS = 10;

export class KeptStream extends Duplex {
  private received: number;
  private committed: number;
  private ackedUpTo: number;
  /** Where the log stands after the last append not yet recorded. */
  private position: { ino: number; size: number } | undefined;
  private commitTimer: NodeJS.Timeout | undefined;
  private flushedUpTo: number;
  private readonly route: Disposable;
  private commit: LogCommit | undefined;
  private tag = '';
  /** A port channel's local TCP port (PortLink names the connection by it). */
  localPort: number | undefined;

  constructor(
    private readonly link: KeeperLink,
    readonly channel: number,
    from: number,
    /** Bytes need no log (UML's stderr): acked as they arrive. */
    private readonly unlogged = false,
  ) {
    super({ allowHalfOpen: false });
    this.received = from;
    this.committed = from;
    this.ackedUpTo = from;
    this.flushedUpTo = from;
    this.route = link.stream(channel, from, {
      data: (bytes) => {
        this.received += bytes.length;
        this.push(bytes);
        if (this.unlogged) this.logged(bytes.length);
      },
      ended: () => this.push(null),
      lost: (why) => this.destroy(Object.assign(new Error(`the console keeper is gone: ${why}`), { code: 'EKEEPER' })),
    });
  }

  /** Bytes of the console (keeper offsets) that have reached this server. */
  get offset(): number {
    return this.received;
  }

  /** From now on each append's commit point goes to DIR/.CONSOLE.kept. */
  recordCommits(dir: string, console: string): void {
    this.commit = new LogCommit(dir, console);
    this.tag = this.link.channelTag(this.channel);
  }

  /** `bytes` more are in the log, which now ends at `position`: record it, and let the keeper drop them. */
  logged(bytes: number, position?: { ino: number; size: number }): void {
    this.committed += bytes;
    if (position) this.position = { ino: position.ino, size: position.size };
    if (this.committed - this.flushedUpTo >= COMMIT_EVERY) this.flushCommit();
    else this.commitTimer ??= setTimeout(() => this.flushCommit(), COMMIT_AFTER_MS);
  }

  /** Records where a fresh log stands before any byte (a new console starts at its offset). */
  recordStart(position: { ino: number; size: number }): void {
    this.commit?.record({ offset: this.committed, ino: position.ino, size: position.size, channel: this.tag });
  }

  /** Records the commit point, then acks it: the keeper drops only bytes a record says are in the log. */
  private flushCommit(): void {
    clearTimeout(this.commitTimer);
    this.commitTimer = undefined;
    if (this.position) this.commit?.record({ offset: this.committed, ino: this.position.ino, size: this.position.size, channel: this.tag });
    this.position = undefined;
    this.flushedUpTo = this.committed;
    if (this.committed > this.ackedUpTo && this.link.alive) {
      this.ackedUpTo = this.committed;
      this.link.ack(this.channel, this.committed);
    }
  }

  /** The line is done with for good: the keeper closes its fd. */
  closeChannel(): void {
    this.destroy();
    this.link.close(this.channel);
  }

  override _read(): void {
    // Flow control is the keeper's: it stops reading the guest once a megabyte waits for acks.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    this.link.write(this.channel, chunk);
    callback();
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    // The keeper keeps the fd: only this server's view of it ends.
    this.flushCommit();
    this.route.dispose();
    this.commit?.dispose();
    this.commit = undefined;
    callback(err);
  }
}
