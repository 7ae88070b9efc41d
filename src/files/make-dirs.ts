// mkdir -p that always ends: Node 20's fs.mkdirSync(p, { recursive: true }) spins for ever under /proc (the kernel
// answers ENOENT to every mkdir there), and a path in a definition or a command must never hang the server.

import fs from 'node:fs';
import path from 'node:path';
import { UmuxError } from '../core/errors.js';

/**
 * Creates `dir` and any missing parents, one component at a time, with `mode` for those it creates. Throws a
 * UmuxError naming `what` (e.g. "uml_dir") on the first component that is not a directory or cannot be created.
 */
export function makeDirs(dir: string, what: string, mode = 0o700): string {
  const abs = path.resolve(dir);
  const parts = abs.split(path.sep).filter(Boolean);
  let at: string = path.sep;
  for (const part of parts) {
    at = path.join(at, part);
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(at);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw mkdirError(abs, at, what, err);
    }
    if (st) {
      if (!st.isDirectory()) throw mkdirError(abs, at, what, Object.assign(new Error(`${at} is not a directory`), { code: 'ENOTDIR' }));
      continue;
    }
    try {
      fs.mkdirSync(at, { mode });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && fs.statSync(at, { throwIfNoEntry: false })?.isDirectory()) continue;
      throw mkdirError(abs, at, what, err);
    }
  }
  return abs;
}

function mkdirError(abs: string, at: string, what: string, err: unknown): UmuxError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  const where = at === abs ? '' : ` (at ${at})`;
  return new UmuxError('io', `cannot create ${what} ${abs}${where}: ${code}`, { hint: `pick a ${what} in a directory you can write to`, cause: err });
}
