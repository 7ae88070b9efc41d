// Reading files someone else may have planted (a pid file in a umid directory): never follow a link, never block
// on a FIFO or a device, never read more than a small bound.

import fs from 'node:fs';

/** The text of a small regular file, or undefined when it is missing, a link, not a regular file or too big. */
export function readSmallFile(file: string, maxBytes = 4096): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
  } catch {
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size > maxBytes) return undefined;
    const buf = Buffer.alloc(maxBytes);
    const n = fs.readSync(fd, buf, 0, maxBytes, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return undefined;
  } finally {
    fs.closeSync(fd);
  }
}
