// Where UML guests keep their memory files (arch/um/os-Linux/mem.c choose_tempdir) and how full that filesystem is.
// A full tmpfs there crashes guests with SIGBUS (findings §12); a missing TMPDIR makes UML exit at once (§7).

import type { FsUsage } from '../protocol/host-types.js';
export type { FsUsage } from '../protocol/host-types.js';

import fs from 'node:fs';
import { UmuxError } from '../core/errors.js';

export const TMPFS_MAGIC = 0x01021994;

/** The fields of fs.StatsFs umux reads (also what unit tests feed in). */
export interface StatfsFields {
  type: number;
  bsize: number;
  blocks: number;
  bfree: number;
  bavail: number;
}

/**
 * The directory UML 6.1 puts its memory file in, for a guest started with `env`: the first non-empty of TMPDIR, TMP
 * and TEMP (used even when not tmpfs, with a warning), else /dev/shm if it is tmpfs, else /tmp.
 */
export function memfileDir(env: NodeJS.ProcessEnv = process.env, isTmpfs: (dir: string) => boolean = onTmpfs): string {
  for (const name of ['TMPDIR', 'TMP', 'TEMP']) {
    const value = env[name];
    if (value) return value;
  }
  return isTmpfs('/dev/shm') ? '/dev/shm' : '/tmp';
}

function onTmpfs(dir: string): boolean {
  try {
    return fs.statfsSync(dir).type === TMPFS_MAGIC;
  } catch {
    return false;
  }
}

/** Turns statfs numbers into usage in bytes (df's arithmetic). */
export function fsUsageFrom(path: string, st: StatfsFields): FsUsage {
  return {
    path,
    type: st.type === TMPFS_MAGIC ? 'tmpfs' : 'other',
    typeHex: `0x${st.type.toString(16)}`,
    size: st.blocks * st.bsize,
    used: (st.blocks - st.bfree) * st.bsize,
    avail: st.bavail * st.bsize };
}

/** statfs of `path`; throws a UmuxError with a hint when it is missing or unreadable. */
export function statFs(path: string): FsUsage {
  try {
    return fsUsageFrom(path, fs.statfsSync(path));
  } catch (err) {
    throw statFsError(path, err);
  }
}

function statFsError(path: string, err: unknown): UmuxError {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new UmuxError('io', `memory-file directory ${path} does not exist`, {
      hint: 'UML exits at once when TMPDIR names a missing directory: create it, or unset TMPDIR to use /dev/shm',
      cause: err });
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new UmuxError('permission', `memory-file directory ${path}: permission denied`, {
      hint: 'UML needs to create files there: fix its permissions or point TMPDIR elsewhere',
      cause: err });
  }
  return new UmuxError('io', `cannot statfs ${path}: ${(err as Error).message}`, { cause: err });
}
