// How far a kept console's log goes in the keeper's byte count (DECISIONS.md "Consoles outlive the server"): after
// each append the server records (keeper offset, log file inode and size, channel) in DIR/.CONSOLE.kept; a new server cuts
// off whatever the log holds past that point and asks the keeper for the bytes from that offset, so none is twice.

import fs from 'node:fs';
import path from 'node:path';
import type { Disposable } from '../core/disposable.js';
import { checkConsoleName, logFilePath, MAX_ROTATED_PROBE } from './log-files.js';

export interface CommitPoint {
  /** Bytes of the console (as the keeper counts them) that the log holds. */
  offset: number;
  /** The log file that was current then (inode), and its size. */
  ino: number;
  size: number;
  /** Which keeper channel the offset counts in (`KEEPER_START.CHANNEL_ID`): a record of another is no use. */
  channel: string;
}

const RECORD_BYTES = 64;

export function commitFile(dir: string, console: string): string {
  return path.join(dir, `.${checkConsoleName(console)}.kept`);
}

export function readCommit(dir: string, console: string): CommitPoint | undefined {
  let text: string;
  try {
    text = fs.readFileSync(commitFile(dir, console), 'latin1');
  } catch {
    return undefined;
  }
  const m = /^(\d+) (\d+) (\d+) (\d+\.\d+)\s*$/.exec(text);
  if (!m) return undefined;
  const [offset, ino, size] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return Number.isSafeInteger(offset) && Number.isSafeInteger(ino) && Number.isSafeInteger(size) ? { offset, ino, size, channel: m[4]! } : undefined;
}

/** The record, rewritten in place (one pwrite of 64 bytes) after every append. */
export class LogCommit implements Disposable {
  private fd: number | undefined;
  private readonly buf = Buffer.alloc(RECORD_BYTES, 0x20);

  constructor(dir: string, console: string) {
    this.fd = fs.openSync(commitFile(dir, console), fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW, 0o600);
  }

  record(p: CommitPoint): void {
    if (this.fd === undefined) return;
    this.buf.fill(0x20);
    this.buf.write(`${p.offset} ${p.ino} ${p.size} ${p.channel}\n`, 0, 'latin1');
    fs.writeSync(this.fd, this.buf, 0, RECORD_BYTES, 0);
  }

  dispose(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }
}

/**
 * Takes out of the log what was written after `point` (the keeper still has those bytes). The file that was current
 * then is found by inode: cut to its size and made current again; files rotated out after it go. Returns false
 * when that file is no longer there (rotated away or removed): the log is left as it is.
 */
export function rewindLog(dir: string, console: string, point: CommitPoint): boolean {
  const files: string[] = [];
  for (let n = 0; n <= MAX_ROTATED_PROBE; n++) {
    const f = logFilePath(dir, console, n);
    if (!fs.existsSync(f)) {
      if (n === 0) continue;
      break;
    }
    files.push(f);
  }
  const at = files.findIndex((f) => fs.statSync(f).ino === point.ino);
  if (at < 0) return false;
  if (fs.statSync(files[at]!).size > point.size) fs.truncateSync(files[at]!, point.size);
  if (at === 0) return true;
  // Newer files hold only bytes past the point: drop them, then move the rest up so the point's file is current.
  for (let i = 0; i < at; i++) fs.rmSync(files[i]!, { force: true });
  for (let i = at; i < files.length; i++) fs.renameSync(files[i]!, logFilePath(dir, console, i - at));
  return true;
}
