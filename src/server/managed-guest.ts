// A guest the server manages from its definition: launch with consoles on socketpairs held by ConsoleHubs, the
// stop ladder (cad, halt, SIGTERM, SIGKILL to the group; each step logged, each with a timeout), the restart
// policy with backoff, and re-adoption of a guest still running from an earlier server.
// Long (over 400 lines) on purpose: launch, exit, restart policy, re-adoption and the take-back from the console keeper
// all move one state and one pid (port lines are in managed-ports.ts, boots in boot-book.ts); the next split is
// its consoles (launch wiring and the keeper take-back) from its lifecycle.

import fs from 'node:fs';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { UmuxError } from '../core/errors.js';
import type { GuestDef } from '../config/guest-def.js';
import { ConsoleLog } from '../consoles/logfile.js';
import { consoleNames, DEFAULT_BOOT_TIMEOUT_MS, launchGuest, LaunchError, umidHolder } from '../guests/launch.js';
import type { GuestSpawn } from '../guests/guest-process.js';
import { processExists, requireGroupGone } from '../guests/process-group.js';
import { walkStopLadder, type StopTimes } from './stop-ladder.js';
import { stateFromHealth, type Health } from './health.js';
import { waitConsolesReady } from '../guests/ready.js';
import { lookupUser, userName } from '../guests/users.js';
import { verifyUmlPid } from '../guests/uml-process.js';
import { processStartedAt } from '../guests/proc-info.js';
import type { MconsoleClient } from '../mconsole/client.js';
import type { ConsoleHub } from './console-hub.js';
import { hubOnStream } from './console-wiring.js';
import type { TypingPriority } from './typing-priority.js';
import type { EventLog } from './event-log.js';
import type { GuestInfo as WireGuestInfo } from '../protocol/wire-messages.js';
import { hasEnded, type GuestState } from '../protocol/guest-state.js';
import { makeDirs } from '../files/make-dirs.js';
import { kernelPanicLine } from '../protocol/kernel-panic.js';
import { StallGuard } from './stall-guard.js';
import type { KeeperLink } from './keeper-link.js';
import { KeptGuestProcess } from './kept-guest.js';
import { resumeOffsets } from './kept-resume.js';
import { LaunchedGuest } from '../guests/launched-guest.js';
import { NotifyListener } from '../mconsole/notify.js';
import type { KeptGuestInfo, KeptChannelInfo } from '../protocol/keeper-wire.js';
import { ManagedPortLines } from './managed-ports.js';
import { BootBook, type Markable } from './boot-book.js';
import { endFromExit, type BootStart } from '../protocol/boot-marker.js';

/** con0..con15 first, then ssl0..ssl63: the order lines are listed in. */
function lineOrder(name: string): number {
  return (name.startsWith('ssl') ? 100 : 0) + Number(name.slice(3));
}

/** A managed guest's states: all but stale (umux clears its umid directory when it starts it again). */
export type ManagedState = Exclude<GuestState, 'stale'>;

export { DEFAULT_STOP_TIMES, type StopTimes } from './stop-ladder.js';

export interface GuestEnv {
  mconsole: MconsoleClient;
  logRoot: string;
  stopTimes: StopTimes;
  /**
   * Each of the two waits of a boot: for the SOCKET notification (no notification: the boot fails), then for the
   * consoles to answer (they do not: the guest counts as running anyway, with an event); default 15 s.
   */
  bootTimeoutMs?: number;
  events: EventLog;
  log: (line: string) => void;
  /** Why a guest with this mem= would not fit on the memory-file filesystem now (undefined: it fits). */
  memoryFit?: (name: string, mem: string) => string | undefined;
  /** The console keeper: guests start through it and their consoles outlive the server (none: the server holds them). */
  keeper?: KeeperLink;
  /** What is being typed into, server-wide: a console not typed into is read at a capped rate meanwhile. */
  typing?: TypingPriority;
}

export type GuestInfo = WireGuestInfo & { state: ManagedState };

export { DEFAULT_BOOT_TIMEOUT_MS };

/** "signal SIGABRT", "exit code 0", or "gone" (an adopted guest, whose status nobody can read). */
function exitHow(exit: { code: number | null; signal: NodeJS.Signals | null }): string {
  return exit.signal ? `signal ${exit.signal}` : exit.code === null ? 'gone' : `exit code ${exit.code}`;
}

export class ManagedGuest {
  readonly kind = 'managed' as const;
  state: ManagedState = 'stopped';
  /** Set by umux's pause/go (MConsole stop/go). */
  paused = false;
  /** Memory umux has unplugged with config mem-= (UML cannot be asked). */
  memUnplugged = 0;
  pid: number | null = null;
  readonly hubs = new Map<string, ConsoleHub>();
  private launched: LaunchedGuest | undefined;
  /** The keeper's side of the guest, when the keeper started it. */
  private kept: KeptGuestProcess | undefined;
  /** The stall guards of pty consoles (none on socketpairs, which do not stall). */
  private guards: StallGuard[] = [];
  /** The lines on a TCP port (`lines = { ssl0 = "port:9123" }`), held over TELNET. */
  private readonly portLines: ManagedPortLines;
  private startedAt: number | null = null;
  /** Found running when the server started (adoptIfRunning), not started by this server. */
  private adoptedRun = false;
  private lostConsoles: string[] = [];
  private stopRequested = false;
  private restarts = 0;
  private restartDelay: number;
  private restartTimer: NodeJS.Timeout | undefined;
  private adoptedWatch: NodeJS.Timeout | undefined;
  private panicText: string | null = null;
  private bootSocket = '';
  /** How the last run ended ("signal SIGABRT", "exit code 0"). */
  private lastExit: string | null = null;
  /** How the boot under way was started (its boot marker says so). */
  private startHow: BootStart = 'umux start';
  /** The guest's boots: markers in its console logs, records in LOGDIR/UMID/boots. */
  readonly boots: BootBook;

  constructor(
    public def: GuestDef,
    private readonly env: GuestEnv,
  ) {
    this.restartDelay = def.restartDelayMs;
    this.boots = new BootBook(path.join(env.logRoot, def.umid), (line) => this.env.log(`${def.name}: ${line}`));
    const guest = this; // the host's getters read this guest's current definition (a reload replaces it)
    this.portLines = new ManagedPortLines({
      get def() {
        return guest.def;
      },
      get ownerUid() {
        return guest.ownerUid;
      },
      logRoot: env.logRoot,
      hubs: this.hubs,
      event: (t) => this.event(t),
      nudge: () => void env.mconsole.call(this.mconsoleSocket, 'version', { name: this.def.umid, timeoutMs: 1000 }).catch(() => undefined),
      guestPid: () => this.pid,
    });
  }

  get name(): string {
    return this.def.name;
  }

  get managed(): ManagedGuest {
    return this;
  }

  get adopted(): undefined {
    return undefined;
  }

  /** A managed guest's consoles are wired when it starts: a line hot-plugged later is not followed. */
  consoleAdded(): void {}

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

  setState(state: ManagedState, why: string): void {
    if (this.state === state) return;
    this.event(`${this.state} -> ${state}: ${why}`);
    this.state = state;
  }

  info(): GuestInfo {
    const fds = consoleNames(this.def.consoles, this.def.serials, this.def.ports).map((name) => ({
      name,
      clients: this.hubs.get(name)?.clients().length ?? 0,
      lost: this.lostConsoles.includes(name),
      transport: this.def.consoleTransport,
    }));
    const ports = this.portLines.info(this.pid !== null);
    const consoles = [...fds, ...ports].sort((a, b) => lineOrder(a.name) - lineOrder(b.name));
    return {
      name: this.def.name,
      umid: this.def.umid,
      state: this.state,
      pid: this.pid,
      mem: this.def.mem,
      consoles,
      clients: consoles.reduce((n, c) => n + c.clients, 0),
      uptimeMs: this.startedAt === null ? null : Date.now() - this.startedAt,
      adopted: this.adoptedRun,
      restarts: this.restarts,
      panic: this.panicText,
      owner: this.ownerName,
      dir: path.dirname(this.def.file),
    };
  }

  private ownerNameCache: string | undefined;

  /** The host user the guest runs as, by name (read once: the sidebar groups by it). */
  private get ownerName(): string {
    if (this.ownerNameCache === undefined) {
      try {
        this.ownerNameCache = userName(this.ownerUid);
      } catch {
        this.ownerNameCache = this.def.user ?? '?'; // a user= the host does not have: start says so
      }
    }
    return this.ownerNameCache;
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
    this.adoptedRun = true;
    this.startedAt = processStartedAt(pid) ?? Date.now();
    this.lostConsoles = consoleNames(this.def.consoles, this.def.serials, this.def.ports);
    this.state = 'running';
    // Port lines are no fds of ours: this server connects to them again.
    this.portLines.hold();
    this.event(`adopted running guest pid ${pid}; consoles ${this.lostConsoles.join(', ')} were held by the previous server and are lost`);
    this.markLostConsoles(pid);
    // No child handle: watch the pid to notice the exit.
    this.adoptedWatch = setInterval(() => {
      if (this.pid !== null && !processExists(this.pid)) this.handleExit({ code: null, signal: null });
    }, 1000);
    return true;
  }

  /**
   * Marks each lost console's log: the server restarted. A guest the boot book does not know as running (no server
   * saw this boot begin) begins a boot there too, found running.
   */
  private markLostConsoles(pid: number): void {
    const logs: Array<[string, ConsoleLog]> = [];
    for (const name of this.lostConsoles) {
      try {
        const log = ConsoleLog.open({ dir: path.join(this.env.logRoot, this.def.umid), console: name, maxBytes: this.def.logMaxBytes, keep: this.def.logKeep, timestamps: this.def.logTimestamps });
        log.appendMarker('umux server restarted: this console was held by the previous server and is lost until the guest restarts');
        logs.push([name, log]);
      } catch (err) {
        this.env.log(`${this.def.name}: cannot mark log of ${name}: ${(err as Error).message}`);
      }
    }
    if (!this.boots.isCurrent(pid)) this.boots.begin('found running', pid, logs);
    for (const [name, log] of logs) {
      log.dispose(); // a last try at writing, if the marker could not be
      const failing = log.failing;
      if (failing) this.env.log(`${this.def.name}: cannot mark log of ${name}: ${failing.reason}`);
    }
  }

  /**
   * Boots the guest (`how` goes into its boot marker); resolves with a warning when its memory does not fit on the
   * memory-file filesystem.
   */
  async start(how: BootStart = 'umux start', notify?: NotifyListener): Promise<string | undefined> {
    if (this.state === 'starting' || this.state === 'running' || this.state === 'stopping') {
      throw new UmuxError('usage', `${this.def.name} is ${this.state}`, { hint: this.state === 'running' ? `umux restart ${this.def.name}` : 'wait for it' });
    }
    clearTimeout(this.restartTimer);
    this.stopRequested = false;
    this.panicText = null;
    this.startHow = how;
    await this.freePorts();
    this.setState('starting', 'start requested');
    const warning = this.memoryWarning();
    try {
      await this.launch(notify);
    } catch (err) {
      // A guest that died while umux waited for its consoles has its state from handleExit already: that wins.
      if ((this.state as ManagedState) === 'starting') throw this.bootFailed(err);
      throw err;
    }
    return warning;
  }

  /** Checks the guest's mem= against the memory-file filesystem; a misfit goes into the events and the log. */
  private memoryWarning(): string | undefined {
    let warning: string | undefined;
    try {
      warning = this.env.memoryFit?.(this.def.name, this.def.mem);
    } catch (err) {
      this.env.log(`${this.def.name}: memory check failed: ${(err as Error).message}`);
    }
    if (warning !== undefined) this.event(`warning: ${warning}`);
    return warning;
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
      ports: def.ports,
      keepOutput: 64 * 1024,
      timeoutMs: this.env.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS,
      transport: def.consoleTransport,
      extraArgs: [...def.disks, ...def.args],
      ...(this.env.keeper ? { spawner: (spec) => this.spawnKept(spec) } : {}),
      ...(def.hostfsRoot !== undefined ? { root: def.hostfsRoot } : {}),
      ...(def.init !== undefined ? { init: def.init } : {}),
      ...(notify ? { notify } : {}),
      ...(user ? { uid: user.uid, gid: user.gid, env: { ...process.env, HOME: user.home, USER: user.name } } : {}),
    });
    this.launched = guest;
    this.pid = guest.pid;
    this.bootSocket = guest.socket;
    this.adoptedRun = false;
    this.lostConsoles = [];
    this.startedAt = Date.now();
    this.watchGuest(guest);
    this.wireConsoles(guest, false);
    // In the same tick as the wiring: each marker is in its log before the boot's first byte.
    this.boots.begin(this.startHow, guest.pid, this.hubs as Map<string, Markable>);
    // Registered first, so the state is crashed or exited before anything below hears of the exit.
    void guest.exited.then((exit) => this.handleExit(exit));
    await this.waitReady(guest);
    // From here con0 goes to its hub (log, model, clients) only; the launcher's text copy (kept through the boot for
    // a panic line) is no longer needed.
    guest.stopTextCapture();
    this.setState('running', `booted, pid ${guest.pid}`);
  }

  private async spawnKept(spec: GuestSpawn): Promise<KeptGuestProcess> {
    this.kept = await KeptGuestProcess.spawn(this.env.keeper!, this.def.umid, spec);
    return this.kept;
  }

  /** UML's host-side messages and the guest's notifications go to the events. */
  private watchGuest(guest: LaunchedGuest): void {
    const def = this.def;
    guest.onStderr((text) => {
      for (const line of text.split('\n')) if (line.trim()) this.env.events.add(def.name, `uml: ${line.trim()}`);
    });
    guest.notify?.onNotification((n) => {
      if (path.dirname(n.data) !== guest.dir && n.type === 'socket') return;
      // The first SOCKET is the boot launchGuest waits for; another from the same process is a reboot (UML execs
      // itself again, same pid, same consoles).
      if (n.type === 'socket' && this.launched === guest && this.state !== 'starting') this.rebooted();
      else if (n.type === 'panic') {
        this.panicText = n.data;
        this.event(`panic: ${n.data}`);
      } else if (n.type === 'hang') this.event('hang notification (watchdog)');
      else if (n.type === 'user') this.event(`user notification: ${n.data.trimEnd()}`);
    });
    guest.notify?.onGarbage((what) => this.event(`notify socket: ${what}`));
  }

  /** The guest booted again in the same process: one boot ends and the next begins, in the books and the logs. */
  private rebooted(): void {
    this.boots.end({ kind: 'reboot', detail: '', at: Date.now() });
    this.boots.begin('reboot', this.pid, this.hubs as Map<string, Markable>);
    this.event('rebooted: the kernel booted again in the same process');
  }

  /**
   * Takes back a guest of this definition that the keeper started for an earlier server: its consoles go on from
   * where their logs stand, with nothing lost or twice (kept-resume.ts). A guest that exited meanwhile is logged to
   * its end and then handled as an exit (restart policy included).
   */
  takeBackFromKeeper(info: KeptGuestInfo, channels: KeptChannelInfo[]): void {
    const keeper = this.env.keeper!;
    const names = consoleNames(this.def.consoles, this.def.serials, this.def.ports);
    const dir = path.join(this.env.logRoot, this.def.umid);
    const resume = resumeOffsets(keeper, dir, info, channels);
    for (const r of resume) if (r.note) this.event(`${r.name}: ${r.note}`);
    const proc = new KeptGuestProcess(keeper, info, resume.map((r) => r.from));
    this.kept = proc;
    // The guest's own notify socket (launchGuest's default) is bound again, so a panic is heard at once.
    const notifyPath = path.join(this.def.umlDir, `${this.def.umid}.notify`);
    let notify: NotifyListener | undefined;
    try {
      fs.rmSync(notifyPath, { force: true });
      notify = NotifyListener.bind(notifyPath);
    } catch (err) {
      this.env.log(`${this.def.name}: cannot bind ${notifyPath} again: ${(err as Error).message}`);
    }
    const guest = new LaunchedGuest(this.def.umid, proc, notify, notify, 64 * 1024);
    guest.started(path.join(this.def.umlDir, this.def.umid, 'mconsole'));
    guest.stopTextCapture();
    this.launched = guest;
    this.pid = info.pid;
    this.bootSocket = guest.socket;
    this.adoptedRun = false;
    this.lostConsoles = [];
    this.startedAt = processStartedAt(info.pid) ?? Date.now();
    this.state = 'running';
    this.watchGuest(guest);
    this.wireConsoles(guest, true);
    // The boot an earlier server began goes on; one it never recorded is begun here, without markers (the consoles
    // go on mid-stream).
    if (!this.boots.isCurrent(info.pid)) this.boots.begin('found running', info.pid, []);
    void guest.exited.then((exit) => this.handleExit(exit));
    this.event(`took back running guest pid ${info.pid} from the console keeper; consoles ${names.join(', ')} go on where their logs stand`);
  }

  /** The keeper died: the consoles it held are gone; the guest may run on without them. */
  keeperLost(why: string): void {
    if (!this.kept || this.pid === null) return;
    // Port lines are the server's own TCP connections: only what the keeper held is gone.
    this.lostConsoles = this.kept.info.consoles.map((c) => c.name);
    this.event(`consoles ${this.lostConsoles.join(', ')} are lost: ${why}; umux restart ${this.def.name} gives the guest new ones`);
    for (const name of this.lostConsoles) {
      const hub = this.hubs.get(name);
      hub?.close(`the console keeper is gone: ${why}`);
      hub?.dispose();
      this.hubs.delete(name);
    }
  }

  /** The state and error for a boot that failed before the guest's mconsole came up (launchGuest's errors). */
  private bootFailed(err: unknown): unknown {
    const exit = err instanceof LaunchError ? err.exit : undefined;
    if (!(err instanceof LaunchError) || exit === undefined) {
      this.setState('exited', `start failed: ${(err as Error).message}`);
      return err;
    }
    const how = exitHow(exit);
    const panic = kernelPanicLine(err.output);
    // The whole story (stderr and console tails) goes to the events; the error says what happened.
    this.event(`boot failed: ${err.message}`);
    if (panic === null && exit.signal !== 'SIGABRT') {
      this.setState('exited', `exited while booting (${how})`);
      return err;
    }
    this.panicText = panic;
    // It did boot (its kernel ran) but never reached its consoles: a boot without markers.
    this.boots.begin(this.startHow, null, []);
    this.boots.end(endFromExit(exit, panic ?? '', false, Date.now()));
    const what = `kernel panic${panic ? `: ${panic}` : ''} (${how})`;
    this.setState('crashed', what);
    return new UmuxError('guest-error', `${this.def.name} crashed while booting, before its mconsole came up: ${what}`, {
      hint: `umux events ${this.def.name} has the end of what it printed`,
    });
  }

  /** Waits for the consoles; a guest that dies meanwhile ends the wait at once, and its crash or exit wins. */
  private async waitReady(guest: LaunchedGuest): Promise<void> {
    const died = new AbortController();
    const ready = waitConsolesReady(this.env.mconsole, { socket: guest.socket, umid: this.def.umid, consoles: this.def.consoles, serials: this.def.serials, ports: this.def.ports }, this.env.bootTimeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS, died.signal).then(
      () => undefined,
      (err: Error) => {
        if (!died.signal.aborted) this.event(`consoles slow to come up: ${err.message}`);
      },
    );
    await Promise.race([ready, guest.exited.then(() => died.abort())]);
    if (guest.exit === undefined && this.launched === guest) return;
    died.abort();
    const how = this.lastExit ?? 'gone';
    const crashed = this.state === 'crashed';
    const what = crashed ? `crashed while booting: kernel panic${this.panicText ? `: ${this.panicText}` : ''}` : this.state === 'stopped' ? 'was stopped while booting' : 'exited while booting';
    throw new UmuxError('guest-error', `${this.def.name} ${what} (${how})`, {
      hint: `umux log ${this.def.name} and umux events ${this.def.name} show what it printed`,
    });
  }

  private wireConsoles(guest: LaunchedGuest, resumed: boolean): void {
    const names = consoleNames(this.def.consoles, this.def.serials, this.def.ports);
    const kept = this.kept?.pid === guest.pid ? this.kept.streams : undefined;
    const streams: Duplex[] = kept ?? [guest.con0, ...guest.consoles];
    this.portLines.hold();
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
          ...(this.env.typing ? { typing: this.env.typing } : {}),
          ...(kept ? { kept: { stream: kept[i]!, resumed } } : {}),
          ...(guard ? { onData: () => guard.output(), resize: (size: { cols: number; rows: number }) => guest.resize(i, size.cols, size.rows) } : {}),
        }),
      );
    });
  }

  private handleExit(exit: { code: number | null; signal: NodeJS.Signals | null }): void {
    clearInterval(this.adoptedWatch);
    this.adoptedWatch = undefined;
    const how = exitHow(exit);
    this.lastExit = how;
    // The panic notification may come after the exit: the console text kept through the boot has the line too.
    this.panicText ??= kernelPanicLine(this.launched?.output() ?? '');
    const panicked = this.panicText !== null || exit.signal === 'SIGABRT' || exit.code === 134;
    if (panicked) this.panicText ??= this.panicFromLog();
    this.boots.end(endFromExit(exit, this.panicText, this.stopRequested, Date.now()));
    this.portLines.release(`${this.def.name} exited (${how})`);
    for (const hub of this.hubs.values()) hub.close(`${this.def.name} exited (${how})`);
    for (const g of this.guards) g.dispose();
    this.guards = [];
    this.launched?.dispose();
    this.launched = undefined;
    this.kept = undefined;
    this.paused = false;
    this.memUnplugged = 0;
    this.pid = null;
    this.startedAt = null;
    this.adoptedRun = false;
    this.lostConsoles = [];
    if (this.def.ports.length > 0) void this.freePorts().catch((err: Error) => this.event(`port lines: ${err.message}`));
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
        this.start('restart policy').catch((err: Error) => this.event(`restart failed: ${err.message}`));
      }, delay);
    }
  }

  /** The panic line at the end of con0's log (the notification may come late, or not at all). */
  private panicFromLog(): string | null {
    try {
      const tail = this.hubs.get('con0')?.readLogWithTimes(40) ?? [];
      return kernelPanicLine(tail.map((l) => l.text).join('\n'));
    } catch {
      return null;
    }
  }

  /** Walks the stop ladder; `force` goes straight to SIGKILL of the process group. */
  async stop(opts: { force?: boolean } = {}): Promise<string[]> {
    clearTimeout(this.restartTimer);
    if (this.pid === null || hasEnded(this.state)) {
      this.stopRequested = true;
      if (this.state !== 'stopped') this.setState('stopped', 'stop requested while not running');
      return ['not running'];
    }
    this.stopRequested = true;
    this.setState('stopping', opts.force ? 'stop --force requested' : 'stop requested');
    const pid = this.pid;
    let steps: string[];
    try {
      steps = await walkStopLadder(
        { name: this.def.name, umid: this.def.umid, pid, socket: this.mconsoleSocket, mconsole: this.env.mconsole, times: this.env.stopTimes, event: (t) => this.event(t), ownerUid: this.ownerUid },
        opts,
      );
    } catch (err) {
      if (this.state === 'stopping') this.setState('running', `stop failed: ${(err as Error).message}`);
      throw err;
    }
    return this.stopped(steps, pid);
  }

  private async stopped(steps: string[], pid: number): Promise<string[]> {
    // The ladder ends when the main pid is gone (a zombie counts); the helpers of its group may take a moment more,
    // and the next boot must not meet them. A guest re-adopted from a killed server may stay a zombie: its umid
    // directory is cleared before the next boot (launchGuest).
    try {
      await requireGroupGone(pid, this.env.stopTimes.killMs, this.def.name);
    } finally {
      // The exit handler sets the state; an adopted guest has no child to report its exit, so do it here.
      if (this.pid !== null) this.handleExit({ code: null, signal: null });
    }
    return steps;
  }

  /** See ManagedPortLines.free; nothing to do while the guest runs. */
  async freePorts(): Promise<string[]> {
    return this.pid !== null && processExists(this.pid) ? [] : this.portLines.free();
  }

  dispose(): void {
    clearTimeout(this.restartTimer);
    clearInterval(this.adoptedWatch);
    this.portLines.dispose();
    for (const g of this.guards) g.dispose();
    for (const hub of this.hubs.values()) hub.dispose();
    this.hubs.clear();
    // Let go of the guest without stopping it: guests outlive the server.
    this.launched?.dispose();
  }
}
