// Other Unix users for attack tests: made on demand when the tests run as root (CI does), and a way to run a
// small Node script as one of them. Outside CI, a test that needs them skips when it is not root.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface OtherUser {
  name: string;
  uid: number;
  gid: number;
}

export const isRoot = process.getuid?.() === 0;

/** Skip only when this is not root and not CI: under CI=true the tests run (as root), and fail without it. */
export function otherUserSkip(): boolean {
  return !isRoot && process.env.CI !== 'true';
}

/** The user `name`, created (system account, no home, no shell) when it does not exist yet. */
export function ensureUser(name: string): OtherUser {
  const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  try {
    return { name, uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', '--user-group', name]);
    return { name, uid: id('-u'), gid: id('-g') };
  }
}

/** The user `name` with a home directory and /bin/sh (ssh logins and ForceCommand need both), made when missing. */
export function ensureLoginUser(name: string): OtherUser & { home: string } {
  const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
  try {
    id('-u');
  } catch {
    execFileSync('useradd', ['--create-home', '--shell', '/bin/sh', '--user-group', name]);
  }
  const home = execFileSync('getent', ['passwd', name], { encoding: 'utf8' }).trim().split(':')[5] ?? `/home/${name}`;
  return { name, uid: id('-u'), gid: id('-g'), home };
}

/** A directory under /tmp that every user can read (for scripts run as another user). */
export function sharedTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(dir, 0o755);
  return dir;
}

/** Runs the JavaScript `source` (an ES module) as `user`, with `args`; resolves with its output when it exits. */
export function runAs(user: OtherUser, source: string, args: string[] = [], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<{ code: number | null; out: string }> {
  const child = startAs(user, source, args, opts.env);
  return new Promise((resolve) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

/** Starts `source` as `user` and leaves it running (the caller kills it). */
export function startAs(user: OtherUser, source: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const dir = sharedTempDir('umx-script-');
  const file = path.join(dir, 'script.mjs');
  fs.writeFileSync(file, source, { mode: 0o644 });
  return spawn(process.execPath, [file, ...args], {
    uid: user.uid,
    gid: user.gid,
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
