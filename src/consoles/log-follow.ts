// `umux log -f`: follows DIR/CONSOLE.log as it grows (fs.watch on the directory, plus a poll for when watching fails
// or misses), and across rotation: the old file is read to its end, rotated files skipped over are read, then the new one.
// Each chunk comes with where it ends in the log (inode, birth, offset), so a follow can resume there after the server
// went away; a listener that cannot take more pauses the reading (the file keeps the bytes), never drops them.

import fs from 'node:fs';
import type { Disposable } from '../core/disposable.js';
import type { UmuxError } from '../core/errors.js';
import { errnoOf, logFilePath, logIoError, MAX_ROTATED_PROBE } from './log-files.js';
import { tailSources, tailSourcesSync } from './log-tail.js';

const CHUNK = 64 * 1024;
const NL = 0x0a;

/**
 * Where a chunk ends: byte `end` of the log file with inode `ino` created at `born` (µs since the epoch; 0 where the
 * file system does not say). A rename (rotation) keeps both; a new file may reuse a deleted one's inode, not its birth.
 */
export interface LogPosition {
  ino: number;
  born: number;
  end: number;
}

/** A place to resume from: byte `offset` of the file with inode `ino` (0: no file, the oldest kept from its start). */
export interface LogCursor {
  ino: number;
  born?: number;
  offset: number;
}

/** Gets a chunk and where it ends; returning false pauses the follow until `resume()`. */
export type FollowListener = (bytes: Uint8Array, at: LogPosition) => boolean | void;

export interface FollowOptions {
  /** First deliver the last N lines (before followLog returns), then exactly what follows them (default 0: only new bytes). */
  lines?: number;
  /** Resume after this place instead (`lines` is ignored): what follows it, from the next look on. */
  from?: LogCursor;
  /** Poll interval in ms, the fallback for fs.watch (default 250). */
  pollMs?: number;
  /** Read failures other than a missing file; following goes on and retries at the next poll. */
  onError?: (err: UmuxError) => void;
  /** Something the follower should be told in words (a resume place the log has rotated past). */
  onNotice?: (text: string) => void;
}

export interface LogFollow extends Disposable {
  /** Goes on reading after the listener paused it. */
  resume(): void;
  /** Where the next byte read will come from in the current file (undefined: no log file yet). */
  position(): LogPosition | undefined;
  /** True when the follow starts at the beginning of a line (a resume in the middle of one: false). */
  readonly startsLine: boolean;
}

/** A file being read: its fd, identity, and the offset of the next byte to read. */
interface Source {
  fd: number;
  ino: number;
  born: number;
  pos: number;
}

/** The same file as the cursor names (its birth compared only when both sides know it). */
function isFileOf(src: Source, at: LogCursor): boolean {
  return src.ino === at.ino && (!at.born || !src.born || src.born === at.born);
}

export function followLog(dir: string, console: string, onData: FollowListener, opts: FollowOptions = {}): LogFollow {
  return new LogFollower(dir, console, onData, opts);
}

/** One follow: the files it reads, its watcher and its poll timer, all its own to dispose. */
class LogFollower implements LogFollow {
  private readonly file: string;
  /** The file at CONSOLE.log when last looked at. */
  private current: Source | undefined;
  /** Older files to read to their end before `current` (rotated ones skipped over, or a resume's catch-up). */
  private backlog: Source[] = [];
  private disposed = false;
  private paused = false;
  private watcher: fs.FSWatcher | undefined;
  private pending = false;
  private lastError = '';
  private lineStart = true;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly dir: string,
    private readonly console: string,
    private readonly onData: FollowListener,
    private readonly opts: FollowOptions,
  ) {
    this.file = logFilePath(dir, console);
    this.start();
    this.startWatch();
    this.timer = setInterval(() => this.check(), opts.pollMs ?? 250);
  }

  /** True when the follow starts at the beginning of a line (a resume in the middle of one: false). */
  get startsLine(): boolean {
    return this.lineStart;
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    this.schedule();
  }

  position(): LogPosition | undefined {
    const c = this.current;
    return c ? { ino: c.ino, born: c.born, end: c.pos } : undefined;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
    this.closeAll();
  }

  /** The first look: a resume's place, or the end of the file after delivering its last `lines` lines. */
  private start(): void {
    const { opts, file } = this;
    try {
      if (opts.from) {
        this.resumeFrom(opts.from);
        this.schedule();
        return;
      }
      const current = (this.current = openSource(file));
      current.pos = fs.fstatSync(current.fd).size;
      if (opts.lines && opts.lines > 0) {
        const sources = tailSources(this.dir, this.console).slice(0, -1);
        sources.push({ path: file, size: current.pos });
        const tail = tailSourcesSync(sources, opts.lines);
        if (tail.length > 0) this.deliver(tail, { ino: current.ino, born: current.born, end: current.pos });
      }
    } catch (err) {
      this.closeAll();
      if (err instanceof ListenerFailure) throw err.cause;
      if (errnoOf(err) !== 'ENOENT') throw logIoError('follow console log', file, err);
    }
  }

  /** A throwing onData is the caller's bug, not a read failure: it escapes as it is (see check). */
  private deliver(bytes: Uint8Array, at: LogPosition): void {
    let more: boolean | void;
    try {
      more = this.onData(bytes, at);
    } catch (err) {
      throw new ListenerFailure(err);
    }
    if (more === false) this.paused = true;
  }

  /** Reads `src` from its place to its end; false when the listener paused first (src.pos is past what it got). */
  private drain(src: Source): boolean {
    for (;;) {
      if (this.paused || this.disposed) return false;
      const buf = Buffer.allocUnsafe(CHUNK);
      const n = fs.readSync(src.fd, buf, 0, CHUNK, src.pos);
      if (n === 0) return true;
      src.pos += n;
      this.deliver(buf.subarray(0, n), { ino: src.ino, born: src.born, end: src.pos });
    }
  }

  private drainBacklog(): boolean {
    while (this.backlog.length > 0) {
      if (!this.drain(this.backlog[0]!)) return false;
      fs.closeSync(this.backlog.shift()!.fd);
    }
    return true;
  }

  /**
   * The rotated files newer than `held` (more than one rotation between two looks), oldest first. If ours was dropped
   * (keep exceeded), every rotated file left is newer: all of them, unless older than ours.
   */
  private skippedRotations(held: fs.Stats): Source[] {
    const found: Source[] = [];
    for (let n = 1; n <= MAX_ROTATED_PROBE; n++) {
      const src = tryOpen(logFilePath(this.dir, this.console, n));
      if (!src) break;
      if (src.ino === held.ino || fs.fstatSync(src.fd).mtimeMs < held.mtimeMs) {
        fs.closeSync(src.fd);
        if (src.ino === held.ino) break;
        continue;
      }
      found.push(src);
    }
    return found.reverse();
  }

  /**
   * A resume: the current file from `at` when it is that file, else the rotated file that is (from `at`) and every
   * newer one, then the current file whole. The current file is opened first, so a rotation meanwhile shows as its
   * inode among the rotated ones (skipped there: it is read as the current one).
   */
  private resumeFrom(at: LogCursor): void {
    try {
      this.current = openSource(this.file);
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT') throw err;
    }
    const current = this.current;
    if (current && isFileOf(current, at)) {
      this.placeAt(current, at);
      return;
    }
    const found: Source[] = [];
    let matched = false;
    for (let n = 1; n <= MAX_ROTATED_PROBE && !matched; n++) {
      const src = tryOpen(logFilePath(this.dir, this.console, n));
      if (!src) break;
      if (src.ino === current?.ino) {
        fs.closeSync(src.fd);
        continue;
      }
      found.push(src);
      if (isFileOf(src, at)) {
        matched = true;
        this.placeAt(src, at);
      }
    }
    this.backlog = found.reverse();
    if (!matched && at.ino !== 0) {
      this.opts.onNotice?.(`the log of ${this.console} rotated past the place this follow had reached: going on from the oldest file kept, so some lines may come twice`);
    }
  }

  /** Puts `src` at the cursor's offset (its start when the file is shorter than that). */
  private placeAt(src: Source, at: LogCursor): void {
    src.pos = at.offset <= fs.fstatSync(src.fd).size ? at.offset : 0;
    this.lineStart = lineStartsAt(src.fd, src.pos);
  }

  /** One look: the backlog, the current file, a rotation or truncation since, a new file. */
  private check(): void {
    if (this.disposed || this.paused) return;
    try {
      let st: fs.Stats | undefined;
      try {
        st = fs.statSync(this.file);
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw err;
      }
      if (!this.drainBacklog() || !this.readCurrent(st)) return;
      if (this.current === undefined && st) {
        this.current = openSource(this.file);
        if (!this.drain(this.current)) return;
      }
      if (!this.watcher && st) this.startWatch();
      this.lastError = '';
    } catch (err) {
      if (err instanceof ListenerFailure) throw err.cause;
      const error = logIoError('follow console log', this.file, err);
      if (error.message !== this.lastError) this.opts.onError?.(error);
      this.lastError = error.message;
    }
  }

  /** The current file to its end, then what happened to it (rotated: the files skipped over; truncated: again). */
  private readCurrent(st: fs.Stats | undefined): boolean {
    const current = this.current;
    if (current === undefined) return true;
    if (!this.drain(current)) return false;
    if (st && st.ino !== current.ino) {
      const held = fs.fstatSync(current.fd);
      fs.closeSync(current.fd);
      this.current = undefined;
      this.backlog = this.skippedRotations(held);
      return this.drainBacklog();
    }
    if (st && st.size < current.pos) {
      current.pos = 0; // truncated in place
      return this.drain(current);
    }
    return true;
  }

  private schedule(): void {
    if (this.pending || this.disposed) return;
    this.pending = true;
    setImmediate(() => {
      this.pending = false;
      this.check();
    });
  }

  private startWatch(): void {
    try {
      const watcher = fs.watch(this.dir, (_event, name) => {
        if (!name || name.toString().startsWith(`${this.console}.log`)) this.schedule();
      });
      watcher.on('error', () => {
        watcher.close();
        if (this.watcher === watcher) this.watcher = undefined; // the poll carries on; the next successful look watches again
      });
      this.watcher = watcher;
    } catch {
      this.watcher = undefined;
    }
  }

  private closeAll(): void {
    for (const src of this.backlog) fs.closeSync(src.fd);
    this.backlog = [];
    if (this.current) fs.closeSync(this.current.fd);
    this.current = undefined;
  }
}

function openSource(path: string): Source {
  const fd = fs.openSync(path, 'r');
  const st = fs.fstatSync(fd);
  return { fd, ino: st.ino, born: Math.round(st.birthtimeMs * 1000), pos: 0 };
}

/** The file at `path` opened, or undefined when it cannot be (a rotated file that is not there). */
function tryOpen(path: string): Source | undefined {
  try {
    return openSource(path);
  } catch {
    return undefined;
  }
}

/** Whether byte `pos` of a file begins a line (its start, or right after a newline). */
function lineStartsAt(fd: number, pos: number): boolean {
  if (pos === 0) return true;
  const b = Buffer.alloc(1);
  return fs.readSync(fd, b, 0, 1, pos - 1) === 1 && b[0] === NL;
}

class ListenerFailure {
  constructor(readonly cause: unknown) {}
}
