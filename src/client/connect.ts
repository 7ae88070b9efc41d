// Reaching the umux server: connect to its socket with a timeout, and when nobody is listening start one
// (detached, in its own session) and wait for it to answer. The server's lock makes concurrent starts safe.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { UmuxError } from '../core/errors.js';
import { SERVER_SOCKET, socketDirOf } from '../protocol/locations.js';

export const CONNECT_TIMEOUT_MS = 2000;
export const START_TIMEOUT_MS = 10_000;

export function defaultSocketDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(socketDirOf(env, process.getuid?.() ?? 0));
}

export function serverSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(defaultSocketDir(env), SERVER_SOCKET);
}

/** Connects once; rejects with the errno code (ENOENT, ECONNREFUSED, …) or 'ETIMEDOUT'. */
export function connectOnce(socketPath: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection({ path: socketPath });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(Object.assign(new Error('connect timed out'), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.removeAllListeners('error');
      resolve(sock);
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Starts `umux server` in the background, its output going to a file beside the socket (for start failures). */
export function spawnServer(env: NodeJS.ProcessEnv = process.env): void {
  const bin = env['UMUX_BIN'] ?? process.argv[1];
  if (!bin) throw new UmuxError('internal', 'cannot tell where the umux program is to start its server');
  const dir = defaultSocketDir(env);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const out = fs.openSync(path.join(dir, 'server.start.log'), 'a', 0o600);
  try {
    const child = spawn(process.execPath, [bin, 'server'], { detached: true, stdio: ['ignore', out, out], env, cwd: os.homedir() });
    child.unref();
  } finally {
    fs.closeSync(out);
  }
}

/** Connects to the server, starting it when it is not running (unless `autostart` is false). */
export async function connectServer(opts: { env?: NodeJS.ProcessEnv; autostart?: boolean } = {}): Promise<net.Socket> {
  const env = opts.env ?? process.env;
  const socket = serverSocketPath(env);
  try {
    return await connectOnce(socket);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES') {
      throw new UmuxError('permission', `permission denied on the server socket ${socket}`, { hint: 'it belongs to another user: set UMUX_SOCKET_DIR' });
    }
    if (code === 'ETIMEDOUT') {
      throw new UmuxError('timeout', `the umux server at ${socket} accepted no connection in ${CONNECT_TIMEOUT_MS} ms`, {
        hint: 'it may be wedged: umux kill-server, or kill the pid in server.lock',
      });
    }
    if (code !== 'ENOENT' && code !== 'ECONNREFUSED') throw new UmuxError('io', `cannot reach the umux server at ${socket}: ${code}`);
    if (opts.autostart === false) {
      throw new UmuxError('not-running', `no umux server is running (${socket})`, { hint: 'any umux command that needs it starts one' });
    }
  }
  spawnServer(env);
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = '';
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    try {
      return await connectOnce(socket);
    } catch (err) {
      last = (err as NodeJS.ErrnoException).code ?? String(err);
    }
  }
  let startLog = '';
  try {
    startLog = fs.readFileSync(path.join(defaultSocketDir(env), 'server.start.log'), 'utf8').trim().split('\n').slice(-1)[0] ?? '';
  } catch {
    // no log
  }
  throw new UmuxError('timeout', `started a umux server but it did not answer on ${socket} within ${START_TIMEOUT_MS} ms (${last})`, {
    hint: startLog ? `its last words: ${startLog}` : 'run umux server in a terminal to see why',
  });
}
