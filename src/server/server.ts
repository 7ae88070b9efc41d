// The umux server (tmux server.c): takes the start lock, binds its socket in the private 0700 directory, re-adopts
// guests still running from an earlier server, autostarts the rest, serves clients, and writes its own log.
// Each part is its own function or class (health-loop.ts, host-sampler.ts, server-context.ts); runServer wires them.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { UmuxError } from '../core/errors.js';
import { ensurePrivateDir } from '../files/private-dir.js';
import { MconsoleClient } from '../mconsole/client.js';
import { UMUX_VERSION } from '../core/version.js';
import { printErr } from '../term/print.js';
import { autostartDue, autostartGuests } from './autostart.js';
import { acquireLock } from './lock.js';
import { serverPaths, type ServerPaths } from './paths.js';
import { GuestRegistry } from './registry.js';
import { EventLog } from './event-log.js';
import { TextLog } from './text-log.js';
import { DEFAULT_BOOT_TIMEOUT_MS, DEFAULT_STOP_TIMES, type GuestEnv, type StopTimes } from './managed-guest.js';
import { DEFAULT_FRAME_TIMEOUT_MS, ServerClient, type ServerContext } from './server-client.js';
import { encodeJsonFrame, MAX_FRAME } from '../protocol/wire-framing.js';
import type { ServerMessage, ServerStop } from '../protocol/wire-messages.js';
import type { DispatchContext } from './dispatch.js';
import { serverContext } from './server-context.js';
import { HealthLoop, SCAN_MS } from './health-loop.js';
import type { Disposable } from '../core/disposable.js';
import { sampleHostRead, SampleHistory, startFit } from '../host/sample.js';
import { ServerStats } from './server-stats.js';
import { GuestMemoryReader } from '../host/memory-reader.js';
import { HostSampler } from './host-sampler.js';
import { DEFAULT_HEALTH_TIMES, type HealthTimes } from './health.js';
import { NotifyListener } from '../mconsole/notify.js';
import { attachNotifications } from './shared-notify.js';
import { makeDirs } from '../files/make-dirs.js';
import { KeeperLink } from './keeper-link.js';
import { managedKey } from '../protocol/keeper-wire.js';
import { GuestFeed } from './guest-feed.js';
import { guestRows } from './guest-rows.js';
import { Hooks } from './hooks.js';
import { Hosting, POLICY_POLL_MS } from './hosting.js';
import { HOSTING_MCONSOLE } from '../files/hosting-dir.js';
import type { Customer, Principal } from './customer-view.js';
import { TypingPriority } from './typing-priority.js';

/** How often the server samples host and guest memory for the history behind the gauges. */
export const SAMPLE_MS = 5000;
/** The history a reply carries: half a client's frame limit (older samples may have had more guests). */
const HISTORY_MAX_BYTES = MAX_FRAME / 2;

export interface ServerOptions {
  env?: NodeJS.ProcessEnv;
  stopTimes?: StopTimes;
  /** Pause between autostarted guests. */
  autostartDelayMs?: number;
  health?: HealthTimes;
}

export { SCAN_MS };

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
function refuseConnection(socket: net.Socket, log: (line: string) => void, reason = `too many connections: the umux server holds at most ${MAX_CONNECTIONS} at once`): void {
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

/** The start lock, or undefined when another server holds it (said on stderr); a stale socket file goes. */
function takeLock(paths: ServerPaths): Disposable | undefined {
  const lock = acquireLock(paths.lock);
  if ('heldBy' in lock) {
    if (lock.heldBy > 0) {
      printErr(`umux: a umux server is already running (pid ${lock.heldBy})\n`);
      return undefined;
    }
    throw new UmuxError('io', `cannot take the server lock ${paths.lock}`, { hint: 'remove it if no umux server runs' });
  }
  // The lock is ours: whatever sits at the socket path is left over from a dead server.
  try {
    fs.unlinkSync(paths.socket);
  } catch {
    // none
  }
  return lock;
}

/** The socket guests send their notifications to (panic, hang, user), or undefined when it cannot be bound. */
function bindNotify(paths: ServerPaths, registry: GuestRegistry, scanNow: () => void, log: (line: string) => void): Disposable | undefined {
  let notify: NotifyListener;
  try {
    fs.rmSync(paths.notify, { force: true });
    notify = NotifyListener.bind(paths.notify);
    fs.chmodSync(paths.notify, 0o600);
  } catch (err) {
    log(`cannot bind the notify socket ${paths.notify}: ${(err as Error).message}`);
    return undefined;
  }
  const sub = attachNotifications(notify, registry, paths.notify, scanNow);
  notify.onGarbage((what) => log(`notify socket ${paths.notify}: ${what}`));
  return { dispose: () => (sub.dispose(), notify.dispose()) };
}

/** Serves clients on the socket (0600 in the 0700 directory), at most MAX_CONNECTIONS at once. */
async function listen(paths: ServerPaths, ctx: ServerContext, clients: Set<ServerClient>, log: (line: string) => void): Promise<net.Server> {
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
  return listener;
}

/** The guests as a customer check sees them: name and the uid they run as. */
function customerOf(principal: Principal, registry: GuestRegistry): Customer {
  const seen = (g: { name: string; ownerUid: number }) => ({ name: g.name, ownerUid: g.ownerUid });
  return {
    principal,
    guests: () => registry.all().map(seen),
    find: (name) => {
      try {
        return seen(registry.get(name));
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * The hosting sockets (hosting.ts), when the policy file exists at start: each customer's connections are clients
 * like the admin's, carrying their grants; a changed policy is told to the clients of that customer.
 */
async function openHosting(paths: ServerPaths, env: NodeJS.ProcessEnv, ctx: ServerContext, registry: GuestRegistry, clients: Set<ServerClient>, log: (line: string) => void): Promise<Hosting | undefined> {
  if (!fs.existsSync(paths.policy)) return undefined;
  try {
    return await Hosting.open({
      dir: paths.hostingDir,
      policyFile: paths.policy,
      pollMs: msFromEnv(env, 'UMUX_POLICY_POLL_MS', POLICY_POLL_MS),
      log,
      refuse: (socket, reason) => refuseConnection(socket, log, reason),
      accept: (socket, principal) => {
        if (clients.size >= MAX_CONNECTIONS) return refuseConnection(socket, log);
        const c = new ServerClient(socket, ctx, customerOf(principal, registry));
        clients.add(c);
        socket.on('close', () => clients.delete(c));
      },
      changed: (principal, gone) => {
        registry.reload();
        for (const c of clients) if (c.customer?.principal === principal) c.policyChanged(gone);
      },
    });
  } catch (err) {
    log(`hosting: not serving customers: ${(err as Error).message}`);
    return undefined;
  }
}

/** A lost keeper: its guests are told, and guests started from now on get a new one (the lost consoles stay lost). */
function watchKeeper(link: KeeperLink, env: NodeJS.ProcessEnv, paths: ServerPaths, guestEnv: GuestEnv, registry: GuestRegistry, stopping: () => boolean, log: (line: string) => void): void {
  link.onLost((why) => {
    log(`console keeper lost: ${why}`);
    for (const g of registry.managedGuests()) g.keeperLost(why);
    if (stopping()) return;
    guestEnv.keeper = undefined;
    void openKeeper(env, paths, log).then((next) => {
      if (!next) return;
      if (stopping()) return next.dispose();
      guestEnv.keeper = next;
      watchKeeper(next, env, paths, guestEnv, registry, stopping, log);
    });
  });
}

/** Guests still running from an earlier server: taken back from the keeper, or adopted by their pid file. */
function takeBackGuests(registry: GuestRegistry, keeper: KeeperLink | undefined, log: (line: string) => void): void {
  registry.reload();
  for (const p of registry.problems) log(`definition problem: ${p.message}`);
  if (keeper) takeBackKept(keeper, registry, log);
  for (const g of registry.managedGuests()) {
    if (g.pid === null && g.adoptIfRunning()) log(`${g.name}: adopted running guest pid ${g.pid}`);
  }
}

/** The guests: the definitions and the uml_dirs, with what each guest needs of the server (its GuestEnv). */
function openRegistry(parts: { env: NodeJS.ProcessEnv; paths: ServerPaths; opts: ServerOptions; mconsole: MconsoleClient; events: EventLog; keeper?: KeeperLink; log: (line: string) => void }) {
  const { env, paths, opts } = parts;
  const registryEnv: GuestEnv = {
    mconsole: parts.mconsole,
    logRoot: paths.logRoot,
    stopTimes: opts.stopTimes ?? stopTimesFrom(env),
    bootTimeoutMs: msFromEnv(env, 'UMUX_BOOT_TIMEOUT_MS', DEFAULT_BOOT_TIMEOUT_MS),
    events: parts.events,
    log: parts.log,
    memoryFit: (name, mem) => startFit(env, registry.all(), name, mem),
    ...(parts.keeper ? { keeper: parts.keeper } : {}),
    typing: new TypingPriority(),
  };
  const registry = new GuestRegistry(paths.configDir, os.homedir(), registryEnv, paths.umlDirs);
  return { registry, registryEnv };
}

/**
 * Runs the server until it is stopped. Longer than the rest on purpose: it is the one place that builds the parts
 * in the order they need each other (lock, keeper, registry, feed, hooks, sampler, health, listener) and disposes
 * them in shutdown; each part is its own function or class above or in its own file.
 */
export async function runServer(opts: ServerOptions = {}): Promise<number> {
  const env = opts.env ?? process.env;
  const paths: ServerPaths = serverPaths(env);
  ensurePrivateDir(paths.socketDir);
  makeDirs(paths.stateDir, 'state directory');
  const serverLog = new TextLog(paths.log);
  const log = (line: string) => serverLog.append(`${new Date().toISOString()} [${process.pid}] ${line}`);
  const lock = takeLock(paths);
  if (!lock) return 0;
  const keeper = await openKeeper(env, paths, log);
  const mconsole = new MconsoleClient({ dir: paths.socketDir, othersDir: path.join(paths.hostingDir, HOSTING_MCONSOLE) });
  const events = new EventLog(path.join(paths.stateDir, 'events'));
  const { registry, registryEnv } = openRegistry({ env, paths, opts, mconsole, events, log, ...(keeper ? { keeper } : {}) });
  const health: HealthTimes = opts.health ?? {
    everyMs: msFromEnv(env, 'UMUX_PING_MS', DEFAULT_HEALTH_TIMES.everyMs),
    timeoutMs: msFromEnv(env, 'UMUX_PING_TIMEOUT_MS', DEFAULT_HEALTH_TIMES.timeoutMs),
  };
  const clients = new Set<ServerClient>();
  const history = new SampleHistory();
  const reader = new GuestMemoryReader();
  const takeSample = () => sampleHostRead(env, registry.all(), reader);
  const latestHost = () => {
    // Before the first periodic sample, a recent one is taken now and kept as the first of the history.
    if (history.length === 0) history.push(takeSample());
    return history.latest()!;
  };
  const recentHost = () => ({ sample: latestHost(), history: history.newestWithin(HISTORY_MAX_BYTES) });
  // Subscribed clients hear the guest list, events and host samples as they happen (issue 12): nothing polls.
  const feed = new GuestFeed({
    list: () => {
      registry.reload();
      return guestRows(registry, events);
    },
    host: (withHistory) => (withHistory ? recentHost() : { sample: latestHost() }),
    log,
  });
  const eventsSub = events.onAdded(({ guest, event }) => feed.event(guest, event));
  const hooks = new Hooks({ events, guest: (name) => registry.all().find((g) => g.name === name), stateDir: paths.stateDir, logRoot: paths.logRoot, env, log });
  const sampler = new HostSampler({
    env,
    everyMs: SAMPLE_MS,
    guests: () => registry.all(),
    reader,
    stats: ServerStats.fromEnv(env),
    onSample: (sample) => {
      history.push(sample);
      feed.hostSample(sample);
      hooks.hostSample(sample, registry.all().filter((g) => g.pid !== null));
    },
    log,
  });
  const healthLoop = new HealthLoop({ registry, mconsole, health, changed: () => feed.changed(), log });
  const notify = bindNotify(paths, registry, () => healthLoop.scanNow(), log);
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
    for (const part of [hosting, sampler, healthLoop, eventsSub, hooks, feed, notify, registry, registryEnv.keeper, mconsole]) part?.dispose();
    try {
      fs.unlinkSync(paths.socket);
    } catch {
      // gone
    }
    lock.dispose();
    // The byes leave before the process ends (each waits at most half a second).
    void Promise.all(byes).then(() => resolveDone(0));
  };

  const dispatchContext: DispatchContext = {
    registry,
    events,
    mconsole,
    logRoot: paths.logRoot,
    backupRoot: paths.backupRoot,
    rescan: () => healthLoop.scanNow(),
    hostSample: (recent) => (recent ? recentHost() : { sample: takeSample(), history: history.newestWithin(HISTORY_MAX_BYTES) }),
    killServer: () => shutdown('kill-server'),
  };
  const frameTimeoutMs = msFromEnv(env, 'UMUX_FRAME_TIMEOUT_MS', DEFAULT_FRAME_TIMEOUT_MS);
  const context = serverContext({ dispatch: dispatchContext, feed, frameTimeoutMs, log });
  const listener = await listen(paths, context, clients, log);
  const hosting = await openHosting(paths, env, context, registry, clients, log);
  log(`umux server ${UMUX_VERSION} listening on ${paths.socket}; definitions in ${paths.configDir}`);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => shutdown(signal));

  takeBackGuests(registry, keeper, log);
  if (keeper) watchKeeper(keeper, env, paths, registryEnv, registry, () => stopping, log);
  healthLoop.start();
  if (autostartDue(paths.stateDir)) {
    const delayMs = opts.autostartDelayMs ?? (env['UMUX_AUTOSTART_DELAY_MS'] ? msFromEnv(env, 'UMUX_AUTOSTART_DELAY_MS', 1000) : undefined);
    void autostartGuests({ registry, stateDir: paths.stateDir, env, log, delayMs, stopping: () => stopping });
  } else log('autostart already ran on this host boot: guests are left as they are');
  return done;
}
