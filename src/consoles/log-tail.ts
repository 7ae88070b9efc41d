// The last N lines of a console log, read backwards across CONSOLE.log and its rotated files as one stream (what
// `tail -n` prints); one plan drives both the synchronous and the asynchronous reader.

import fs from 'node:fs';
import { logFilePath, logFilesOldestFirst, logIoError } from './log-files.js';

const CHUNK = 64 * 1024;
const NL = 0x0a;

export interface TailSource {
  path: string;
  /** Bytes of the file that belong to the stream (its size when it was looked at). */
  size: number;
  /** Where the stream starts in this file (default 0): a boot's section starts at its marker. */
  start?: number;
}

interface ReadRequest {
  source: number;
  position: number;
  length: number;
}

/**
 * Reads backwards from the newest source, yielding read requests and counting newlines, until it has the start of
 * the last `lines` lines; returns their bytes. A final newline ends the last line and starts no new one.
 */
function* tailPlan(sources: readonly TailSource[], lines: number): Generator<ReadRequest, Buffer, Buffer> {
  const parts: Buffer[] = [];
  if (lines <= 0) return Buffer.alloc(0);
  let newlines = 0;
  let seenLastByte = false;
  for (let s = sources.length - 1; s >= 0; s--) {
    let end = sources[s]!.size;
    const start = sources[s]!.start ?? 0;
    while (end > start) {
      const position = Math.max(start, end - CHUNK);
      const chunk = yield { source: s, position, length: end - position };
      let at = chunk.length;
      if (!seenLastByte && at > 0) {
        seenLastByte = true;
        if (chunk[at - 1] === NL) at--;
      }
      while (at > 0) {
        const i = chunk.lastIndexOf(NL, at - 1);
        if (i < 0) break;
        if (++newlines === lines) {
          parts.unshift(chunk.subarray(i + 1));
          return Buffer.concat(parts);
        }
        at = i;
      }
      parts.unshift(chunk);
      end = position;
    }
  }
  return Buffer.concat(parts);
}

/** Synchronous tail over explicit sources (ConsoleLog.readTail and followLog's opening lines). */
export function tailSourcesSync(sources: readonly TailSource[], lines: number): Buffer {
  const fds = new Map<number, number>();
  const plan = tailPlan(sources, lines);
  try {
    let step = plan.next(Buffer.alloc(0));
    while (!step.done) {
      const { source, position, length } = step.value;
      const file = sources[source]!.path;
      let fd = fds.get(source);
      if (fd === undefined) {
        fd = fs.openSync(file, 'r');
        fds.set(source, fd);
      }
      const buf = Buffer.alloc(length);
      const n = fs.readSync(fd, buf, 0, length, position);
      step = plan.next(buf.subarray(0, n));
    }
    return step.value;
  } catch (err) {
    throw logIoError('read console log', sources.at(-1)?.path ?? '', err);
  } finally {
    for (const fd of fds.values()) fs.closeSync(fd);
  }
}

/** The files of a log with their current sizes, oldest first; rotated files that vanish meanwhile are skipped. */
export function tailSources(dir: string, console: string, keep?: number): TailSource[] {
  const current = logFilePath(dir, console);
  const out: TailSource[] = [];
  for (const file of logFilesOldestFirst(dir, console, keep)) {
    try {
      out.push({ path: file, size: fs.statSync(file).size });
    } catch (err) {
      if (file === current) throw logIoError('read console log', current, err);
    }
  }
  return out;
}

export function readLogTailSync(dir: string, console: string, lines: number, keep?: number): string {
  return tailSourcesSync(tailSources(dir, console, keep), lines).toString('utf8');
}

/** The last `lines` lines of DIR/CONSOLE.log, reaching into CONSOLE.log.1… when the current file is short. */
export async function readLogTail(dir: string, console: string, lines: number): Promise<string> {
  const current = logFilePath(dir, console);
  const handles = new Map<number, fs.promises.FileHandle>();
  try {
    const sources: TailSource[] = [];
    for (const file of logFilesOldestFirst(dir, console)) {
      try {
        const handle = await fs.promises.open(file, 'r');
        handles.set(sources.length, handle);
        sources.push({ path: file, size: (await handle.stat()).size });
      } catch (err) {
        if (file === current) throw err;
      }
    }
    const plan = tailPlan(sources, lines);
    let step = plan.next(Buffer.alloc(0));
    while (!step.done) {
      const { source, position, length } = step.value;
      const buf = Buffer.alloc(length);
      const { bytesRead } = await handles.get(source)!.read(buf, 0, length, position);
      step = plan.next(buf.subarray(0, bytesRead));
    }
    return step.value.toString('utf8');
  } catch (err) {
    throw logIoError('read console log', current, err);
  } finally {
    await Promise.all([...handles.values()].map((h) => h.close()));
  }
}
