// `umux log -f`: follows DIR/CONSOLE.log as it grows (fs.watch on the directory, plus a poll for when watching fails
// or misses), and across rotation: the old file is read to its end, rotated files skipped over are read, then the new one.

import fs from 'node:fs';
import type { Disposable } from '../core/disposable.js';
import type { UmuxError } from '../core/errors.js';
import { errnoOf, logFilePath, logIoError, MAX_ROTATED_PROBE } from './log-files.js';
import { tailSources, tailSourcesSync } from './log-tail.js';

const CHUNK = 64 * 1024;

export interface FollowOptions {
  /** First deliver the last N lines (before followLog returns), then exactly what follows them (default 0: only new bytes). */
  lines?: number;
  /** Poll interval in ms, the fallback for fs.watch (default 250). */
  pollMs?: number;
  /** Read failures other than a missing file; following goes on and retries at the next poll. */
  onError?: (err: UmuxError) => void;
}

export function followLog(
  dir: string,
  console: string,
  onData: (bytes: Uint8Array) => void,
  opts: FollowOptions = {},
): Disposable {
  const file = logFilePath(dir, console);
  let fd: number | undefined;
  let ino = 0;
  let pos = 0;
  let disposed = false;
  let watcher: fs.FSWatcher | undefined;
  let pending = false;
  let lastError = '';

  /** A throwing onData is the caller's bug, not a read failure: it escapes as it is (see check). */
  const deliver = (bytes: Uint8Array): void => {
    try {
      onData(bytes);
    } catch (err) {
      throw new ListenerFailure(err);
    }
  };

  const drain = (from: number): void => {
    for (;;) {
      const buf = Buffer.alloc(CHUNK);
      const n = fs.readSync(from, buf, 0, CHUNK, pos);
      if (n === 0) return;
      pos += n;
      deliver(buf.subarray(0, n));
    }
  };

  const readWhole = (path: string): void => {
    const rotated = fs.openSync(path, 'r');
    try {
      pos = 0;
      drain(rotated);
    } finally {
      fs.closeSync(rotated);
    }
  };

  /**
   * After a rotation, reads the rotated files newer than the one we held (more than one rotation between two looks).
   * If ours was dropped (keep exceeded), every rotated file left is newer: all of them, unless older than ours.
   */
  const readSkippedRotations = (held: fs.Stats): void => {
    const rotated: Array<{ path: string; st: fs.Stats }> = [];
    for (let n = 1; n <= MAX_ROTATED_PROBE; n++) {
      const path = logFilePath(dir, console, n);
      try {
        const st = fs.statSync(path);
        if (st.ino === held.ino) break;
        rotated.push({ path, st });
      } catch {
        break;
      }
    }
    for (const { path, st } of rotated.reverse()) if (st.mtimeMs >= held.mtimeMs) readWhole(path);
  };

  const openCurrent = (): void => {
    fd = fs.openSync(file, 'r');
    ino = fs.fstatSync(fd).ino;
    pos = 0;
  };

  const check = (): void => {
    if (disposed) return;
    try {
      let st: fs.Stats | undefined;
      try {
        st = fs.statSync(file);
      } catch (err) {
        if (errnoOf(err) !== 'ENOENT') throw err;
      }
      if (fd !== undefined) {
        drain(fd);
        if (st && st.ino !== ino) {
          const held = fs.fstatSync(fd);
          fs.closeSync(fd);
          fd = undefined;
          readSkippedRotations(held);
        } else if (st && st.size < pos) {
          pos = 0; // truncated in place
          drain(fd);
        }
      }
      if (fd === undefined && st) {
        openCurrent();
        drain(fd!);
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

  try {
    openCurrent();
    pos = fs.fstatSync(fd!).size;
    if (opts.lines && opts.lines > 0) {
      const sources = tailSources(dir, console).slice(0, -1);
      sources.push({ path: file, size: pos });
      const tail = tailSourcesSync(sources, opts.lines);
      if (tail.length > 0) deliver(tail);
    }
  } catch (err) {
    if (fd !== undefined) fs.closeSync(fd);
    fd = undefined;
    pos = 0;
    if (err instanceof ListenerFailure) throw err.cause;
    if (errnoOf(err) !== 'ENOENT') throw logIoError('follow console log', file, err);
  }
  startWatch();
  const timer = setInterval(check, opts.pollMs ?? 250);

  return {
    dispose() {
      if (disposed) return;
      disposed = true;
      clearInterval(timer);
      watcher?.close();
      watcher = undefined;
      if (fd !== undefined) fs.closeSync(fd);
      fd = undefined;
    },
  };
}

class ListenerFailure {
  constructor(readonly cause: unknown) {}
}
