// Finds a guest's MConsole socket from what the admin typed, as uml_mconsole does: a path to the socket (or its
// umid directory), else UMID under --uml-dir, ~/.uml and /tmp/uml. Errors say everywhere it looked.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MconsoleError } from '../core/errors.js';

export interface ResolvedGuest {
  /** The socket path to send to. */
  socket: string;
  /** The umid, when the socket sits in a umid directory. */
  umid: string;
  /** The umid directory (holds `mconsole` and `pid`). */
  dir: string;
}

export function umidSearchDirs(umlDir?: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const home = env['HOME'] ?? os.homedir();
  const dirs = [umlDir, path.join(home, '.uml'), '/tmp/uml'].filter((d): d is string => !!d);
  return [...new Set(dirs.map((d) => path.resolve(d)))];
}

function isSocket(p: string): boolean {
  try {
    return fs.statSync(p).isSocket();
  } catch {
    return false;
  }
}

function fromSocket(socket: string): ResolvedGuest {
  const dir = path.dirname(socket);
  return { socket, umid: path.basename(dir), dir };
}

export function resolveGuest(target: string, options: { umlDir?: string } = {}): ResolvedGuest {
  if (target === '') throw new MconsoleError('usage', 'expected a umid or a socket path, got nothing');
  const looked: string[] = [];
  if (target.includes('/') || target.startsWith('.')) {
    const abs = path.resolve(target);
    if (isSocket(abs)) return fromSocket(abs);
    const inDir = path.join(abs, 'mconsole');
    if (isSocket(inDir)) return fromSocket(inDir);
    looked.push(abs, inDir);
  } else {
    for (const dir of umidSearchDirs(options.umlDir)) {
      const socket = path.join(dir, target, 'mconsole');
      if (isSocket(socket)) return fromSocket(socket);
      looked.push(socket);
    }
    if (isSocket(path.resolve(target))) return fromSocket(path.resolve(target));
  }
  throw new MconsoleError('no-such-guest', `can't find guest: ${target} (looked at ${looked.join(', ')})`, {
    target,
    hint: options.umlDir ? 'check the umid (ls the uml dir)' : 'give --uml-dir DIR if the guest was started with uml_dir=DIR',
  });
}

/** Reads the main pid from the umid directory's `pid` file (for `int` and liveness checks). */
export function readGuestPid(dir: string): number {
  const file = path.join(dir, 'pid');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new MconsoleError('not-running', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code}`, { cause: err });
  }
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 1) {
    throw new MconsoleError('bad-reply', `${file} holds "${text.trim()}", expected a process id`);
  }
  return pid;
}
