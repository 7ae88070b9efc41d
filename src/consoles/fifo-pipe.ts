// A pipe for a guest's console output. Node has no pipe(2): a FIFO made with mkfifo in a private directory, opened
// at both ends and unlinked at once, is the same thing. UML writes a console's output in pieces of a line or less; a
// pipe merges them into its 64 KiB, where a socketpair spends ~1.3 KiB of its ~208 KiB on each (20–55 KiB of text).

import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface PipeEnds {
  read: number;
  write: number;
}

const MKFIFO_MS = 5000;

/** Opens a pipe through a FIFO in `dir` (a directory only this user can write). Throws with errno on failure. */
export async function openPipe(dir: string): Promise<PipeEnds> {
  const file = path.join(dir, `.pipe-${process.pid}-${randomBytes(6).toString('hex')}`);
  await new Promise<void>((resolve, reject) => {
    execFile('mkfifo', ['-m', '600', file], { timeout: MKFIFO_MS }, (err, _out, stderr) => {
      if (err) reject(Object.assign(new Error(`mkfifo failed: ${String(stderr).trim() || err.message}`), { code: (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'ENOENT' : 'EIO' }));
      else resolve();
    });
  });
  let read: number | undefined;
  try {
    // O_NONBLOCK: opening the read end waits for no writer; the write end then opens at once (a reader exists).
    read = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW);
    const st = fs.fstatSync(read);
    if (!st.isFIFO() || st.uid !== process.getuid?.()) throw Object.assign(new Error(`${file} is not the FIFO just made`), { code: 'EPERM' });
    const write = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NOFOLLOW);
    return { read, write };
  } catch (err) {
    if (read !== undefined) fs.closeSync(read);
    throw err;
  } finally {
    fs.rmSync(file, { force: true });
  }
}
