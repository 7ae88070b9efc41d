// Riding through a server restart (issue 11): how a client waits for a umux server to be back. After a crash or a
// kill -9 it starts one itself once none has answered for a grace period (as every client starts a missing server);
// after a deliberate stop (umux kill-server, a signal) it only waits for one someone else starts. Every wait is bounded.

import type net from 'node:net';
import { UmuxError } from '../core/errors.js';
import type { ServerStop } from '../protocol/wire-messages.js';
import { checkPrivateDir } from '../files/private-dir.js';
import { connectOnce, defaultSocketDir, serverSocketPath, spawnServer, START_TIMEOUT_MS } from './connect.js';

export interface RideTimes {
  /** No server for this long after a crash: start one (a crashed server's own restart, or another client's, first). */
  graceMs: number;
  /** Pause between two tries, doubled each time up to maxRetryMs. */
  minRetryMs: number;
  maxRetryMs: number;
  /** No server for this long: give up (UMUX_RIDE_WAIT_MS). */
  giveUpMs: number;
}

export const DEFAULT_RIDE_TIMES: RideTimes = { graceMs: 1500, minRetryMs: 200, maxRetryMs: 1000, giveUpMs: 15 * 60_000 };

export function rideTimesFrom(env: NodeJS.ProcessEnv): RideTimes {
  const raw = env['UMUX_RIDE_WAIT_MS'];
  if (raw === undefined || raw === '') return DEFAULT_RIDE_TIMES;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 1) throw new UmuxError('usage', `UMUX_RIDE_WAIT_MS: expected milliseconds, got "${raw}"`);
  return { ...DEFAULT_RIDE_TIMES, giveUpMs: ms };
}

/** What a waiting client says while the server is away (one line, umux's own words). */
export function awayText(reason: string, stop: ServerStop | undefined): string {
  if (stop === 'kill-server') return 'server stopped by umux kill-server; waiting for a new one — any umux command starts it';
  if (stop === 'signal') return `server stopped (${reason.replace(/^umux server stopping \((.*)\)$/, '$1')}); waiting for a new one — any umux command starts it`;
  return `server gone (${reason}); reconnecting`;
}

function formatWait(ms: number): string {
  return ms >= 60_000 ? `${Math.round(ms / 60_000)} min` : `${Math.round(ms / 1000)} s`;
}

/** Waits `ms`, or less when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

export interface WaitForServerOptions {
  env: NodeJS.ProcessEnv;
  /** Set when the server said it stopped on purpose: then no server is started from here. */
  stop?: ServerStop;
  times: RideTimes;
  /** Aborted when the client leaves (Ctrl-C, its quit key): the wait ends at once with 'cancelled'. */
  signal: AbortSignal;
  /** What the wait is doing, in a line (a server started from here). */
  status?: (text: string) => void;
}

/**
 * Connects to the server once one answers; starts one after the grace when the last one did not stop on purpose.
 * Resolves with the socket, or undefined when cancelled; throws when no server came within giveUpMs.
 */
export async function waitForServer(opts: WaitForServerOptions): Promise<net.Socket | undefined> {
  const { env, times, signal } = opts;
  const socketPath = serverSocketPath(env);
  const start = Date.now();
  let delay = times.minRetryMs;
  let startedAt = 0;
  while (!signal.aborted) {
    try {
      // A directory someone else made could hold their listener (issue 9): checked before every try.
      checkPrivateDir(defaultSocketDir(env));
      const sock = await connectOnce(socketPath);
      if (!signal.aborted) return sock;
      sock.destroy();
      return undefined;
    } catch (err) {
      if (err instanceof UmuxError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EACCES') throw new UmuxError('permission', `permission denied on the server socket ${socketPath}`, { hint: 'it belongs to another user: set UMUX_SOCKET_DIR' });
    }
    const waited = Date.now() - start;
    if (waited >= times.giveUpMs) {
      throw new UmuxError('not-running', `no umux server came back within ${formatWait(times.giveUpMs)}`, {
        hint: 'start one (any umux command does, e.g. umux ls), then attach again',
      });
    }
    if (opts.stop === undefined && waited >= times.graceMs && (startedAt === 0 || Date.now() - startedAt >= START_TIMEOUT_MS)) {
      spawnServer(env);
      startedAt = Date.now();
      opts.status?.(`no umux server for ${formatWait(waited)}: started a new one; waiting for it`);
    }
    // Not past the grace when it ends: a crashed server is replaced on time.
    const untilGrace = opts.stop === undefined && startedAt === 0 ? Math.max(20, times.graceMs - waited) : delay;
    await pause(Math.min(delay, untilGrace), signal);
    delay = Math.min(delay * 2, times.maxRetryMs);
  }
  return undefined;
}
