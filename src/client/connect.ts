// Reaching the umux server: check that its socket directory is ours (else whoever made it hears every request),
// connect with a timeout, and when nobody is listening start one (detached, in its own session) and wait for it.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { UmuxError } from '../core/errors.js';
import { SERVER_SOCKET, socketDirOf } from '../protocol/locations.js';
import { checkPrivateDir, ensurePrivateDir } from '../files/private-dir.js';
import { hostingConnectError, hostingForced, hostingSocketChoice } from './hosting-socket.js';

export const CONNECT_TIMEOUT_MS = 2000;
export const START_TIMEOUT_MS = 10_000;

export function defaultSocketDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(socketDirOf(env, process.getuid?.() ?? 0));
}

export function serverSocketPath(env: NodeJS.ProcessEnv = process.env): string {
  const own = path.join(defaultSocketDir(env), SERVER_SOCKET);
  return hostingForced() ? (hostingSocketChoice(own) ?? own) : own;
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

const START_LOG = 'server.start.log';
const LOG_FLAGS = fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK;

/** Opens the start log for appending: never through a link, only a regular file of ours. */
function openStartLog(dir: string): number {
  const file = path.join(dir, START_LOG);
  let fd: number;
  try {
    fd = fs.openSync(file, LOG_FLAGS, 0o600);
  } catch (err) {
    throw new UmuxError('permission', `cannot open ${file}: ${(err as NodeJS.ErrnoException).code}`, { hint: `it should be a plain file of yours: remove it` });
  }
  const st = fs.fstatSync(fd);
  if (!st.isFile() || st.uid !== (process.getuid?.() ?? 0)) {
    fs.closeSync(fd);
    throw new UmuxError('permission', `${file} is not a plain file of yours`, { hint: 'remove it' });
  }
  return fd;
}

/** The last line of the start log (why a server did not come up), read without following a link. */
function startLogLastLine(dir: string): string {
  let fd: number;
  try {
    fd = fs.openSync(path.join(dir, START_LOG), fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch {
    return '';
  }
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, 4096));
    const n = fs.readSync(fd, buf, 0, buf.length, Math.max(0, size - buf.length));
    return buf.subarray(0, n).toString('utf8').trim().split('\n').slice(-1)[0] ?? '';
  } catch {
    return '';
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * V8's young generation grows to 16 MiB a half (32 MiB resident) under churn such as a host sample; the server keeps
 * few short-lived objects, so 2 MiB halves cost it little GC and keep ~25 MB off its RSS. V8's memory reducer (up to
 * three full GCs, marked on four helper threads, once activity stops) was ~0.13 % of a core of an idle server's
 * ~0.45 % at 100 guests; turned off, the idle heap stays 2-4 MB larger (--memory-reducer-single-gc was between the
 * two on RSS and no better than on on CPU: docs/DECISIONS.md, "the server's flags and the start bundle").
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=2', '--no-memory-reducer'];

/** Starts `umux server` in the background, its output going to a file beside the socket (for start failures). */
export function spawnServer(env: NodeJS.ProcessEnv = process.env): void {
  if (hostingForced()) throw new UmuxError('not-running', 'the shared umux server is not running', { hint: "a customer never starts a server of their own: ask the host's admin" });
  const bin = env['UMUX_BIN'] ?? process.argv[1];
  if (!bin) throw new UmuxError('internal', 'cannot tell where the umux program is to start its server');
  const dir = ensurePrivateDir(defaultSocketDir(env));
  const out = openStartLog(dir);
  try {
    const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, bin, 'server'], { detached: true, stdio: ['ignore', out, out], env, cwd: serverCwd() });
    // A spawn that fails (no node, no such program) is told here, after this returns: the start log keeps it, and the
    // client's wait for the socket quotes it.
    child.on('error', (err) => noteStartFailure(dir, err));
    child.unref();
  } finally {
    fs.closeSync(out);
  }
}

/** The server's working directory: the home directory, or / when HOME names none (a system account, a bad login). */
function serverCwd(): string {
  const home = os.homedir();
  try {
    return fs.statSync(home).isDirectory() ? home : '/';
  } catch {
    return '/';
  }
}

function noteStartFailure(dir: string, err: Error): void {
  try {
    const fd = openStartLog(dir);
    try {
      fs.writeSync(fd, `cannot start the server: ${err.message}\n`);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // The wait for the socket still ends with its own message.
  }
}

/** Connects to the server, starting it when it is not running (unless `autostart` is false). */
export async function connectServer(opts: { env?: NodeJS.ProcessEnv; autostart?: boolean } = {}): Promise<net.Socket> {
  const env = opts.env ?? process.env;
  const socket = serverSocketPath(env);
  // A hosting customer (hosting-socket.ts): the shared server's socket for them, never a server of their own.
  const hosting = hostingSocketChoice(socket);
  if (hosting) return connectOnce(hosting).catch((err: unknown) => Promise.reject(hostingConnectError(hosting, err)));
  // Before a single byte goes out: a directory someone else made could hold their listener (issue 9).
  checkPrivateDir(defaultSocketDir(env));
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
  const startLog = startLogLastLine(defaultSocketDir(env));
  throw new UmuxError('timeout', `started a umux server but it did not answer on ${socket} within ${START_TIMEOUT_MS} ms (${last})`, {
    hint: startLog ? `its last words: ${startLog}` : 'run umux server in a terminal to see why',
  });
}
