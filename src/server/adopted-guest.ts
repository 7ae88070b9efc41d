// A guest umux did not start, found by its umid directory: pid, owner, the command line it was started with (so it
// can be restarted as it was), its consoles as MConsole reports them (pts/tty held, fd:0,fd:1 explained), its state.
// One class on purpose: console lines, health and lifecycle share the pid and socket they all act on.
// Over 400 lines: the console-line holding (pts, port, screen) belongs in its own class; issue 12 (one guest model)
// is where that split is due, with the managed guest's consoles.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { UmuxError } from '../core/errors.js';
import { fdTarget, procInfo, type FoundGuest } from '../guests/discover.js';
import { processStartedAt } from '../guests/proc-info.js';
import { userName } from '../guests/users.js';
import { processExists, processName } from '../guests/process-group.js';
import { parseChannelConfig, type ChannelEnd } from '../protocol/mconsole-replies.js';
import { channelSpec, relaunchArgv, type UmlCmdline } from '../protocol/uml-cmdline.js';
import { MAX_CON, MAX_SSL } from '../protocol/hotplug.js';
import type { ConsoleHub } from './console-hub.js';
import { HeldConsole, SESSION_GRACE_MS, type HeldConsoleOptions } from './held-console.js';
import type { KeeperLink } from './keeper-link.js';
import { heldKey } from '../protocol/keeper-wire.js';
import { telnetSessionAlive } from '../guests/port-helpers.js';
import { PortLink } from './port-link.js';
import type { GuestEnv } from './managed-guest.js';
import { walkStopLadder } from './stop-ladder.js';
import { stateFromHealth, type Health } from './health.js';
import type { ConsoleStatus, GuestInfo } from '../protocol/wire-messages.js';
import { hasEnded, isUp, type GuestState } from '../protocol/guest-state.js';
import { makeDirs } from '../files/make-dirs.js';
import { kernelPanicLine } from '../protocol/kernel-panic.js';
import { BootBook } from './boot-book.js';
import { endFromExit, type BootEnd } from '../protocol/boot-marker.js';
import { findMultiplexer } from '../guests/multiplexer.js';
import { describeHold, MultiplexerConsole, viewUser } from './multiplexer-console.js';

/** What umux can do with one console line of an adopted guest. */
export interface ConsoleLine {
  name: string;
  /** The reply to `config NAME`. */
  spec: string;
  status: ConsoleStatus;
  note: string;
}

/** How long a guest found booting may take to answer its first ping before it counts as unresponsive. */
const BOOT_GRACE_MS = 15_000;

export class AdoptedGuest {
  readonly kind = 'adopted' as const;
  state: GuestState;
  pid: number | null;
  /** The pid from the umid directory, kept after death: its process group may still hold helpers. */
  readonly lastPid: number | undefined;
  readonly umid: string;
  readonly dir: string;
  readonly socket: string;
  readonly owner: string;
  /** The umid directory's owner: a root server relaunches the guest as this user. */
  private readonly ownerIds: { uid: number; gid: number };
  cmdline: UmlCmdline | undefined;
  cwd: string | undefined;
  panicText: string | null = null;
  /** Set by umux's own pause/go (MConsole stop/go); a `stop` sent by another tool cannot be seen from outside. */
  paused = false;
  /** Memory umux has unplugged with config mem-= (UML cannot be asked). */
  memUnplugged = 0;
  readonly hubs = new Map<string, ConsoleHub>();
  private readonly held = new Map<string, HeldConsole>();
  /** Port lines with a connection under way. */
  private readonly connecting = new Set<string>();
  /** Stdio consoles a screen session or tmux pane holds, shown through it on demand. */
  private readonly multiplexed = new Map<string, MultiplexerConsole>();
  private readonly lines = new Map<string, ConsoleLine>();
  /** Lines worth re-querying on every health tick (listed, or hot-plugged through umux). */
  private readonly watched = new Set<string>(['con0']);
  /** When the guest's process started (from /proc, so a guest re-adopted by a new server keeps its uptime). */
  private readonly since: number;
  /** When umux saw it die (or found it dead). */
  endedAt: number | null = null;
  private probing = false;
  private ticks = 0;
  private disposed = false;
  /** The guest's boots: begun when it is found running, a marker in each console log as umux comes to hold it. */
  readonly boots: BootBook;

  constructor(
    found: FoundGuest,
    private readonly env: GuestEnv,
  ) {
    this.umid = found.umid;
    this.dir = found.dir;
    this.socket = found.socket;
    this.owner = userName(found.uid);
    this.ownerIds = { uid: found.uid, gid: found.gid };
    this.pid = found.alive ? found.pid! : null;
    this.since = (this.pid !== null ? processStartedAt(this.pid) : undefined) ?? Date.now();
    // A pid file that names someone else's process is not believed, not even to clean up after it.
    this.lastPid = found.untrusted ? undefined : found.pid;
    // A guest writes its pid file before its mconsole socket: until it answers once, it is starting.
    this.state = found.alive ? (fs.existsSync(found.socket) ? 'running' : 'starting') : 'stale';
    if (!found.alive) this.endedAt = Date.now();
    this.boots = new BootBook(`${env.logRoot}/${found.umid}`, (line) => env.log(`${found.umid}: ${line}`));
    // A guest an earlier server recorded goes on in the same boot; any other begins one (relaunched by umux, or found).
    const relaunched = this.pid !== null && AdoptedGuest.relaunched.delete(this.pid);
    if (this.pid !== null && !this.boots.isCurrent(this.pid)) this.boots.begin(relaunched ? 'relaunch' : 'adopted', this.pid, []);
    if (found.pid !== undefined && found.alive) {
      const info = procInfo(found.pid);
      this.cmdline = info?.cmdline;
      this.cwd = info?.cwd;
      for (const key of Object.keys(this.cmdline?.channels ?? {})) {
        if (/\d$/.test(key)) this.watched.add(key);
      }
      this.event(`adopted: pid ${found.pid}, owner ${this.owner}, started as: ${this.cmdline?.argv.join(' ') ?? '(command line unreadable)'}`);
    } else if (found.untrusted) {
      this.event(`not adopted: ${found.dir}/pid names pid ${found.pid}, which is not this guest (${found.untrusted}); umux clean ${found.umid} removes the directory`);
    } else {
      this.event(`found stale directory ${found.dir}: ${found.pid === undefined ? 'no pid file' : `pid ${found.pid} is gone`}; umux clean ${found.umid} removes it`);
    }
  }

  get name(): string {
    return this.umid;
  }

  get managed(): undefined {
    return undefined;
  }

  get adopted(): AdoptedGuest {
    return this;
  }

  /** A console umux holds from now on: listed, and given the running boot's marker if its log has none yet. */
  private holdHub(name: string, hub: ConsoleHub): void {
    this.hubs.set(name, hub);
    if (this.pid !== null) this.boots.markConsole(name, hub);
  }

  /** Follows a hot-plugged line: watched on every health tick, probed now. */
  consoleAdded(line: string): void {
    this.watch(line);
    void this.probeConsoles();
  }

  get mem(): string {
    return this.cmdline?.mem ?? '?';
  }

  get ownerUid(): number {
    return this.ownerIds.uid;
  }

  event(text: string): void {
    this.env.events.add(this.umid, text);
    this.env.log(`${this.umid}: ${text}`);
  }

  setState(state: GuestState, why: string): void {
    if (this.state === state) return;
    this.event(`${this.state} -> ${state}: ${why}`);
    this.state = state;
  }

  /** Moves between running, paused and unresponsive after a health check; a gone pid is markGone's. */
  applyHealth(h: Health, timeoutMs: number): void {
    if (this.pid === null || !isUp(this.state)) return;
    if (this.state === 'starting' && h.kind === 'unresponsive' && Date.now() - this.since < BOOT_GRACE_MS) return;
    const next = stateFromHealth(h, this.paused, this.pid, timeoutMs);
    if (next) this.setState(next.state, this.state === 'starting' && next.state === 'running' ? 'booted: answers MConsole' : next.why);
  }

  /** The directory went away or the process died: what that means depends on what is left. */
  markGone(dirLeft: boolean): void {
    if (this.pid === null && hasEnded(this.state)) return;
    const exit = this.lastPid === undefined ? undefined : AdoptedGuest.childExits.get(this.lastPid);
    if (this.lastPid !== undefined) AdoptedGuest.childExits.delete(this.lastPid);
    const aborted = exit !== undefined && (exit.signal === 'SIGABRT' || exit.code === 134);
    const seen = this.panicText ?? this.panicFromLogs();
    const panic = seen ?? (aborted ? 'the kernel aborted (SIGABRT), as UML does on a panic; its text comes with the panic notification' : null);
    this.boots.end(goneEnd(exit, seen, this.state === 'stopping', dirLeft));
    this.releaseConsoles('the guest is gone');
    this.env.keeper?.release(heldKey(this.umid)); // lines it held for an earlier server that nobody took back
    this.pid = null;
    this.endedAt = Date.now();
    if (this.state === 'stopping') return;
    if (panic !== null) {
      this.panicText = panic;
      this.setState('crashed', `kernel panic: ${panic}`);
    } else if (dirLeft) this.setState('stale', 'the process is gone and left its umid directory (killed, or crashed)');
    else this.setState('exited', 'the process exited and removed its umid directory');
  }

  /** A panic notification that belongs to this guest (told apart by the shared notify socket's caller). */
  attributePanic(text: string): void {
    this.panicText = text;
    this.event(`panic: ${text}`);
    if (this.pid === null && this.state !== 'crashed') this.setState('crashed', `kernel panic: ${text}`);
  }

  private panicFromLogs(): string | null {
    for (const h of this.held.values()) {
      const line = kernelPanicLine(h.tail);
      if (line !== null) return line;
    }
    return null;
  }

  /** Checks the console lines: which exist, which umux holds or could hold. */
  async probeConsoles(full = false): Promise<void> {
    if (this.probing || this.pid === null || this.disposed) return;
    this.probing = true;
    try {
      const names = full
        ? [...Array.from({ length: MAX_CON + 1 }, (_, i) => `con${i}`), ...Array.from({ length: MAX_SSL + 1 }, (_, i) => `ssl${i}`)]
        : [...this.watched, ...this.lines.keys()];
      for (const name of new Set(names)) {
        if (this.pid === null) return;
        let reply;
        try {
          reply = await this.env.mconsole.call(this.socket, `config ${name}`, { name: this.umid, timeoutMs: 1000 });
        } catch {
          return; // the health check reports an unresponsive guest
        }
        if (!reply.ok) continue;
        this.updateLine(name, reply.text.trim());
      }
      // Offers made while the scan was half done (config con1=pts for a line about to be held) are made again.
      for (const l of this.lines.values()) {
        if (l.status !== 'elsewhere') continue;
        let c;
        try {
          c = parseChannelConfig(l.spec);
        } catch {
          continue;
        }
        this.lines.set(l.name, { ...l, note: this.explain(l.name, c.output, l.spec) });
      }
    } finally {
      this.probing = false;
    }
  }

  /** Marks a line for polling (after a hot-plug through umux). */
  watch(name: string): void {
    this.watched.add(name);
  }

  private updateLine(name: string, reply: string): void {
    const booted = this.cmdline === undefined ? undefined : channelSpec(this.cmdline, name);
    // UML may answer a port line with a bare "port" (seen on 6.1 before the line's first connection): the port is
    // the one it was booted with.
    const spec = reply === 'port' && booted !== undefined && /^port:\d+$/.test(booted) ? booted : reply;
    const explicit = this.watched.has(name) || booted !== undefined;
    let config;
    try {
      config = parseChannelConfig(spec);
    } catch {
      config = undefined;
    }
    const bare = config && (config.output.kind === 'pts' || config.output.kind === 'pty') && !('path' in config.output && config.output.path);
    if (!config || config.output.kind === 'none' || config.output.kind === 'null' || (bare && !explicit)) {
      this.dropLine(name, 'the line is gone');
      return;
    }
    const out = config.output;
    // A tty: device is one the guest reads itself: a second reader would split its input, so umux never opens it.
    const path = (out.kind === 'pts' || out.kind === 'pty') && 'path' in out ? out.path : undefined;
    const held = this.held.get(name);
    if (out.kind === 'port') {
      this.holdPort(name, spec, out.port);
      return;
    }
    if (path !== undefined) {
      if (held && held.path === path) return;
      held?.dispose('the line moved');
      this.hubs.delete(name);
      if (this.env.keeper) {
        this.holdKept(name, spec, path, this.env.keeper);
        return;
      }
      try {
        const console = HeldConsole.open(this.heldOptions(name, path));
        this.held.set(name, console);
        this.holdHub(name, console.hub);
        this.setLine({ name, spec, status: 'held', note: `umux holds ${path}` });
        this.event(`${name}: holding ${path}`);
      } catch (err) {
        this.setLine({ name, spec, status: 'unusable', note: (err as Error).message });
      }
      return;
    }
    if (held) {
      held.dispose('the guest closed the line');
      this.held.delete(name);
      this.hubs.delete(name);
    }
    if (out.kind === 'fd' && this.showMultiplexed(name, spec, out.fd)) return;
    this.setLine({ name, spec, status: bare ? 'waiting' : out.kind === 'fd' || out.kind === 'tty' ? 'elsewhere' : 'unusable', note: this.explain(name, out, spec) });
  }

  /** A pts or tty held by the keeper, so the line outlives this server; one taken back if the keeper has it already. */
  private holdKept(name: string, spec: string, path: string, link: KeeperLink): void {
    if (this.connecting.has(name)) return;
    this.connecting.add(name);
    const again = link.claimHeld(heldKey(this.umid), name, path);
    HeldConsole.openKept(this.heldOptions(name, path), link, again).then(
      (console) => {
        this.connecting.delete(name);
        if (this.disposed || this.pid === null) {
          console.dispose('the guest is gone', this.disposed);
          return;
        }
        this.held.get(name)?.dispose('the line moved');
        this.held.set(name, console);
        this.holdHub(name, console.hub);
        this.setLine({ name, spec, status: 'held', note: `umux holds ${path}` });
        this.event(again ? `${name}: took back ${path} from the console keeper (held across the server restart)` : `${name}: holding ${path}`);
      },
      (err: Error) => {
        this.connecting.delete(name);
        this.setLine({ name, spec, status: 'unusable', note: err.message });
      },
    );
  }

  private heldOptions(name: string, path: string): HeldConsoleOptions {
    return {
      guest: this.umid,
      umid: this.umid,
      name,
      path,
      ownerUid: this.ownerIds.uid,
      logRoot: this.env.logRoot,
      event: (t) => this.event(t),
      ...(this.env.typing ? { typing: this.env.typing } : {}),
      nudge: () => void this.env.mconsole.call(this.socket, 'version', { name: this.umid, timeoutMs: 1000 }).catch(() => undefined),
      onClosed: (why) => {
        this.held.delete(name);
        this.hubs.delete(name);
        this.event(`${name}: released ${path} (${why})`);
      },
    };
  }

  /**
   * A `port:N` line: held over a TELNET connection to 127.0.0.1:N. Until a getty opens the line UML answers with its
   * banner and keeps the connection queued (waiting); a closed connection is made again on the next probe, quietly.
   */
  private holdPort(name: string, spec: string, port: number): void {
    const where = `port:${port}`;
    const held = this.held.get(name);
    if (held && held.path === where && !this.portSessionEnded(name, held, port)) return;
    if (held) {
      held.dispose('the line moved');
      this.held.delete(name);
      this.hubs.delete(name);
    }
    if (this.connecting.has(name)) return;
    this.connecting.add(name);
    const waitingNote = `${name} is ${spec}: umux is connected and UML holds the connection until a getty opens the line`;
    const heldNote = `umux holds ${where} (telnet to 127.0.0.1:${port})`;
    const onWaiting = (waiting: boolean): void => {
      if (this.held.get(name)?.port) this.setLine({ name, spec, status: waiting ? 'waiting' : 'held', note: waiting ? waitingNote : heldNote });
    };
    // Through the keeper, the connection (and the telnetd session and getty behind it) outlives this server.
    const keeper = this.env.keeper;
    const again = keeper?.claimHeld(heldKey(this.umid), name, where);
    const connected = keeper
      ? PortLink.overKeeper(keeper, heldKey(this.umid), name, port, again, { onWaiting })
      : PortLink.connect(port, { onWaiting }).then((link) => ({ link, kept: undefined }));
    connected.then(
      ({ link, kept }) => {
        this.connecting.delete(name);
        if (this.disposed || this.pid === null) {
          if (kept && !this.disposed) kept.closeChannel();
          else link.stream.destroy();
          return;
        }
        const console = HeldConsole.overPort(this.heldOptions(name, where), link, kept ? { stream: kept, resumed: again !== undefined } : undefined);
        this.held.set(name, console);
        this.holdHub(name, console.hub);
        this.setLine({ name, spec, status: link.waiting ? 'waiting' : 'held', note: link.waiting ? waitingNote : heldNote });
        this.event(again ? `${name}: took back ${where} from the console keeper (connected across the server restart)` : `${name}: connected to 127.0.0.1:${port}`);
      },
      (err: Error) => {
        this.connecting.delete(name);
        this.setLine({ name, spec, status: 'waiting', note: `${name} is ${spec}: ${err.message}; umux tries again` });
      },
    );
  }

  /**
   * A held port connection whose telnetd is gone: UML keeps its own copy of the accepted socket, so the connection
   * stays open with nobody serving it, and the line's next getty waits for a new one (findings §4).
   */
  private portSessionEnded(name: string, held: HeldConsole, port: number): boolean {
    if (!held.port || this.pid === null || Date.now() - held.since < SESSION_GRACE_MS) return false;
    if (telnetSessionAlive(this.pid, port, held.port.clientPort) !== false) return false;
    this.event(`${name}: the telnetd of the connection to port ${port} is gone (the session ended); connecting again`);
    held.dispose('the session ended: its telnetd is gone');
    this.held.delete(name);
    this.hubs.delete(name);
    return true;
  }

  private explain(name: string, out: ChannelEnd, spec: string): string {
    switch (out.kind) {
      case 'pts':
      case 'pty':
        return `${name} is ${spec}: no getty or shell in the guest has opened it yet; umux keeps polling and attaches when it does`;
      case 'fd': {
        const target = this.pid === null ? undefined : fdTarget(this.pid, out.fd);
        const info = this.pid === null ? undefined : procInfo(this.pid);
        const comm = info ? processName(info.ppid) : undefined;
        const holder = !info || info.ppid <= 1 ? 'nobody umux can see (its parent is gone: it was started detached)' : info.ppid === process.pid ? `this umux server (pid ${process.pid}), which started it` : /screen|tmux/i.test(comm ?? '') ? `${comm} (pid ${info.ppid}), a ${comm!.toLowerCase()} session` : `${comm ?? '?'} (pid ${info.ppid})`;
        const held = [...this.lines.values()].find((l) => l.status === 'held');
        const free = Array.from({ length: MAX_CON }, (_, i) => `con${i + 1}`).find((n) => !this.lines.has(n) && n !== name);
        const offer = held ? `attach to ${this.umid}:${held.name} instead` : `umux config ${this.umid} ${free ?? 'con1'}=pts gives a console umux can hold (then a getty on it)`;
        const why = this.pid === null ? undefined : findMultiplexer(this.pid, out.fd).why;
        return `${name} is ${spec}: the guest's own fd ${out.fd}${target ? ` (${target})` : ''}, held by ${holder}${why ? ` (${why})` : ''}; ${offer}`;
      }
      case 'tty': {
        const free = Array.from({ length: MAX_CON }, (_, i) => `con${i + 1}`).find((n) => !this.lines.has(n) && n !== name);
        return `${name} is ${spec}: the guest reads that host device itself, and a second reader would take half of what is typed there, so umux does not open it; use it where it is, or umux config ${this.umid} ${free ?? 'con1'}=pts for a line umux can hold`;
      }
      case 'xterm':
        return `${name} opens an xterm on the host's display`;
      case 'null':
        return `${name} discards output (null)`;
      default:
        return `${name} is ${spec}`;
    }
  }

  /**
   * A stdio console whose terminal belongs to a screen session or a tmux pane: shown through that session while a
   * client is attached (MultiplexerConsole). False when no multiplexer holds it (the line is then explained).
   */
  private showMultiplexed(name: string, spec: string, fd: number): boolean {
    const found = this.pid === null ? {} : findMultiplexer(this.pid, fd);
    const current = this.multiplexed.get(name);
    const hold = found.hold;
    const same = current && hold && current.hold.holderPid === hold.holderPid && current.hold.tty === hold.tty && describeHold(current.hold) === describeHold(hold);
    if (current && !same) {
      current.dispose('the console is no longer in that session');
      this.multiplexed.delete(name);
      this.hubs.delete(name);
    }
    if (!hold) return false;
    let owner: string;
    try {
      owner = viewUser(hold)?.name ?? userName(hold.uid);
    } catch (err) {
      this.setLine({ name, spec, status: 'elsewhere', note: `${name} is ${spec}: the guest's own stdio, a terminal of ${describeHold(hold)}; ${(err as Error).message}` });
      return true;
    }
    if (!same) {
      const mc = new MultiplexerConsole({
        guest: this.umid,
        umid: this.umid,
        name,
        hold,
        logRoot: this.env.logRoot,
        event: (t) => this.event(t),
        nudge: () => void this.env.mconsole.call(this.socket, 'version', { name: this.umid, timeoutMs: 1000 }).catch(() => undefined),
      });
      this.multiplexed.set(name, mc);
      this.holdHub(name, mc.hub);
    }
    const via = hold.kind === 'screen' ? `screen -x ${hold.session} -p ${hold.window}` : `tmux control mode on ${hold.pane}`;
    this.setLine({
      name,
      spec,
      status: hold.kind,
      note: `${name} is ${spec}: the guest's own stdio on ${hold.tty}, in ${describeHold(hold)} of ${owner}; umux shows it live through ${via} while a client is attached (the session is left as it was), and logs what that shows`,
    });
    return true;
  }

  private setLine(line: ConsoleLine): void {
    const old = this.lines.get(line.name);
    this.lines.set(line.name, line);
    if (!old || old.status !== line.status || old.spec !== line.spec) {
      if (line.status !== 'held') this.event(line.note);
    }
  }

  private dropLine(name: string, why: string): void {
    this.multiplexed.get(name)?.dispose(why);
    this.multiplexed.delete(name);
    const held = this.held.get(name);
    if (held) {
      held.dispose(why);
      this.held.delete(name);
      this.hubs.delete(name);
    }
    this.lines.delete(name);
  }

  /** `keep`: the server is going; the keeper goes on holding the lines it holds. */
  private releaseConsoles(why: string, keep = false): void {
    for (const m of this.multiplexed.values()) m.dispose(why);
    this.multiplexed.clear();
    for (const h of this.held.values()) h.dispose(why, keep);
    this.held.clear();
    this.hubs.clear();
  }

  /** Called on every health tick: a full console scan now and then, the known lines every time. */
  tick(): void {
    if (this.pid === null) return;
    void this.probeConsoles(this.ticks++ % 6 === 0);
  }

  /** The ports its command line (or MConsole) gave its lines: what a dead run's port-helpers may still hold. */
  portsOnCommandLine(): number[] {
    const specs = [...Object.values(this.cmdline?.channels ?? {}), ...[...this.lines.values()].map((l) => l.spec)];
    return [...new Set(specs.map((sp) => /^port:(\d+)$/.exec(sp)?.[1]).filter((p): p is string => p !== undefined).map(Number))];
  }

  consoleLines(): ConsoleLine[] {
    return [...this.lines.values()].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  }

  info(): GuestInfo {
    const consoles = this.consoleLines().map((l) => ({
      name: l.name,
      clients: this.hubs.get(l.name)?.clients().length ?? 0,
      lost: false,
      status: l.status,
      note: l.note,
      spec: l.spec,
    }));
    return {
      name: this.umid,
      umid: this.umid,
      state: this.state,
      pid: this.pid,
      mem: this.mem,
      consoles,
      clients: consoles.reduce((n, c) => n + c.clients, 0),
      uptimeMs: this.pid === null ? null : Date.now() - this.since,
      adopted: true,
      restarts: 0,
      panic: this.panicText,
      owner: this.owner,
      dir: path.dirname(this.dir),
    };
  }

  async stop(opts: { force?: boolean } = {}): Promise<string[]> {
    if (this.pid === null) return ['not running'];
    const pid = this.pid;
    this.setState('stopping', opts.force ? 'stop --force requested' : 'stop requested');
    let steps: string[];
    try {
      steps = await walkStopLadder(
        { name: this.umid, umid: this.umid, pid, socket: this.socket, mconsole: this.env.mconsole, times: this.env.stopTimes, event: (t) => this.event(t), ownerUid: this.ownerIds.uid },
        opts,
      );
    } catch (err) {
      if (this.state === 'stopping') this.setState('running', `stop failed: ${(err as Error).message}`);
      throw err;
    }
    this.releaseConsoles('the guest stopped');
    this.pid = null;
    this.boots.end({ kind: 'stopped', detail: steps[steps.length - 1] ?? '', at: Date.now() });
    this.setState('stopped', steps[steps.length - 1] ?? 'stopped');
    return steps;
  }

  /**
   * Boots the guest again with the command line it was started with, as its owner, detached like screen -d -m; its
   * console lines on inherited fds (con0 on the screen or file it had) become pts lines umux holds.
   */
  relaunch(): number {
    const recorded = this.cmdline?.argv;
    if (!recorded || recorded.length === 0) {
      throw new UmuxError('usage', `${this.umid}: its command line was not recorded`, { hint: 'umux saw it only as a stale directory: start it by hand' });
    }
    if (this.pid !== null && processExists(this.pid)) throw new UmuxError('busy', `${this.umid} is still running (pid ${this.pid})`, { hint: `umux stop ${this.umid} first` });
    const { argv, moved } = relaunchArgv(recorded);
    const asOther = process.getuid?.() === 0 && this.ownerIds.uid !== 0;
    makeDirs(`${this.env.logRoot}/${this.umid}`, 'log directory');
    // The host-side messages UML prints before its consoles exist (stderr) are kept for a failed boot.
    const out = fs.openSync(`${this.env.logRoot}/${this.umid}/relaunch.out`, 'a', 0o600);
    try {
      const child = spawn(argv[0]!, argv.slice(1), {
        cwd: this.cwd ?? os.homedir(),
        detached: true,
        stdio: ['ignore', out, out],
        ...(asOther ? this.ownerIds : {}),
      });
      child.unref();
      child.on('error', (err) => this.event(`relaunch failed: ${err.message}`));
      // umux is this one's parent: its exit says what the pid file cannot (UML panics end in SIGABRT).
      const pid = child.pid;
      if (pid !== undefined) child.on('exit', (code, signal) => AdoptedGuest.childExits.set(pid, { code, signal }));
      if (pid !== undefined) AdoptedGuest.relaunched.add(pid);
      const how = moved.length ? `; ${moved.join(', ')} now on pts lines umux holds (the command line had them on fds)` : '';
      this.event(`relaunched from its recorded command line: pid ${child.pid}${how}`);
      return child.pid ?? -1;
    } finally {
      fs.closeSync(out);
    }
  }

  /** The pids of guests umux relaunched: their boots began by relaunch. */
  private static readonly relaunched = new Set<number>();

  /** How the guests umux relaunched (its own children) exited, by pid. */
  private static readonly childExits = new Map<number, { code: number | null; signal: NodeJS.Signals | null }>();

  dispose(): void {
    this.disposed = true;
    this.releaseConsoles('umux server stopping', true);
  }
}

/**
 * How an adopted guest's boot ended when its process went: by its exit status when umux relaunched it (its parent),
 * else by what is left: a UML that halts removes its umid directory; one killed (or crashed) leaves it.
 */
function goneEnd(exit: { code: number | null; signal: string | null } | undefined, panic: string | null, stopping: boolean, dirLeft: boolean): BootEnd {
  const at = Date.now();
  if (exit) return endFromExit(exit, panic, stopping, at);
  if (panic !== null) return { kind: 'panic', detail: panic, at };
  if (stopping) return { kind: 'stopped', detail: '', at };
  return dirLeft
    ? { kind: 'unknown', detail: 'the process is gone and left its umid directory: killed, or crashed', at }
    : { kind: 'halt', detail: 'the process exited and removed its umid directory', at };
}
