// One guest console's history on disk (DESIGN.md §2): append-only, written through with no user-space buffer so a
// `kill -9` of the server loses nothing that reached append, rotated by size, optionally timestamped per line.
// Whether or not the file carries timestamps, the log remembers in memory when each recent line started
// (line-times.ts), so a tail can be read back with times (readTailWithTimes).

import fs from 'node:fs';
import type { Disposable } from '../core/disposable.js';
import { Emitter, type Event } from '../core/emitter.js';
import { UmuxError } from '../core/errors.js';
import { logFilePath, logIoError } from './log-files.js';
import { readLogTailSync } from './log-tail.js';
import { DEFAULT_LINE_TIMES, LineTimes, pairTail, type TimedLine } from './line-times.js';
import { makeDirs } from '../files/make-dirs.js';

export { defaultLogRoot, logFilePath } from './log-files.js';
export { readLogTail } from './log-tail.js';
export { followLog, type FollowOptions } from './log-follow.js';
export { DEFAULT_LINE_TIMES, LineTimes, pairTail, type TimedLine } from './line-times.js';

export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
export const DEFAULT_KEEP = 3;

export interface ConsoleLogOptions {
  /** The guest's log directory, e.g. ~/.local/state/umux/logs/UMID (created 0700). */
  dir: string;
  /** 'con0', 'ssl0': the file is DIR/CONSOLE.log (0600). */
  console: string;
  /** Rotation size: no file grows past it (default 16 MiB). */
  maxBytes?: number;
  /** Rotated files kept, CONSOLE.log.1 (newest) to CONSOLE.log.KEEP (default 3; 0 keeps none). */
  keep?: number;
  /** Prefix every line with `[ISO-UTC] ` (default false). */
  timestamps?: boolean;
  /** The clock, for tests. */
  now?: () => Date;
  /** Line starts remembered in memory for readTailWithTimes (default 20 000; 0 remembers none). */
  lineTimes?: number;
  /**
   * The ring of the log that wrote this file before (a guest restarted by the same server): kept if the file is
   * exactly as that log left it, so the earlier lines keep their times; otherwise a fresh ring.
   */
  continueTimes?: LineTimes;
}

type Settings = Required<Omit<ConsoleLogOptions, 'continueTimes'>>;

const NL = 0x0a;

export class ConsoleLog implements Disposable {
  readonly path: string;
  private readonly onErrorEmitter = new Emitter<UmuxError>();
  /** Trouble that loses no data (a failed rotation: the current file keeps growing); append throws the rest. */
  readonly onError: Event<UmuxError> = this.onErrorEmitter.event;
  private fd: number | undefined;
  private size: number;
  private written = 0;
  private atLineStart: boolean;
  /** After a failed rotation, the size at which to try again (so a stuck rename is not retried on every write). */
  private rotateAt: number;
  /** When each line this log started began, newest last: the newest entry is always the file's last line. */
  readonly lineTimes: LineTimes;

  private constructor(
    private readonly opts: Settings,
    fd: number,
    continueTimes: LineTimes | undefined,
  ) {
    this.path = logFilePath(opts.dir, opts.console);
    this.fd = fd;
    this.size = fs.fstatSync(fd).size;
    this.atLineStart = this.size === 0 || lastByte(fd, this.size) === NL;
    this.rotateAt = opts.maxBytes;
    this.lineTimes = continueTimes?.sealed && continueTimes.capacity === opts.lineTimes ? continueTimes.continueOn(fd) : new LineTimes(opts.lineTimes);
  }

  static open(options: ConsoleLogOptions): ConsoleLog {
    const opts = {
      dir: options.dir,
      console: options.console,
      maxBytes: options.maxBytes ?? DEFAULT_MAX_BYTES,
      keep: options.keep ?? DEFAULT_KEEP,
      timestamps: options.timestamps ?? false,
      now: options.now ?? (() => new Date()),
      lineTimes: options.lineTimes ?? DEFAULT_LINE_TIMES,
    };
    if (!Number.isSafeInteger(opts.maxBytes) || opts.maxBytes < 1) {
      throw new UmuxError('usage', `bad log rotation size ${opts.maxBytes}`, { hint: 'give a whole number of bytes, at least 1' });
    }
    if (!Number.isSafeInteger(opts.keep) || opts.keep < 0) {
      throw new UmuxError('usage', `bad count of rotated logs to keep ${opts.keep}`, { hint: 'give 0 or more' });
    }
    if (!Number.isSafeInteger(opts.lineTimes) || opts.lineTimes < 0) {
      throw new UmuxError('usage', `bad count of line times to keep ${opts.lineTimes}`, { hint: 'give 0 or more' });
    }
    const file = logFilePath(opts.dir, opts.console);
    try {
      makeDirs(opts.dir, 'log directory');
    } catch (err) {
      throw logIoError('create log directory', opts.dir, err instanceof UmuxError ? err.cause : err);
    }
    return new ConsoleLog(opts, openForAppend(file), options.continueTimes);
  }

  /** Bytes this log has written since open: console bytes, timestamp prefixes and markers. */
  get bytesWritten(): number {
    return this.written;
  }

  /**
   * Writes `bytes` to the file before returning (timestamping line starts if asked), rotating at maxBytes. Every line
   * the bytes start is remembered with this call's time (one clock read per call).
   */
  append(bytes: Uint8Array): void {
    this.checkOpen();
    if (bytes.length === 0) return;
    const now = this.opts.now();
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (!this.opts.timestamps) {
      this.guarded(() => this.write(bytes));
      // Lines started here: the first byte if it starts one, then every line end that is not the last byte. A plain
      // loop beats indexOf for short lines (a `seq` flood), and keeps the log path near its speed without times.
      let starts = this.atLineStart ? 1 : 0;
      const last = data.length - 1;
      for (let i = 0; i < last; i++) if (data[i] === NL) starts++;
      this.lineTimes.pushMany(now.getTime(), starts);
      this.atLineStart = data[last] === NL;
      return;
    }
    const prefix = Buffer.from(`[${now.toISOString()}] `, 'latin1');
    const parts: Buffer[] = [];
    let starts = 0;
    let atLineStart = this.atLineStart;
    let start = 0;
    while (start < data.length) {
      if (atLineStart) {
        parts.push(prefix);
        starts++;
      }
      const nl = data.indexOf(NL, start);
      const end = nl < 0 ? data.length : nl + 1;
      parts.push(data.subarray(start, end));
      atLineStart = nl >= 0;
      start = end;
    }
    this.guarded(() => this.write(Buffer.concat(parts)));
    this.lineTimes.pushMany(now.getTime(), starts);
    this.atLineStart = atLineStart;
  }

  /**
   * Writes a line of umux's own, `[umux 2026-11-22T05:40:00Z] TEXT\r\n`, so readers see gaps and restarts. A guest
   * line left open is ended first with `\r\n`; the marker carries its own time, so it gets no timestamp prefix.
   */
  appendMarker(text: string): void {
    this.checkOpen();
    const now = this.opts.now();
    const when = now.toISOString().replace(/\.\d+Z$/, 'Z');
    const line = `${this.atLineStart ? '' : '\r\n'}[umux ${when}] ${text.replace(/[\r\n]+/g, ' ')}\r\n`;
    this.guarded(() => this.write(Buffer.from(line, 'utf8')));
    this.lineTimes.push(now.getTime());
    this.atLineStart = true;
  }

  /** The last `lines` lines, reaching into rotated files when the current one is short. */
  readTail(opts: { lines: number }): string {
    return readLogTailSync(this.opts.dir, this.opts.console, opts.lines, this.opts.keep);
  }

  /**
   * The last `lines` lines as readTail reads them, split into lines (no line end, no `\r`), each with the time it
   * started (epoch ms): from memory for the lines this log started (the last `lineTimes` of them), else from the
   * file itself when it carries one (a log_timestamps prefix, taken off the text; a umux marker, left in it), else
   * null (lines of an earlier server, or older than the memory). A last line still open counts as a line.
   */
  readTailWithTimes(opts: { lines: number }): TimedLine[] {
    return pairTail(this.readTail(opts), { times: this.lineTimes, timestamped: this.opts.timestamps });
  }

  dispose(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    this.onErrorEmitter.dispose();
    this.lineTimes.sealAt(fd, this.size);
    fs.closeSync(fd);
  }

  /**
   * A write that failed part way leaves the file in a state the line count no longer knows: the remembered times
   * are dropped (they could pair with the wrong lines) and the line state is read back from the file.
   */
  private guarded(write: () => void): void {
    try {
      write();
    } catch (err) {
      this.lineTimes.clear();
      try {
        this.atLineStart = this.size === 0 || lastByte(this.fd!, this.size) === NL;
      } catch {
        this.atLineStart = false;
      }
      throw err;
    }
  }

  private checkOpen(): void {
    if (this.fd === undefined) {
      throw new UmuxError('io', `console log ${this.path} is closed`, {
        hint: 'the console was disposed (guest gone or server shutting down): nothing more can be logged to it',
      });
    }
  }

  private write(data: Uint8Array): void {
    let offset = 0;
    while (offset < data.length) {
      if (this.size >= this.rotateAt) this.rotate();
      const room = this.size < this.opts.maxBytes ? this.opts.maxBytes - this.size : data.length - offset;
      const length = Math.min(room, data.length - offset);
      let done = 0;
      try {
        while (done < length) done += fs.writeSync(this.fd!, data, offset + done, length - done);
      } catch (err) {
        throw logIoError('write console log', this.path, err);
      } finally {
        this.size += done;
        this.written += done;
      }
      offset += length;
    }
  }

  /** CONSOLE.log → .1 → .2 … → .KEEP, dropping the oldest. The old fd stays open until the new file is. */
  private rotate(): void {
    const { dir, console, keep } = this.opts;
    try {
      for (let n = keep + 1; fs.existsSync(logFilePath(dir, console, n)); n++) fs.unlinkSync(logFilePath(dir, console, n));
      if (keep === 0) {
        fs.unlinkSync(this.path);
      } else {
        for (let n = keep - 1; n >= 1; n--) renameIfPresent(logFilePath(dir, console, n), logFilePath(dir, console, n + 1));
        fs.renameSync(this.path, logFilePath(dir, console, 1));
      }
      const fd = openForAppend(this.path);
      fs.closeSync(this.fd!);
      this.fd = fd;
      this.size = 0;
      this.rotateAt = this.opts.maxBytes;
    } catch (err) {
      // Keep writing where we are: a log past its size is better than a lost byte.
      this.rotateAt = this.size + this.opts.maxBytes;
      this.onErrorEmitter.fire(err instanceof UmuxError ? err : logIoError('rotate console log', this.path, err));
    }
  }
}

function openForAppend(file: string): number {
  try {
    const fd = fs.openSync(file, 'a+', 0o600);
    try {
      fs.fchmodSync(fd, 0o600);
    } catch {
      // Not ours to change (a shared log directory): the mode it was created with stands.
    }
    return fd;
  } catch (err) {
    throw logIoError('open console log', file, err);
  }
}

function lastByte(fd: number, size: number): number | undefined {
  const buf = Buffer.alloc(1);
  return fs.readSync(fd, buf, 0, 1, size - 1) === 1 ? buf[0] : undefined;
}

function renameIfPresent(from: string, to: string): void {
  try {
    fs.renameSync(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
