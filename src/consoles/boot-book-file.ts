// A guest's boot book on disk, LOGDIR/UMID/boots: one JSON record a line (protocol/boot-marker.ts), appended as
// boots begin and end. Bounded: only its last BOOK_MAX bytes are ever read, and it is cut to half that when it grows
// past it, so a guest rebooting for years costs a few hundred KiB.

import fs from 'node:fs';
import path from 'node:path';
import { formatBootRecord, parseBootRecord, type BootRecord } from '../protocol/boot-marker.js';
import { logIoError } from './log-files.js';
import { makeDirs } from '../files/make-dirs.js';

/** The most of the book that is read or kept (about 1500 boots of one console). */
export const BOOK_MAX = 256 * 1024;

export function bootBookPath(dir: string): string {
  return path.join(dir, 'boots');
}

/** The last BOOK_MAX bytes of the book as records, oldest first (none when there is no book yet). */
export function readBootRecords(dir: string, max = BOOK_MAX): BootRecord[] {
  let text: string;
  try {
    text = readEnd(bootBookPath(dir), max);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw logIoError('read boot book', bootBookPath(dir), err);
  }
  const out: BootRecord[] = [];
  for (const line of text.split('\n')) {
    const r = line ? parseBootRecord(line) : undefined;
    if (r) out.push(r);
  }
  return out;
}

/** The file's last `max` bytes, from the first whole line in them. */
function readEnd(file: string, max: number): string {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, max);
    const buf = Buffer.alloc(length);
    const n = fs.readSync(fd, buf, 0, length, size - length);
    const text = buf.subarray(0, n).toString('utf8');
    return length < size ? text.slice(text.indexOf('\n') + 1) : text;
  } finally {
    fs.closeSync(fd);
  }
}

/** Appends one record; a book past `max` is first cut to its newest half (written aside, then renamed over). */
export function appendBootRecord(dir: string, record: BootRecord, max = BOOK_MAX): void {
  const file = bootBookPath(dir);
  try {
    makeDirs(dir, 'log directory');
    const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
    if (size > max) {
      const kept = readEnd(file, Math.floor(max / 2));
      const aside = `${file}.new`;
      fs.writeFileSync(aside, kept, { mode: 0o600 });
      fs.renameSync(aside, file);
    }
    const fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o600);
    try {
      fs.writeSync(fd, formatBootRecord(record));
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    throw logIoError('write boot book', file, err);
  }
}
