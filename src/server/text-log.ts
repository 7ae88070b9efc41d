// An append-only text file of the server's own (server.log, events/NAME.log) that a full disk cannot break: lines
// that cannot be written are held in memory, up to a bound, and written in order once a write works; lines the bound
// drops are counted and noted in the file in their place. A failing write costs one open and one write per line added.

import fs from 'node:fs';
import { ERRNO_TEXT } from '../core/errors.js';
import { errnoOf } from '../consoles/log-files.js';

/** Bytes held per file while it cannot be written; the oldest whole lines go first beyond it. */
export const HOLD_BYTES = 128 * 1024;

export interface TextLogOptions {
  holdBytes?: number;
  /** The write call (as fs.writeSync with offset and length), for tests: a disk that fills up. */
  writeSync?: (fd: number, data: Uint8Array, offset: number, length: number) => number;
  now?: () => Date;
}

interface Dropped {
  lines: number;
  bytes: number;
  from: Date;
  to: Date;
  reason: string;
}

export class TextLog {
  private held: Buffer[] = [];
  private heldBytes = 0;
  /** held[0] is the rest of a line whose start is in the file already. */
  private headStarted = false;
  /** The file ends in a line cut by a failed write whose rest was dropped. */
  private fileCut = false;
  private dropped: Dropped | undefined;
  private reason = '';
  private readonly holdBytes: number;
  private readonly writeSync: NonNullable<TextLogOptions['writeSync']>;
  private readonly now: () => Date;

  constructor(
    readonly path: string,
    opts: TextLogOptions = {},
  ) {
    this.holdBytes = opts.holdBytes ?? HOLD_BYTES;
    this.writeSync = opts.writeSync ?? ((fd, data, offset, length) => fs.writeSync(fd, data, offset, length));
    this.now = opts.now ?? (() => new Date());
  }

  /** Lines held back, not yet in the file. */
  get pending(): number {
    return this.held.length;
  }

  /** Appends `line` (a newline is added) after whatever is held; never throws. */
  append(line: string): void {
    const bytes = Buffer.from(`${line}\n`, 'utf8');
    this.held.push(bytes);
    this.heldBytes += bytes.length;
    this.flush();
    while (this.heldBytes > this.holdBytes && this.held.length > 1) this.dropOldest();
  }

  private dropOldest(): void {
    const line = this.held.shift()!;
    this.heldBytes -= line.length;
    if (this.headStarted) this.fileCut = true;
    this.headStarted = false;
    const at = this.now();
    this.dropped ??= { lines: 0, bytes: 0, from: at, to: at, reason: this.reason };
    this.dropped.lines++;
    this.dropped.bytes += line.length;
    this.dropped.to = at;
  }

  private flush(): void {
    let fd: number;
    try {
      fd = fs.openSync(this.path, 'a', 0o600);
    } catch (err) {
      this.reason = reasonOf(err);
      return;
    }
    try {
      if (this.dropped) {
        const d = this.dropped;
        const note = `${this.fileCut ? '\n' : ''}${this.now().toISOString()} umux: ${d.lines} lines (${d.bytes} bytes) of this file could not be written (${d.reason}) and were dropped between ${d.from.toISOString()} and ${d.to.toISOString()}\n`;
        this.writeAll(fd, Buffer.from(note, 'utf8'), true);
        this.dropped = undefined;
        this.fileCut = false;
      }
      while (this.held.length > 0) {
        const line = this.held[0]!;
        this.writeAll(fd, line, false);
        this.held.shift();
        this.heldBytes -= line.length;
        this.headStarted = false;
      }
    } catch (err) {
      this.reason = reasonOf(err);
    } finally {
      try {
        fs.closeSync(fd);
      } catch {
        // what was written is written
      }
    }
  }

  /**
   * Writes all of `data`, or keeps what it must and throws the write error: the rest of a line cut part way stays at
   * the head of `held`; a note cut part way is written again whole, on a line of its own.
   */
  private writeAll(fd: number, data: Buffer, note: boolean): void {
    let done = 0;
    try {
      while (done < data.length) {
        const n = this.writeSync(fd, data, done, data.length - done);
        if (n <= 0) throw Object.assign(new Error('write wrote nothing'), { code: 'EIO' });
        done += n;
      }
    } catch (err) {
      if (done > 0) {
        if (note) {
          this.fileCut = true;
        } else {
          this.held[0] = data.subarray(done);
          this.heldBytes -= done;
          this.headStarted = true;
        }
      }
      throw err;
    }
  }
}

function reasonOf(err: unknown): string {
  const code = errnoOf(err);
  const words = ERRNO_TEXT[code];
  return words ? `${code} (${words})` : code;
}
