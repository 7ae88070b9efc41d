// V8's code cache for the start bundle, kept in the user's cache directory: a file per bundle build, node and flags,
// written atomically, read back only from a directory and file the user owns that no one else may write, and only
// when its length and CRC match (V8 itself checks its version and flags, not the bytes). Any failure means no cache.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const MAGIC = Buffer.from('UMUXV8C1');
const HEADER = MAGIC.length + 8;

/** Where the caches go: $XDG_CACHE_HOME/umux, else ~/.cache/umux; undefined with neither set. */
export function codeCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const base = env['XDG_CACHE_HOME'] || (env['HOME'] ? path.join(env['HOME'], '.cache') : '');
  return base && path.isAbsolute(base) ? path.join(base, 'umux') : undefined;
}

/** True when `dir` is (made) a directory of this user's that no other user can write; never throws. */
export function privateDir(dir: string, uid = process.getuid?.() ?? -1): boolean {
  try {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    try {
      fs.mkdirSync(dir, { mode: 0o700 });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') return false;
    }
    return safeOwned(fs.lstatSync(dir), uid, 'dir');
  } catch {
    return false;
  }
}

function safeOwned(st: fs.Stats, uid: number, kind: 'dir' | 'file'): boolean {
  const rightKind = kind === 'dir' ? st.isDirectory() : st.isFile();
  return rightKind && st.uid === uid && (st.mode & 0o022) === 0;
}

/** What a cache is for: the bundle as built (path, size, time, inode), this node and its flags, and the program. */
export interface CacheIdentity {
  bundle: string;
  stat: { size: number; mtimeMs: number; ino: number };
  flavor: string;
  node?: string;
}

/** The file name: `FLAVOR-PLACE-BUILD.v8`, PLACE from the bundle's path, BUILD from everything that makes it stale. */
export function cacheName(id: CacheIdentity): { prefix: string; name: string } {
  const node = id.node ?? `${process.version} ${process.arch} ${process.execArgv.join(' ')}`;
  const prefix = `${id.flavor}-${hash(id.bundle)}-`;
  return { prefix, name: `${prefix}${hash(`${id.stat.size} ${id.stat.mtimeMs} ${id.stat.ino} ${node}`)}.v8` };
}

function hash(text: string): string {
  return zlib.crc32(text).toString(16).padStart(8, '0') + zlib.crc32(text, 0x5bd1e995).toString(16).padStart(8, '0');
}

/** V8's bytes behind a header: magic, length, CRC-32. */
export function encodeCache(data: Uint8Array): Buffer {
  const head = Buffer.alloc(HEADER);
  MAGIC.copy(head);
  head.writeUInt32LE(data.length, MAGIC.length);
  head.writeUInt32LE(zlib.crc32(data), MAGIC.length + 4);
  return Buffer.concat([head, data]);
}

/** The bytes a header vouches for, or undefined (another format, cut short, changed). */
export function decodeCache(buf: Buffer): Buffer | undefined {
  if (buf.length < HEADER || !buf.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  const data = buf.subarray(HEADER);
  if (data.length !== buf.readUInt32LE(MAGIC.length)) return undefined;
  return zlib.crc32(data) === buf.readUInt32LE(MAGIC.length + 4) ? data : undefined;
}

/** The cache in `dir` named `name`, when it is a file of this user's no one else may write and its bytes check. */
export function readCodeCache(dir: string, name: string, uid = process.getuid?.() ?? -1): Buffer | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(path.join(dir, name), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
    if (!safeOwned(fs.fstatSync(fd), uid, 'file')) return undefined;
    return decodeCache(fs.readFileSync(fd));
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Writes the cache (0600, by rename: a reader sees the old file or the new) and removes older builds' files. */
export function writeCodeCache(dir: string, names: { prefix: string; name: string }, data: Uint8Array): boolean {
  const tmp = path.join(dir, `.${names.name}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, encodeCache(data), { mode: 0o600, flag: 'wx' });
    fs.renameSync(tmp, path.join(dir, names.name));
  } catch {
    fs.rmSync(tmp, { force: true });
    return false;
  }
  try {
    for (const f of fs.readdirSync(dir)) if (f.startsWith(names.prefix) && f !== names.name) fs.rmSync(path.join(dir, f), { force: true });
  } catch {
    // an old file left behind costs disk only
  }
  return true;
}
