// The umux server (tmux server.c): takes the start lock, binds its socket in the private 0700 directory, re-adopts
// guests still running from an earlier server, autostarts the rest, serves clients, and writes its own log.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { UmuxError } from '../core/errors.js';
import { ensurePrivateDir } from '../files/private-dir.js';
import { MconsoleClient } from '../mconsole/client.js';
import { UMUX_VERSION } from '../core/version.js';
import { printErr } from '../term/print.js';
import { autostartDue, markAutostarted } from './autostart.js';
import { acquireLock } from './lock.js';
import { serverPaths, type ServerPaths } from './paths.js';
import { GuestRegistry } from './registry.js';
import { EventLog } from './event-log.js';
import { TextLog } from './text-log.js';
import { DEFAULT_BOOT_TIMEOUT_MS, DEFAULT_STOP_TIMES, type GuestEnv, type StopTimes } from './managed-guest.js';
import { DEFAULT_FRAME_TIMEOUT_MS, ServerClient, type ServerContext } from './server-client.js';
import { encodeJsonFrame } from '../protocol/wire-framing.js';
import type { ServerMessage, ServerStop } from '../protocol/wire-messages.js';
import { dispatch } from './dispatch.js';
import { findConsoleLine, findHub } from './console-lookup.js';
import { followLog } from '../consoles/logfile.js';
import { followLogWithTimes } from './timed-log.js';
import { sampleHostRead, sampleHostSpread, SampleHistory, startFit } from '../host/sample.js';
import { ServerStats } from './server-stats.js';
import { GuestMemoryReader } from '../host/memory-reader.js';
import type { ConsoleHub } from './console-hub.js';
import { checkHealth, DEFAULT_HEALTH_TIMES, type HealthTimes } from './health.js';
import { NotifyListener } from '../mconsole/notify.js';
import { attachNotifications } from './shared-notify.js';
import { makeDirs } from '../files/make-dirs.js';
import { KeeperLink } from './keeper-link.js';
import { managedKey } from '../protocol/keeper-wire.js';
import { GuestFeed } from './guest-feed.js';
import { guestRows } from './guest-rows.js';

/** How often the server samples host and guest memory for the history behind the gauges. */
export const SAMPLE_MS = 5000;

export interface ServerOptions {
  env?: NodeJS.ProcessEnv;
  stopTimes?: StopTimes;
  /** Pause between autostarted guests. */
  autostartDelayMs?: number;
  health?: HealthTimes;
}

/** How often the uml_dirs are scanned for new, dead and removed guests. */
export const SCAN_MS = 1000;

/**
 * Connections the server holds at once; one more is told so and closed. Each may pin at most one unfinished client
 * frame (1 MiB) for the frame timeout, so this also bounds what stalled senders can hold.
 */
export const MAX_CONNECTIONS = 256;

function msFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 0) throw new UmuxError('usage', `${name}: expected milliseconds, got "${raw}"`);
  return ms;
}

function stopTimesFrom(env: NodeJS.ProcessEnv): StopTimes {
  const raw = env['UMUX_STOP_STEP_MS'];
  if (!raw) return DEFAULT_STOP_TIMES;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 1) throw new UmuxError('usage', `UMUX_STOP_STEP_MS: expected milliseconds, got "${raw}"`);
  return { cadMs: ms, haltMs: ms, termMs: ms, killMs: Math.max(ms, 2000) };
}

/** One connection past MAX_CONNECTIONS: told why in a bye and closed, without being read. */
function refuseConnection(socket: net.Socket, log: (line: string) => void): void {
  const reason = `too many connections: the umux server holds at most ${MAX_CONNECTIONS} at once`;
  log(`${reason}; refusing one`);
  socket.on('error', () => undefined);
  socket.pause();
  // Destroyed a second later, not at once: closing with the client's hello unread could lose the bye.
  socket.end(encodeJsonFrame({ t: 'bye', reason } satisfies ServerMessage));
  setTimeout(() => socket.destroy(), 1000).unref();
}

/** The console keeper (keeper-link.ts), unless UMUX_KEEPER=off; a keeper that cannot start leaves consoles to the server. */
async function openKeeper(env: NodeJS.ProcessEnv, paths: ServerPaths, log: (line: string) => void): Promise<KeeperLink | undefined> {
  if (env['UMUX_KEEPER'] === 'off') {
    log('UMUX_KEEPER=off: consoles are held by this server and end with it');
    return undefined;
  }
  try {
    const keeper = await KeeperLink.open(paths.socketDir, UMUX_VERSION, path.join(paths.stateDir, 'keeper.log'));
    const w = keeper.welcome;
    log(`console keeper pid ${w.pid} (build ${w.build}, since ${new Date(w.startedAt).toISOString()}): ${w.guests.length} guests, ${w.channels.length} channels held`);
    return keeper;
  } catch (err) {
    log(`no console keeper: ${(err as Error).message}; consoles are held by this server and end with it`);
    return undefined;
  }
}

/** Managed guests the keeper still runs go on under this server; ones without a definition now are left as they are. */
function takeBackKept(keeper: KeeperLink, registry: GuestRegistry, log: (line: string) => void): void {
  const { guests, channels } = keeper.welcome;
  for (const info of guests) {
    const g = registry.managedGuests().find((x) => managedKey(x.umid) === info.key);
    if (!g) {
      log(`the keeper holds ${info.key} (pid ${info.pid}) but no definition names it: left alone`);
      continue;
    }
    try {
      g.takeBackFromKeeper(info, channels);
      log(`${g.name}: took back pid ${info.pid} from the console keeper`);
    } catch (err) {
      log(`${g.name}: cannot take back pid ${info.pid}: ${(err as Error).message}`);
    }
  }
}

export async function runServer(opts: ServerOptions = {}): Promise<number> {
  const env = opts.env ?? process.env;
  const paths: ServerPaths = serverPaths(env);
  ensurePrivateDir(paths.socketDir);
  makeDirs(paths.stateDir, 'state directory');
  const serverLog = new TextLog(paths.log);
  const log = (line: string) => serverLog.append(`${new Date().toISOString()} [${process.pid}] ${line}`);
  const lock = acquireLock(paths.lock);
  if ('heldBy' in lock) {
    if (lock.heldBy > 0) {
      printErr(`umux: a umux server is already running (pid ${lock.heldBy})\n`);
      return 0;
    }
    throw new UmuxError('io', `cannot take the server lock ${paths.lock}`, { hint: 'remove it if no umux server runs' });
  }
  // The lock is ours: whatever sits at the socket path is left over from a dead server.
  try {
    fs.unlinkSync(paths.socket);
  } catch {
    // none
  }
  const keeper = await openKeeper(env, paths, log);
  const mconsole = new MconsoleClient({ dir: paths.socketDir });
  const events = new EventLog(path.join(paths.stateDir, 'events'));
  const registryEnv: GuestEnv = {
      mconsole,
      logRoot: paths.logRoot,
      stopTimes: opts.stopTimes ?? stopTimesFrom(env),
      bootTimeoutMs: msFromEnv(env, 'UMUX_BOOT_TIMEOUT_MS', DEFAULT_BOOT_TIMEOUT_MS),
      events,
      log,
      memoryFit: (name, mem) => startFit(env, registry.all().map((g) => ({ name: g.name, pid: g.pid, mem: g.mem })), name, mem),
      ...(keeper ? { keeper } : {}),
  };
  const registry = new GuestRegistry(paths.configDir, os.homedir(), registryEnv, paths.umlDirs);
  const health: HealthTimes = opts.health ?? {
    everyMs: msFromEnv(env, 'UMUX_PING_MS', DEFAULT_HEALTH_TIMES.everyMs),
    timeoutMs: msFromEnv(env, 'UMUX_PING_TIMEOUT_MS', DEFAULT_HEALTH_TIMES.timeoutMs),
  };
  const clients = new Set<ServerClient>();
  const history = new SampleHistory();
  const reader = new GuestMemoryReader();
  const takeSample = () => sampleHostRead(env, registry.all().map((g) => ({ name: g.name, pid: g.pid, mem: g.mem })), reader);
  const recentHost = () => {
    // Before the first periodic sample, a recent one is taken now and kept as the first of the history.
    if (history.length === 0) history.push(takeSample());
    return { sample: history.latest()!, history: history.toArray() };
  };
  // Subscribed clients hear the guest list, events and host samples as they happen (issue 12): nothing polls.
  const feed = new GuestFeed({
    list: () => {
      registry.reload();
      return guestRows(registry, events);
    },
    host: recentHost,
    log,
  });
  const eventsSub = events.onAdded(({ guest, event }) => feed.event(guest, event));
  const stats = ServerStats.fromEnv(env);
  // Read in slices (sampleHostSpread): a hundred guests' /proc never holds the loop, so clients keep their echo.
  let sampling = false;
  const sampleInSlices = async () => {
    const guests = () => registry.all().map((g) => ({ name: g.name, pid: g.pid, mem: g.mem }));
    const sample = await (stats ? stats.whileSampling(() => sampleHostSpread(env, guests, reader)) : sampleHostSpread(env, guests, reader));
    history.push(sample);
    feed.hostSample(sample);
  };
  const sampler = setInterval(() => {
    if (sampling) return;
    sampling = true;
    sampleInSlices()
      .catch((err: Error) => log(`host sample failed: ${err.message}`))
      .finally(() => (sampling = false));
  }, SAMPLE_MS);
  // Guests umux did not start: scanned every SCAN_MS; every guest pinged every health.everyMs.
  let notify: NotifyListener | undefined;
  try {
    fs.rmSync(paths.notify, { force: true });
    notify = NotifyListener.bind(paths.notify);
    fs.chmodSync(paths.notify, 0o600);
  } catch (err) {
    log(`cannot bind the notify socket ${paths.notify}: ${(err as Error).message}`);
  }
  const notifySub = notify ? attachNotifications(notify, registry, paths.notify, () => scanNow()) : undefined;
  notify?.onGarbage((what) => log(`notify socket ${paths.notify}: ${what}`));
  const lastPing = new Map<string, number>();
  const pinging = new Set<string>();
  const scanNow = () => {
    try {
      for (const g of registry.scan()) {
        log(`${g.name}: adopted pid ${g.pid} from ${g.dir}`);
        void g.probeConsoles(true);
      }
    } catch (err) {
      log(`scan failed: ${(err as Error).message}`);
    }
  };
  const healthTick = () => {
    scanNow();
    const now = Date.now();
    for (const g of registry.all()) {
      // A booting guest is pinged on every tick, so it shows as running as soon as it answers.
      if (g.pid === null || pinging.has(g.name) || now - (lastPing.get(g.name) ?? 0) < (g.state === 'starting' ? 0 : health.everyMs)) continue;
      lastPing.set(g.name, now);
      pinging.add(g.name);
      const pid = g.pid;
      void checkHealth(mconsole, { umid: g.umid, pid, socket: g.socket }, health.timeoutMs)
        .then((h) => {
          if (g.pid !== pid) return;
          // A managed guest's exit is reported by its child process; an adopted one's only by looking.
          const adopted = g.adopted;
          if (h.kind === 'gone' && adopted) adopted.markGone(fs.existsSync(adopted.dir));
          else g.applyHealth(h, health.timeoutMs);
          if (h.kind === 'ok') adopted?.tick();
        })
        .catch((err: Error) => log(`${g.name}: health check failed: ${err.message}`))
        .finally(() => pinging.delete(g.name));
    }
    // The scan may have found, lost or changed guests: subscribers hear it if a row changed.
    feed.changed();
  };
  const healthTimer = setInterval(healthTick, SCAN_MS);
  let stopping = false;
  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((r) => (resolveDone = r));

  const shutdown = (why: string) => {
    if (stopping) return;
    stopping = true;
    log(`stopping: ${why}; guests keep running`);
    // Said on purpose: clients riding through restarts wait for a new server rather than start this one again.
    const stop: ServerStop = why === 'kill-server' ? 'kill-server' : 'signal';
    const byes = [...clients].map((c) => c.goodbye(`umux server stopping (${why})`, stop));
    listener.close();
    clearInterval(sampler);
    stats?.dispose();
    clearInterval(healthTimer);
    eventsSub.dispose();
    feed.dispose();
    notifySub?.dispose();
    notify?.dispose();
    registry.dispose();
    registryEnv.keeper?.dispose();
    mconsole.dispose();
    try {
      fs.unlinkSync(paths.socket);
    } catch {
      // gone
    }
    lock.dispose();
    // The byes leave before the process ends (each waits at most half a second).
    void Promise.all(byes).then(() => resolveDone(0));
  };

  const ctx: ServerContext = {
    version: UMUX_VERSION,
    frameTimeoutMs: msFromEnv(env, 'UMUX_FRAME_TIMEOUT_MS', DEFAULT_FRAME_TIMEOUT_MS),
    log,
    subscribe: (sink) => feed.add(sink),
    changed: () => feed.changed(),
    handleRequest: (_client, argv, progress) =>
      dispatch(
        {
          registry,
          events,
          mconsole,
          logRoot: paths.logRoot,
          backupRoot: paths.backupRoot,
          rescan: scanNow,
          hostSample: (recent) => (recent ? recentHost() : { sample: takeSample(), history: history.toArray() }),
          killServer: () => shutdown('kill-server'),
        },
        argv,
        progress,
      ).finally(() => feed.changed()),
    followLog: (guest, name, lines, onData, opts = {}) => {
      registry.reload();
      const t = findConsoleLine(registry, `${guest}:${name}`);
      const g = t.guest;
      const onError = (e: UmuxError) => log(`follow ${g.name}:${t.console}: ${e.message}`);
      const more = { ...(opts.from ? { from: opts.from } : {}), ...(opts.onNotice ? { onNotice: opts.onNotice } : {}) };
      if (opts.times) return followLogWithTimes(g, t.console, paths.logRoot, lines, onData, onError, more);
      return followLog(path.join(paths.logRoot, g.umid), t.console, onData, { lines, onError, ...more });
    },
    findConsole: (guest: string, name: string): ConsoleHub => {
      registry.reload();
      return findHub(registry, `${guest}:${name}`).hub;
    },
  };

  const listener = net.createServer((socket) => {
    if (clients.size >= MAX_CONNECTIONS) {
      refuseConnection(socket, log);
      return;
    }
    const c = new ServerClient(socket, ctx);
    clients.add(c);
    socket.on('close', () => clients.delete(c));
  });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(paths.socket, () => resolve());
  });
  fs.chmodSync(paths.socket, 0o600);
  log(`umux server ${UMUX_VERSION} listening on ${paths.socket}; definitions in ${paths.configDir}`);

  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));

  const autostartDelay = opts.autostartDelayMs ?? msFromEnv(env, 'UMUX_AUTOSTART_DELAY_MS', 1000);
  registry.reload();
  for (const p of registry.problems) log(`definition problem: ${p.message}`);
  if (keeper) takeBackKept(keeper, registry, log);
  for (const g of registry.managedGuests()) {
    if (g.pid === null && g.adoptIfRunning()) log(`${g.name}: adopted running guest pid ${g.pid}`);
  }
  const watchKeeper = (link: KeeperLink): void => {
    link.onLost((why) => {
      log(`console keeper lost: ${why}`);
      for (const g of registry.managedGuests()) g.keeperLost(why);
      if (stopping) return;
      // Guests started from now on get a new keeper; the lost consoles stay lost until their guest restarts.
      registryEnv.keeper = undefined;
      void openKeeper(env, paths, log).then((next) => {
        if (!next) return;
        if (stopping) {
          next.dispose();
          return;
        }
        registryEnv.keeper = next;
        watchKeeper(next);
      });
    });
  };
  if (keeper) watchKeeper(keeper);
  healthTick();
  if (autostartDue(paths.stateDir)) {
    void (async () => {
      for (const g of registry.managedGuests().filter((x) => x.def.autostart && x.state === 'stopped')) {
        if (stopping) return;
        await g.start().catch((err: Error) => log(`${g.name}: autostart failed: ${err.message}`));
        await new Promise((r) => setTimeout(r, autostartDelay));
      }
      try {
        if (!stopping) markAutostarted(paths.stateDir);
      } catch (err) {
        log(`cannot record that autostart ran (the next server on this boot autostarts again): ${(err as Error).message}`);
      }
    })();
  } else log('autostart already ran on this host boot: guests are left as they are');
  return done;
}
