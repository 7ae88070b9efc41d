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
  const file = logFilePath(dir, console);
  /** The file at CONSOLE.log when last looked at. */
  let current: Source | undefined;
  /** Older files to read to their end before `current` (rotated ones skipped over, or a resume's catch-up). */
  let backlog: Source[] = [];
  let disposed = false;
  let paused = false;
  let watcher: fs.FSWatcher | undefined;
  let pending = false;
  let lastError = '';
  let startsLine = true;

  /** A throwing onData is the caller's bug, not a read failure: it escapes as it is (see check). */
  const deliver = (bytes: Uint8Array, at: LogPosition): void => {
    let more: boolean | void;
    try {
      more = onData(bytes, at);
    } catch (err) {
      throw new ListenerFailure(err);
    }
    if (more === false) paused = true;
  };

  /** Reads `src` from its place to its end; false when the listener paused first (src.pos is past what it got). */
  const drain = (src: Source): boolean => {
    for (;;) {
      if (paused || disposed) return false;
      const buf = Buffer.allocUnsafe(CHUNK);
      const n = fs.readSync(src.fd, buf, 0, CHUNK, src.pos);
      if (n === 0) return true;
      src.pos += n;
      deliver(buf.subarray(0, n), { ino: src.ino, born: src.born, end: src.pos });
    }
  };

  const close = (src: Source): void => {
    fs.closeSync(src.fd);
  };

  const drainBacklog = (): boolean => {
    while (backlog.length > 0) {
      if (!drain(backlog[0]!)) return false;
      close(backlog.shift()!);
    }
    return true;
  };

  const openSource = (path: string): Source => {
    const fd = fs.openSync(path, 'r');
    const st = fs.fstatSync(fd);
    return { fd, ino: st.ino, born: Math.round(st.birthtimeMs * 1000), pos: 0 };
  };

  /**
   * The rotated files newer than `held` (more than one rotation between two looks), oldest first. If ours was dropped
   * (keep exceeded), every rotated file left is newer: all of them, unless older than ours.
   */
  const skippedRotations = (held: fs.Stats): Source[] => {
    const found: Source[] = [];
    for (let n = 1; n <= MAX_ROTATED_PROBE; n++) {
      let src: Source;
      try {
        src = openSource(logFilePath(dir, console, n));
      } catch {
        break;
      }
      if (src.ino === held.ino || fs.fstatSync(src.fd).mtimeMs < held.mtimeMs) {
        close(src);
        if (src.ino === held.ino) break;
        continue;
      }
      found.push(src);
    }
    return found.reverse();
  };

  /**
   * A resume: the current file from `at` when it is that file, else the rotated file that is (from `at`) and every
   * newer one, then the current file whole. The current file is opened first, so a rotation meanwhile shows as its
   * inode among the rotated ones (skipped there: it is read as the current one).
   */
  const resumeFrom = (at: LogCursor): void => {
    try {
      current = openSource(file);
    } catch (err) {
      if (errnoOf(err) !== 'ENOENT') throw err;
    }
    if (current && isFileOf(current, at)) {
      current.pos = at.offset <= fs.fstatSync(current.fd).size ? at.offset : 0;
      startsLine = lineStartsAt(current.fd, current.pos);
      return;
    }
    const found: Source[] = [];
    let matched = false;
    for (let n = 1; n <= MAX_ROTATED_PROBE && !matched; n++) {
      let src: Source;
      try {
        src = openSource(logFilePath(dir, console, n));
      } catch {
        break;
      }
      if (src.ino === current?.ino) {
        close(src);
        continue;
      }
      found.push(src);
      if (isFileOf(src, at)) {
        matched = true;
        src.pos = at.offset <= fs.fstatSync(src.fd).size ? at.offset : 0;
        startsLine = lineStartsAt(src.fd, src.pos);
      }
    }
    backlog = found.reverse();
    if (!matched && at.ino !== 0) {
      opts.onNotice?.(`the log of ${console} rotated past the place this follow had reached: going on from the oldest file kept, so some lines may come twice`);
    }
  };

  const check = (): void => {
    if (disposed || paused) return;
    try {
      let st: fs.Stats | undefined;
      try {
        st = fs.statSync(file);
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw err;
      }
      if (!drainBacklog()) return;
      if (current !== undefined) {
        if (!drain(current)) return;
        if (st && st.ino !== current.ino) {
          const held = fs.fstatSync(current.fd);
          close(current);
          current = undefined;
          backlog = skippedRotations(held);
          if (!drainBacklog()) return;
        } else if (st && st.size < current.pos) {
          current.pos = 0; // truncated in place
          if (!drain(current)) return;
        }
      }
      if (current === undefined && st) {
        current = openSource(file);
        if (!drain(current)) return;
      }
      if (!watcher && st) startWatch();
      lastError = '';
    } catch (err) {
      if (err instanceof ListenerFailure) throw err.cause;
      const error = logIoError('follow console log', file, err);
      if (error.message !== lastError) opts.onError?.(error);
      lastError = error.message;
    }
  };

  const schedule = (): void => {
    if (pending || disposed) return;
    pending = true;
    setImmediate(() => {
      pending = false;
      check();
    });
  };

  const startWatch = (): void => {
    try {
      watcher = fs.watch(dir, (_event, name) => {
        if (!name || name.toString().startsWith(`${console}.log`)) schedule();
      });
      watcher.on('error', () => {
        watcher?.close();
        watcher = undefined; // the poll carries on; the next successful look watches again
      });
    } catch {
      watcher = undefined;
    }
  };

  const closeAll = (): void => {
    for (const src of backlog) close(src);
    backlog = [];
    if (current) close(current);
    current = undefined;
  };

  try {
    if (opts.from) {
      resumeFrom(opts.from);
      schedule();
    } else {
      current = openSource(file);
      current.pos = fs.fstatSync(current.fd).size;
      if (opts.lines && opts.lines > 0) {
        const sources = tailSources(dir, console).slice(0, -1);
        sources.push({ path: file, size: current.pos });
        const tail = tailSourcesSync(sources, opts.lines);
        if (tail.length > 0) deliver(tail, { ino: current.ino, born: current.born, end: current.pos });
      }
    }
  } catch (err) {
    closeAll();
    if (err instanceof ListenerFailure) throw err.cause;
    if (errnoOf(err) !== 'ENOENT') throw logIoError('follow console log', file, err);
  }
  startWatch();
  const timer = setInterval(check, opts.pollMs ?? 250);

  return {
    get startsLine() {
      return startsLine;
    },
    resume() {
      if (!paused) return;
      paused = false;
      schedule();
    },
    position() {
      return current ? { ino: current.ino, born: current.born, end: current.pos } : undefined;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      clearInterval(timer);
      watcher?.close();
      watcher = undefined;
      closeAll();
    },
  };
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
