// One boot's part of a console log: from its boot marker to the next boot's marker (or the log's end), read with the
// tail reader, so only the last lines asked for are read however long the boot ran. Places are checked: the bytes
// at a recorded place must be a boot marker (an inode can be reused once its file is rotated away).

import fs from 'node:fs';
import { UmuxError } from '../core/errors.js';
import { isBootMarker, type LogPlace } from '../protocol/boot-marker.js';
import { logFilesOldestFirst, logIoError } from './log-files.js';
import { tailSourcesSync, type TailSource } from './log-tail.js';

export interface BootSection {
  text: string;
  /** Said when the boot's start was rotated away and the text begins at the oldest file kept. */
  note?: string;
}

interface LogFile {
  path: string;
  ino: number;
  size: number;
}

function statFiles(dir: string, console: string, keep?: number): LogFile[] {
  const out: LogFile[] = [];
  for (const file of logFilesOldestFirst(dir, console, keep)) {
    try {
      const st = fs.statSync(file);
      out.push({ path: file, ino: st.ino, size: st.size });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw logIoError('read console log', file, err);
    }
  }
  return out;
}

/** The index of the file holding a boot marker at `place`, or -1. */
function findMarker(files: readonly LogFile[], place: LogPlace): number {
  const i = files.findIndex((f) => f.ino === place.ino && place.offset < f.size);
  if (i < 0) return -1;
  const buf = Buffer.alloc(64);
  let fd: number | undefined;
  try {
    fd = fs.openSync(files[i]!.path, 'r');
    const n = fs.readSync(fd, buf, 0, buf.length, place.offset);
    return isBootMarker(buf.subarray(0, n).toString('latin1')) ? i : -1;
  } catch {
    return -1;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * The last `lines` lines of the boot whose marker is at `start`, up to `end` (the next boot's marker; undefined: the
 * log's end). `what` names the boot and console for errors ("boot 2 of g1:con0").
 */
export function readBootSection(dir: string, console: string, start: LogPlace, end: LogPlace | undefined, lines: number, what: string): BootSection {
  const files = statFiles(dir, console);
  const last = end === undefined ? files.length - 1 : findMarker(files, end);
  // The next boot's marker starts the oldest file kept: nothing of this boot is left either.
  const gone = last === 0 && end !== undefined && end.offset === 0 && findMarker(files, start) < 0;
  if (last < 0 || gone) {
    throw new UmuxError('io', `${what} was rotated out of the log`, { hint: 'the log keeps log_keep old files of log_max_bytes each: raise them to keep more' });
  }
  let first = findMarker(files, start);
  let note: string | undefined;
  if (first < 0) {
    first = 0;
    note = `the start of ${what} was rotated out of the log: shown from the oldest line kept`;
  }
  if (first > last || (first === last && note === undefined && end !== undefined && start.offset > end.offset)) {
    throw new UmuxError('io', `${what}: its marker is not before the next boot's`, { hint: 'the log was changed by hand; umux log without --boot shows it all' });
  }
  const sources: TailSource[] = files.slice(first, last + 1).map((f) => ({ path: f.path, size: f.size }));
  if (note === undefined) sources[0]!.start = start.offset;
  if (end !== undefined) sources[sources.length - 1]!.size = end.offset;
  return { text: tailSourcesSync(sources, lines).toString('utf8'), ...(note ? { note } : {}) };
}
