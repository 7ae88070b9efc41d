// A guest the server manages from its definition: launch with consoles on socketpairs held by ConsoleHubs, the
// stop ladder (cad, halt, SIGTERM, SIGKILL to the group; each step logged, each with a timeout), the restart
// policy with backoff, and re-adoption of a guest still running from an earlier server.

import fs from 'node:fs';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { UmuxError } from '../core/errors.js';
import type { GuestDef } from '../config/guest-def.js';
import { ConsoleLog } from '../consoles/logfile.js';
import { consoleNames, launchGuest, umidHolder, type LaunchedGuest } from '../guests/launch.js';
import { processExists } from '../guests/process-group.js';
import { walkStopLadder, type StopTimes } from './stop-ladder.js';
import { stateFromHealth, type Health } from './health.js';
import { waitConsolesReady } from '../guests/ready.js';
import { lookupUser } from '../guests/users.js';
import { verifyUmlPid } from '../guests/uml-process.js';
import type { MconsoleClient } from '../mconsole/client.js';
import type { NotifyListener } from '../mconsole/notify.js';
import type { ConsoleHub } from './console-hub.js';
import { hubOnStream } from './console-wiring.js';
import type { EventLog } from './event-log.js';
import type { GuestInfo as WireGuestInfo } from '../protocol/wire-messages.js';
import { makeDirs } from '../files/make-dirs.js';
import { StallGuard } from './stall-guard.js';

export type GuestState = 'stopped' | 'starting' | 'running' | 'paused' | 'unresponsive' | 'stopping' | 'crashed' | 'exited';

export { DEFAULT_STOP_TIMES, type StopTimes } from './stop-ladder.js';

export interface GuestEnv {
  mconsole: MconsoleClient;
  logRoot: string;
  stopTimes: StopTimes;
  events: EventLog;
  log: (line: string) => void;
}

export type GuestInfo = WireGuestInfo & { state: GuestState };

export class ManagedGuest {
  state: GuestState = 'stopped';
  /** Set by umux's pause/go (MConsole stop/go). */
  paused = false;
  /** Memory umux has unplugged with config mem-= (UML cannot be asked). */
  memUnplugged = 0;
  pid: number | null = null;
  readonly hubs = new Map<string, ConsoleHub>();
  private launched: LaunchedGuest | undefined;
  /** The stall guards of pty consoles (none on socketpairs, which do not stall). */
  private guards: StallGuard[] = [];
  private startedAt: number | null = null;
  private adopted = false;
  private lostConsoles: string[] = [];
  private stopRequested = false;
  private restarts = 0;
  private restartDelay: number;
  private restartTimer: NodeJS.Timeout | undefined;
  private adoptedWatch: NodeJS.Timeout | undefined;
  private panicText: string | null = null;
  private bootSocket = '';

  constructor(
    public def: GuestDef,
    private readonly env: GuestEnv,
  ) {
    this.restartDelay = def.restartDelayMs;
  }

  get name(): string {
    return this.def.name;
  }

  event(text: string): void {
    this.env.events.add(this.def.name, text);
    this.env.log(`${this.def.name}: ${text}`);
  }

  /** Moves between running, paused and unresponsive after a health check. */
  applyHealth(h: Health, timeoutMs: number): void {
    if (this.pid === null || (this.state !== 'running' && this.state !== 'paused' && this.state !== 'unresponsive')) return;
    const next = stateFromHealth(h, this.paused, this.pid, timeoutMs);
    if (next) this.setState(next.state, next.why);
  }

  setState(state: GuestState, why: string): void {
    if (this.state === state) return;
    this.event(`${this.state} -> ${state}: ${why}`);
    this.state = state;
  }

  info(): GuestInfo {
    const consoles = consoleNames(this.def.consoles, this.def.serials).map((name) => ({
      name,
      clients: this.hubs.get(name)?.clients().length ?? 0,
      lost: this.lostConsoles.includes(name),
      transport: this.def.consoleTransport,
    }));
    return {
      name: this.def.name,
      umid: this.def.umid,
      state: this.state,
      pid: this.pid,
      mem: this.def.mem,
      consoles,
      clients: consoles.reduce((n, c) => n + c.clients, 0),
      uptimeMs: this.startedAt === null ? null : Date.now() - this.startedAt,
      adopted: this.adopted,
      restarts: this.restarts,
      panic: this.panicText,
    };
  }

  get mconsoleSocket(): string {
    return this.bootSocket || path.join(this.def.umlDir, this.def.umid, 'mconsole');
  }

  get socket(): string {
    return this.mconsoleSocket;
  }

  get umid(): string {
    return this.def.umid;
  }

  get mem(): string {
    return this.def.mem;
  }

  /** The user the guest runs as: its definition's user= under a root server, else the server's own. */
  get ownerUid(): number {
    const me = process.getuid?.() ?? 0;
    return this.def.user !== undefined && me === 0 ? lookupUser(this.def.user).uid : me;
  }

  /** Adopts a guest of this definition still running from an earlier server; its socketpair consoles are gone. */
  adoptIfRunning(): boolean {
    const pid = umidHolder(this.def.umlDir, this.def.umid);
    if (pid === undefined) return false;
    const verdict = verifyUmlPid({ umid: this.def.umid, dir: path.join(this.def.umlDir, this.def.umid), pid, uid: this.ownerUid });
    if (!verdict.ok) {
      this.event(`not adopting pid ${pid} from ${path.join(this.def.umlDir, this.def.umid)}: ${verdict.why}`);
      return false;
    }
    this.pid = pid;
    this.adopted = true;
    this.startedAt = Date.now();
    this.lostConsoles = consoleNames(this.def.consoles, this.def.serials);
    this.state = 'running';
    this.event(`adopted running guest pid ${pid}; consoles ${this.lostConsoles.join(', ')} were held by the previous server and are lost`);
    for (const name of this.lostConsoles) {
      try {
        const log = ConsoleLog.open({ dir: path.join(this.env.logRoot, this.def.umid), console: name, maxBytes: this.def.logMaxBytes, timestamps: this.def.logTimestamps });
        log.appendMarker('umux server restarted: this console was held by the previous server and is lost until the guest restarts');
        log.dispose(); // a last try at writing, if the marker could not be
        const failing = log.failing;
        if (failing) this.env.log(`${this.def.name}: cannot mark log of ${name}: ${failing.reason}`);
      } catch (err) {
        this.env.log(`${this.def.name}: cannot mark log of ${name}: ${(err as Error).message}`);
      }
    }
    // No child handle: watch the pid to notice the exit.
    this.adoptedWatch = setInterval(() => {
      if (this.pid !== null && !processExists(this.pid)) this.handleExit({ code: null, signal: null });
    }, 1000);
    return true;
  }

  async start(notify?: NotifyListener): Promise<void> {
    if (this.state === 'starting' || this.state === 'running' || this.state === 'stopping') {
      throw new UmuxError('usage', `${this.def.name} is ${this.state}`, { hint: this.state === 'running' ? `umux restart ${this.def.name}` : 'wait for it' });
    }
    clearTimeout(this.restartTimer);
    this.stopRequested = false;
    this.panicText = null;
    this.setState('starting', 'start requested');
    try {
      await this.launch(notify);
    } catch (err) {
      this.setState('exited', `start failed: ${(err as Error).message}`);
      throw err;
    }
  }

  private async launch(notify?: NotifyListener): Promise<void> {
    const def = this.def;
    const user = def.user !== undefined && process.getuid?.() === 0 ? lookupUser(def.user) : undefined;
    makeDirs(def.umlDir, 'uml_dir');
    if (user) fs.chownSync(def.umlDir, user.uid, user.gid);
    const guest = await launchGuest({
      umid: def.umid,
      umlDir: def.umlDir,
      mem: def.mem,
      kernel: def.kernel,
      cwd: def.cwd,
      consoles: def.consoles,
      serials: def.serials,
      keepOutput: 64 * 1024,
      transport: def.consoleTransport,
      extraArgs: [...def.disks, ...def.args],
      ...(def.hostfsRoot !== undefined ? { root: def.hostfsRoot } : {}),
      ...(def.init !== undefined ? { init: def.init } : {}),
      ...(notify ? { notify } : {}),
      ...(user ? { uid: user.uid, gid: user.gid, env: { ...process.env, HOME: user.home, USER: user.name } } : {}),
    });
    this.launched = guest;
    // From here con0 goes to its hub (log, model, clients); the launcher's text copy is no longer needed.
    guest.stopTextCapture();
    this.pid = guest.pid;
    this.bootSocket = guest.socket;
    this.adopted = false;
    this.lostConsoles = [];
    this.startedAt = Date.now();
    guest.onStderr((text) => {
      for (const line of text.split('\n')) if (line.trim()) this.env.events.add(def.name, `uml: ${line.trim()}`);
    });
    guest.notify.onNotification((n) => {
      if (path.dirname(n.data) !== guest.dir && n.type === 'socket') return;
      if (n.type === 'panic') {
        this.panicText = n.data;
        this.event(`panic: ${n.data}`);
      } else if (n.type === 'hang') this.event('hang notification (watchdog)');
      else if (n.type === 'user') this.event(`user notification: ${n.data.trimEnd()}`);
    });
    this.wireConsoles(guest);
    void guest.exited.then((exit) => this.handleExit(exit));
    await waitConsolesReady(this.env.mconsole, { socket: guest.socket, umid: def.umid, consoles: def.consoles, serials: def.serials }, 15_000).catch((err: Error) =>
      this.event(`consoles slow to come up: ${err.message}`),
    );
    this.setState('running', `booted, pid ${guest.pid}`);
  }

  private wireConsoles(guest: LaunchedGuest): void {
    const names = consoleNames(this.def.consoles, this.def.serials);
    const streams: Duplex[] = [guest.con0, ...guest.consoles];
    for (const g of this.guards) g.dispose();
    this.guards = [];
    names.forEach((name, i) => {
      // A pty can stall under bulk output (findings §1): a `version` when output stops short keeps it flowing.
      const guard = guest.hasPtys
        ? new StallGuard(() => void this.env.mconsole.call(guest.socket, 'version', { name: this.def.umid, timeoutMs: 1000 }).catch(() => undefined))
        : undefined;
      if (guard) this.guards.push(guard);
      // The console of the last run: its log's line times go on into the new one (same file), so the TUI's history
      // keeps its times across a restart.
      const previous = this.hubs.get(name);
      previous?.dispose();
      this.hubs.set(
        name,
        hubOnStream({
          guest: this.def.name,
          umid: this.def.umid,
          name,
          logRoot: this.env.logRoot,
          settings: this.def,
          stream: streams[i]!,
          event: (t) => this.event(t),
          continueTimes: previous?.lineTimes,
          ...(guard ? { onData: () => guard.output(), resize: (size: { cols: number; rows: number }) => guest.resize(i, size.cols, size.rows) } : {}),
        }),
      );
    });
  }

  private handleExit(exit: { code: number | null; signal: NodeJS.Signals | null }): void {
    clearInterval(this.adoptedWatch);
    this.adoptedWatch = undefined;
    const how = exit.signal ? `signal ${exit.signal}` : exit.code === null ? 'gone' : `exit code ${exit.code}`;
    const panicked = this.panicText !== null || exit.signal === 'SIGABRT' || exit.code === 134;
    for (const hub of this.hubs.values()) hub.close(`${this.def.name} exited (${how})`);
    for (const g of this.guards) g.dispose();
    this.guards = [];
    this.launched?.dispose();
    this.launched = undefined;
    this.paused = false;
    this.memUnplugged = 0;
    this.pid = null;
    this.startedAt = null;
    this.adopted = false;
    this.lostConsoles = [];
    if (this.stopRequested) {
      this.setState('stopped', `stopped (${how})`);
      return;
    }
    this.setState(panicked ? 'crashed' : 'exited', panicked ? `kernel panic${this.panicText ? `: ${this.panicText}` : ''} (${how})` : `exited (${how})`);
    const policy = this.def.restart;
    if (policy === 'always' || (policy === 'on-panic' && panicked)) {
      const delay = this.restartDelay;
      this.restartDelay = Math.min(this.restartDelay * 2, this.def.restartMaxDelayMs);
      this.event(`restart policy ${policy}: restarting in ${delay} ms`);
      this.restartTimer = setTimeout(() => {
        this.restarts++;
        this.start().catch((err: Error) => this.event(`restart failed: ${err.message}`));
      }, delay);
    }
  }

  /** Walks the stop ladder; `force` goes straight to SIGKILL of the process group. */
  async stop(opts: { force?: boolean } = {}): Promise<string[]> {
    clearTimeout(this.restartTimer);
    if (this.pid === null || this.state === 'stopped' || this.state === 'exited' || this.state === 'crashed') {
      this.stopRequested = true;
      if (this.state !== 'stopped') this.setState('stopped', 'stop requested while not running');
      return ['not running'];
    }
    this.stopRequested = true;
    this.setState('stopping', opts.force ? 'stop --force requested' : 'stop requested');
    let steps: string[];
    try {
      steps = await walkStopLadder(
        { name: this.def.name, umid: this.def.umid, pid: this.pid, socket: this.mconsoleSocket, mconsole: this.env.mconsole, times: this.env.stopTimes, event: (t) => this.event(t), ownerUid: this.ownerUid },
        opts,
      );
    } catch (err) {
      if (this.state === 'stopping') this.setState('running', `stop failed: ${(err as Error).message}`);
      throw err;
    }
    return this.stopped(steps);
  }

  private async stopped(steps: string[]): Promise<string[]> {
    // The exit handler sets the state; an adopted guest has no child to report its exit, so do it here.
    if (this.pid !== null) this.handleExit({ code: null, signal: null });
    return steps;
  }

  dispose(): void {
    clearTimeout(this.restartTimer);
    clearInterval(this.adoptedWatch);
    for (const g of this.guards) g.dispose();
    for (const hub of this.hubs.values()) hub.dispose();
    this.hubs.clear();
    // Let go of the guest without stopping it: guests outlive the server.
    this.launched?.dispose();
  }
}
