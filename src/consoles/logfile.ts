// One guest console's history on disk (DESIGN.md §2): append-only, written through with no user-space buffer so a
// `kill -9` of the server loses nothing that reached append, rotated by size at a line end, optionally timestamped.
// Whether or not the file carries timestamps, the log remembers in memory when each recent line started
// (line-times.ts), so a tail can be read back with times (readTailWithTimes). A write that fails (a full disk) loses
// no more than it must: the log counts what it cannot write and marks the gap in the file once it can (log-gap.ts).
// Over 400 lines: append, rotation at a line end, gap marking and timed tails share the file offset and line ring.

import fs from 'node:fs';
import type { Disposable } from '../core/disposable.js';
import { Emitter, type Event } from '../core/emitter.js';
import { UmuxError } from '../core/errors.js';
import { logFilePath, logIoError } from './log-files.js';
import { readLogTailSync } from './log-tail.js';
import { DEFAULT_LINE_TIMES, LineTimes, pairTail, type TimedLine } from './line-times.js';
import { makeDirs } from '../files/make-dirs.js';
import { gapMarkerText, loseBytes, loseMarker, openGap, type LogGap } from './log-gap.js';

export { defaultLogRoot, logFilePath } from './log-files.js';
export { readLogTail } from './log-tail.js';
export { followLog, type FollowOptions } from './log-follow.js';
export { DEFAULT_LINE_TIMES, LineTimes, pairTail, type TimedLine } from './line-times.js';
export { describeLoss, type LogGap } from './log-gap.js';

export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;
export const DEFAULT_KEEP = 3;
/** The most a line that has not ended may run past the rotation size before it is cut (or maxBytes, if smaller). */
export const LINE_OVERRUN_MAX = 64 * 1024;

export interface ConsoleLogOptions {
  /** The guest's log directory, e.g. ~/.local/state/umux/logs/UMID (created 0700). */
  dir: string;
  /** 'con0', 'ssl0': the file is DIR/CONSOLE.log (0600). */
  console: string;
  /**
   * Rotation size (default 16 MiB): a file rotates at the last line end before it; a line that crosses it ends in
   * the same file, unless it runs on for min(maxBytes, 64 KiB) more (then it is cut there).
   */
  maxBytes?: number;
  /** Rotated files kept, CONSOLE.log.1 (newest) to CONSOLE.log.KEEP (default 3; 0 keeps none). */
  keep?: number;
  /** Prefix every line with `[ISO-UTC] ` (default false). */
  timestamps?: boolean;
  /** The clock, for tests. */
  now?: () => Date;
  /** The write call (as fs.writeSync with offset and length), for tests: a disk that fills up. */
  writeSync?: (fd: number, data: Uint8Array, offset: number, length: number) => number;
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

/** Bytes for the file, and where the timestamp prefixes in them start (all `prefixLength` long). */
interface Stamped {
  bytes: Buffer;
  prefixes: number[];
  prefixLength: number;
}

export class ConsoleLog implements Disposable {
  readonly path: string;
  private readonly onErrorEmitter = new Emitter<UmuxError>();
  /** Trouble that loses no data (a failed rotation: the current file keeps growing). */
  readonly onError: Event<UmuxError> = this.onErrorEmitter.event;
  private readonly onWriteFailedEmitter = new Emitter<UmuxError>();
  /** A write failed (a full disk): output is counted, not written, until a write works. Once per gap. */
  readonly onWriteFailed: Event<UmuxError> = this.onWriteFailedEmitter.event;
  private readonly onWriteResumedEmitter = new Emitter<LogGap>();
  /** Writing works again: the gap's marker is in the file; this is what it says was lost. */
  readonly onWriteResumed: Event<LogGap> = this.onWriteResumedEmitter.event;
  /** What the file misses since the last failed write, until its marker is written. */
  private gap: LogGap | undefined;
  private fd: number | undefined;
  private ino: number;
  private size: number;
  private written = 0;
  private atLineStart: boolean;
  /** After a failed rotation, the size at which to try again (so a stuck rename is not retried on every write). */
  private rotateAt: number;
  /** The file ends with a whole line (or is empty): it may rotate there. */
  private fileEndsLine: boolean;
  /** The last write ended a line at the rotation size: the next write starts a new file. */
  private rotateDue = false;
  /** How far past the rotation size a line that has not ended may run before it is cut. */
  private readonly lineOverrun: number;
  /** Where the last marker written starts (appendMarker's answer). */
  private lastMarker: { ino: number; offset: number } | undefined;
  /** When each line this log started began, newest last: the newest entry is always the file's last line. */
  readonly lineTimes: LineTimes;

  private constructor(
    private readonly opts: Settings,
    fd: number,
    continueTimes: LineTimes | undefined,
  ) {
    this.path = logFilePath(opts.dir, opts.console);
    this.fd = fd;
    const st = fs.fstatSync(fd);
    this.size = st.size;
    this.ino = st.ino;
    this.atLineStart = this.size === 0 || lastByte(fd, this.size) === NL;
    this.rotateAt = opts.maxBytes;
    this.fileEndsLine = this.atLineStart;
    this.lineOverrun = Math.min(opts.maxBytes, LINE_OVERRUN_MAX);
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
      writeSync: options.writeSync ?? ((fd: number, data: Uint8Array, offset: number, length: number) => fs.writeSync(fd, data, offset, length)),
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

  /** Where the log ends now: the current file (by inode, which survives rotation renames) and its size. */
  get position(): { ino: number; size: number } {
    return { ino: this.ino, size: this.size };
  }

  /** Bytes this log has written since open: console bytes, timestamp prefixes and markers. */
  get bytesWritten(): number {
    return this.written;
  }

  /** The gap the file misses now (writing fails), if any. */
  get failing(): LogGap | undefined {
    return this.gap && { ...this.gap };
  }

  /**
   * Writes `bytes` to the file before returning (timestamping line starts if asked), rotating at maxBytes. Every line
   * the bytes start in the file is remembered with this call's time (one clock read per call). A failed write does not
   * throw: what did not reach the file is counted in a gap (onWriteFailed), and the next append that can write puts
   * the gap's marker first (onWriteResumed). Only the lines that reached the file are remembered, so the times stay
   * paired with the file's lines.
   */
  append(bytes: Uint8Array): void {
    this.checkOpen();
    if (bytes.length === 0) return;
    const now = this.opts.now();
    const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (this.gap && !this.closeGap(now)) {
      loseBytes(this.gap, now.getTime(), data);
      return;
    }
    const out = this.opts.timestamps ? this.stamp(data, now) : { bytes: data, prefixes: [], prefixLength: 0 };
    const { done, error } = this.write(out.bytes);
    if (error || !this.opts.timestamps) {
      this.noteWritten(out.bytes, done, now.getTime());
    } else {
      // All written, with a prefix on every line start: no need to count them again.
      this.lineTimes.pushMany(now.getTime(), out.prefixes.length);
      this.atLineStart = data[data.length - 1] === NL;
    }
    if (error) this.startGap(now, error, consoleBytesAfter(out, done));
  }

  /**
   * Writes a line of umux's own, `[umux 2026-11-22T05:40:00Z] TEXT\r\n`, so readers see gaps and restarts. A guest
   * line left open is ended first with `\r\n`; the marker carries its own time, so it gets no timestamp prefix. One
   * that cannot be written is counted in the gap, as console bytes are. Returns where the marker line starts (file
   * inode and offset; the file may rotate later, the inode stays), or undefined when it was not written.
   */
  appendMarker(text: string): { ino: number; offset: number } | undefined {
    this.checkOpen();
    const now = this.opts.now();
    if (this.gap && !this.closeGap(now)) {
      loseMarker(this.gap, now.getTime());
      return undefined;
    }
    const error = this.writeMarker(text, now);
    if (error) {
      this.startGap(now, error, new Uint8Array(0));
      loseMarker(this.gap!, now.getTime());
      return undefined;
    }
    return this.lastMarker;
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
    if (this.gap) this.closeGap(this.opts.now()); // a last try to leave the gap marked
    const fd = this.fd;
    this.fd = undefined;
    this.onErrorEmitter.dispose();
    this.onWriteFailedEmitter.dispose();
    this.onWriteResumedEmitter.dispose();
    this.lineTimes.sealAt(fd, this.size);
    fs.closeSync(fd);
  }

  /** Timestamp prefixes before every line start in `data`. */
  private stamp(data: Buffer, now: Date): Stamped {
    const prefix = Buffer.from(`[${now.toISOString()}] `, 'latin1');
    const parts: Buffer[] = [];
    const prefixes: number[] = [];
    let at = 0;
    let atLineStart = this.atLineStart;
    let start = 0;
    while (start < data.length) {
      if (atLineStart) {
        parts.push(prefix);
        prefixes.push(at);
        at += prefix.length;
      }
      const nl = data.indexOf(NL, start);
      const end = nl < 0 ? data.length : nl + 1;
      parts.push(data.subarray(start, end));
      at += end - start;
      atLineStart = nl >= 0;
      start = end;
    }
    return { bytes: Buffer.concat(parts, at), prefixes, prefixLength: prefix.length };
  }

  /**
   * The first `done` bytes of `bytes` are in the file: the lines they start there are remembered with `ms`. Lines
   * started: the first byte if it starts one, then every line end that is not the last byte. A plain loop beats
   * indexOf for short lines (a `seq` flood), and keeps the log path near its speed without times.
   */
  private noteWritten(bytes: Uint8Array, done: number, ms: number): void {
    if (done === 0) return;
    let starts = this.atLineStart ? 1 : 0;
    const last = done - 1;
    for (let i = 0; i < last; i++) if (bytes[i] === NL) starts++;
    this.lineTimes.pushMany(ms, starts);
    this.atLineStart = bytes[last] === NL;
  }

  private startGap(now: Date, error: UmuxError, lost: Uint8Array): void {
    this.gap = openGap(now.getTime(), error, !this.atLineStart);
    loseBytes(this.gap, now.getTime(), lost);
    this.onWriteFailedEmitter.fire(error);
  }

  /** Writes the gap's marker; true (and the gap closed) if it is in the file. */
  private closeGap(now: Date): boolean {
    const gap = this.gap!;
    if (this.writeMarker(gapMarkerText(gap), now)) return false;
    this.gap = undefined;
    this.onWriteResumedEmitter.fire(gap);
    return true;
  }

  /**
   * One marker line, whole or not at all where it can be helped: a marker cut by a failed write is truncated away
   * (unless a rotation came between), so the next try starts it afresh. Returns the write error, if any.
   */
  private writeMarker(text: string, now: Date): UmuxError | undefined {
    const when = now.toISOString().replace(/\.\d+Z$/, 'Z');
    const marker = Buffer.from(`[umux ${when}] ${text.replace(/[\r\n]+/g, ' ')}\r\n`, 'utf8');
    const line = this.atLineStart ? marker : Buffer.concat([Buffer.from('\r\n'), marker]);
    const fd = this.fd!;
    const before = this.size;
    const { done, error } = this.write(line);
    if (!error) {
      this.lineTimes.push(now.getTime());
      this.atLineStart = true;
      // The marker holds no line end but its last: a rotation can only come before it, so it ends this file.
      this.lastMarker = { ino: this.ino, offset: this.size - marker.length };
      return undefined;
    }
    if (done > 0 && this.fd === fd && this.size === before + done) {
      try {
        fs.ftruncateSync(fd, before);
        this.size = before;
        this.fileEndsLine = this.atLineStart;
        this.written -= done;
        return error;
      } catch {
        // it stays: counted as written below
      }
    }
    this.noteWritten(line, done, now.getTime());
    return error;
  }

  private checkOpen(): void {
    if (this.fd === undefined) {
      throw new UmuxError('io', `console log ${this.path} is closed`, {
        hint: 'the console was disposed (guest gone or server shutting down): nothing more can be logged to it',
      });
    }
  }

  /**
   * Writes `data` at the end of the file, rotating at a line end near maxBytes (see chunkLength); says how much
   * reached the file and why not the rest.
   */
  private write(data: Uint8Array): { done: number; error?: UmuxError } {
    let offset = 0;
    while (offset < data.length) {
      if (this.rotateDue || (this.size >= this.rotateAt && this.fileEndsLine) || this.size >= this.rotateAt + this.lineOverrun) this.rotate();
      const length = this.chunkLength(data, offset);
      let done = 0;
      try {
        while (done < length) {
          const n = this.opts.writeSync(this.fd!, data, offset + done, length - done);
          if (n <= 0) throw Object.assign(new Error('write wrote nothing'), { code: 'EIO' });
          done += n;
        }
      } catch (err) {
        return { done: offset + done, error: logIoError('write console log', this.path, err) };
      } finally {
        this.size += done;
        this.written += done;
        if (done > 0) this.fileEndsLine = data[offset + done - 1] === NL;
      }
      offset += length;
    }
    return { done: offset };
  }

  /**
   * How much of `data` from `offset` goes into the current file. All of it when it stays under the rotation size;
   * else up to the last line end before that size (and the file rotates after it), so rotated files hold whole
   * lines; a line that does not fit in what is left starts the next file. A line that crosses the size all the same
   * (longer than the room, or begun by an earlier append) goes on in this file to its end, at most `lineOverrun`
   * bytes past the size: a line that never ends is cut there. 0: rotate first.
   */
  private chunkLength(data: Uint8Array, offset: number): number {
    const rest = data.length - offset;
    const room = this.rotateAt - this.size;
    if (rest <= room) return rest;
    if (room > 0) {
      const nl = data.lastIndexOf(NL, offset + room - 1);
      if (nl >= offset) {
        this.rotateDue = true;
        return nl - offset + 1;
      }
    }
    // A line that does not fit starts the next file, when this one holds lines since it was started (or last failed
    // to rotate, so a stuck rename is not retried here for nothing).
    if (this.fileEndsLine && this.size > this.rotateAt - this.opts.maxBytes) {
      this.rotateDue = true;
      return 0;
    }
    const capRoom = this.rotateAt + this.lineOverrun - this.size;
    const end = data.indexOf(NL, offset);
    if (end >= 0 && end - offset < capRoom) {
      this.rotateDue = true;
      return end - offset + 1;
    }
    if (rest >= capRoom) this.rotateDue = true;
    return Math.min(rest, capRoom);
  }

  /** CONSOLE.log → .1 → .2 … → .KEEP, dropping the oldest. The old fd stays open until the new file is. */
  private rotate(): void {
    const { dir, console, keep } = this.opts;
    this.rotateDue = false;
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
      this.ino = fs.fstatSync(fd).ino;
      this.size = 0;
      this.fileEndsLine = true;
      this.rotateAt = this.opts.maxBytes;
    } catch (err) {
      // Keep writing where we are: a log past its size is better than a lost byte.
      this.rotateAt = this.size + this.opts.maxBytes;
      this.rotateDue = false;
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

/** The console bytes (not prefixes) in `out.bytes` from `done` on: what a write that stopped there lost. */
function consoleBytesAfter(out: Stamped, done: number): Uint8Array {
  if (out.prefixes.length === 0) return out.bytes.subarray(done);
  const parts: Uint8Array[] = [];
  let at = done;
  for (const p of out.prefixes) {
    const end = p + out.prefixLength;
    if (end <= at) continue;
    if (p > at) parts.push(out.bytes.subarray(at, p));
    at = end;
  }
  if (at < out.bytes.length) parts.push(out.bytes.subarray(at));
  return Buffer.concat(parts);
}
