// Where console logs live and how their files are named: DIR/CONSOLE.log, then CONSOLE.log.1 (newest rotated) to
// CONSOLE.log.KEEP (oldest), and the one-line 'io' errors every log function throws.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ERRNO_TEXT, UmuxError, UsageError } from '../core/errors.js';

/** Rotated files are probed up to this index when nobody says how many are kept. */
export const MAX_ROTATED_PROBE = 100;

/** `$UMUX_STATE_DIR/logs`, else `$XDG_STATE_HOME/umux/logs` (absolute only, per XDG), else `~/.local/state/umux/logs`. */
export function defaultLogRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env['UMUX_STATE_DIR']) return path.join(path.resolve(env['UMUX_STATE_DIR']), 'logs');
  const xdg = env['XDG_STATE_HOME'];
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'umux', 'logs');
  return path.join(env['HOME'] || os.homedir(), '.local', 'state', 'umux', 'logs');
}

/** A console name becomes a file name: refuse anything that could leave the log directory. */
export function checkConsoleName(console: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(console)) {
    throw new UsageError(`bad console name "${console}"`, { hint: 'console names look like con0 or ssl1' });
  }
  return console;
}

/** DIR/CONSOLE.log for n = 0, DIR/CONSOLE.log.N for the N-th newest rotated file. */
export function logFilePath(dir: string, console: string, n = 0): string {
  const base = path.join(dir, `${checkConsoleName(console)}.log`);
  return n === 0 ? base : `${base}.${n}`;
}

/** The log's files, oldest first and the current one last: rotated files stop at the first gap. */
export function logFilesOldestFirst(dir: string, console: string, keep = MAX_ROTATED_PROBE): string[] {
  const files = [logFilePath(dir, console)];
  for (let n = 1; n <= keep; n++) {
    const file = logFilePath(dir, console, n);
    if (!fs.existsSync(file)) break;
    files.unshift(file);
  }
  return files;
}

export function errnoOf(err: unknown): string {
  if (err instanceof UmuxError) return errnoOf(err.cause);
  return (err as NodeJS.ErrnoException | undefined)?.code ?? (err instanceof Error ? err.message : String(err));
}

const HINTS: Record<string, string> = {
  ENOSPC: 'the disk holding the logs is full: free space, or lower the rotation size or the files kept',
  EDQUOT: 'your disk quota is used up: free space, or lower the rotation size or the files kept',
  EACCES: 'the log directory must belong to the user running the umux server',
  EPERM: 'the log directory must belong to the user running the umux server',
  EROFS: 'the log directory is on a read-only file system: set UMUX_STATE_DIR elsewhere',
  ENOENT: 'the guest has not written to this console yet, or the name is wrong (see umux ls)',
};

/** `cannot ACTION PATH: ERRNO (words)` with a hint that says what to do about that errno (a UmuxError stays as it is). */
export function logIoError(action: string, file: string, err: unknown): UmuxError {
  if (err instanceof UmuxError) return err;
  const code = errnoOf(err);
  const words = ERRNO_TEXT[code];
  return new UmuxError('io', `cannot ${action} ${file}: ${code}${words ? ` (${words})` : ''}`, {
    cause: err,
    hint: HINTS[code] ?? 'check the log directory (set UMUX_STATE_DIR to move it)',
  });
}
