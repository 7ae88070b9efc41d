// A console of an adopted guest that umux holds itself: the host side of a `pts:/dev/pts/N` or `tty:DEV` channel,
// or a TELNET connection to a `port:N` one, kept open behind a ConsoleHub; with the stall guard of DESIGN.md §2 (a
// cheap MConsole request when output stops short, since pty and port output can stall until the next interrupt).

import fs from 'node:fs';
import type { Duplex } from 'node:stream';
import tty from 'node:tty';
import type { Disposable } from '../core/disposable.js';
import { UmuxError } from '../core/errors.js';
import type { ConsoleHub } from './console-hub.js';
import { hubOnStream, DEFAULT_CONSOLE_SETTINGS, type ConsoleSettings } from './console-wiring.js';
import { PortLink } from './port-link.js';
import { telnetSessionAlive } from '../guests/port-helpers.js';
import { StallGuard } from './stall-guard.js';
import type { KeeperLink } from './keeper-link.js';
import { KeptStream } from './kept-stream.js';
import { resumeOffset } from './kept-resume.js';
import { heldKey, type KeptChannelInfo } from '../protocol/keeper-wire.js';
import type { TypingPriority } from './typing-priority.js';
import path from 'node:path';

export { STALL_NUDGE_MS } from './stall-guard.js';
const TAIL_CHARS = 8192;

export interface HeldConsoleOptions {
  guest: string;
  umid: string;
  name: string;
  /** Where the line is held: a device path, or `port:N`. */
  path: string;
  /** The guest's user: the device must be theirs (the guest's reply names it, and a guest may lie). */
  ownerUid: number;
  logRoot: string;
  event: (text: string) => void;
  /** Sends the guest a cheap MConsole request (the nudge). */
  nudge: () => void;
  /** The host side went away (the guest closed the line, or exited). */
  onClosed: (why: string) => void;
  /** Scrollback and log settings; default those of an adopted guest. */
  settings?: ConsoleSettings;
  /** The server's record of what is being typed into (ConsoleHubOptions.typing). */
  typing?: TypingPriority;
}

export class HeldConsole implements Disposable {
  readonly hub: ConsoleHub;
  readonly path: string;
  private readonly stream: Duplex;
  /** The TELNET connection of a port console. */
  readonly port: PortLink | undefined;
  private readonly guard: StallGuard;
  private disposed = false;
  /** When the line was taken (a port connection's session may have no telnetd yet just after). */
  readonly since = Date.now();
  /** The last few KB of output, for finding a panic message after the guest died. */
  tail = '';

  /** The keeper's channel, when the keeper holds the line (it outlives this server). */
  private readonly kept: KeptStream | undefined;

  /** `kept.commits`: the log records commit points for the keeper's offsets (not on a port: TELNET is in between). */
  private constructor(o: HeldConsoleOptions, stream: Duplex, port?: PortLink, kept?: { stream: KeptStream; resumed: boolean; commits: boolean }) {
    this.path = o.path;
    this.stream = stream;
    this.port = port;
    this.kept = kept?.stream;
    this.guard = new StallGuard(o.nudge);
    this.hub = hubOnStream({
      guest: o.guest,
      umid: o.umid,
      name: o.name,
      logRoot: o.logRoot,
      settings: o.settings ?? DEFAULT_CONSOLE_SETTINGS,
      stream,
      event: o.event,
      ...(kept?.commits ? { kept } : {}),
      ...(o.typing ? { typing: o.typing } : {}),
      onData: (chunk) => {
        // Only the end of a chunk can matter: never decode a whole 64 KB chunk on the output path.
        this.tail = (this.tail + chunk.subarray(-TAIL_CHARS).toString('latin1')).slice(-TAIL_CHARS);
        this.guard.output();
      },
    });
    const closed = (why: string) => {
      if (this.disposed) return;
      this.dispose(why);
      o.onClosed(why);
    };
    stream.on('error', (err: NodeJS.ErrnoException) => closed(err.code === 'EIO' ? 'the guest closed the line' : err.code === 'EKEEPER' ? err.message : `read error ${err.code ?? err.message}`));
    stream.on('end', () => closed(port ? 'the connection closed (the getty or telnetd exited)' : 'the guest closed the line'));
  }

  /** Holds a port console over an established TELNET connection. */
  static overPort(o: HeldConsoleOptions, link: PortLink, kept?: { stream: KeptStream; resumed: boolean }): HeldConsole {
    return new HeldConsole(o, link.stream, link, kept ? { ...kept, commits: false } : undefined);
  }

  get nudges(): number {
    return this.guard.nudges;
  }

  /** Opens the host side of the channel; throws a one-line error when it cannot be opened. */
  static open(o: HeldConsoleOptions): HeldConsole {
    let fd: number;
    try {
      // O_NONBLOCK: a real serial line (tty:/dev/ttyS0) may otherwise block the open, and the server with it.
      fd = fs.openSync(o.path, fs.constants.O_RDWR | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK | fs.constants.O_NOFOLLOW);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UmuxError(code === 'EACCES' ? 'permission' : 'io', `cannot open ${o.name} of ${o.guest} at ${o.path}: ${code}`, {
        hint: code === 'EACCES' ? 'run umux as the guest\'s owner (or root)' : 'the guest may have closed the line: umux tries again',
      });
    }
    const st = fs.fstatSync(fd);
    if (st.isCharacterDevice() && st.uid !== o.ownerUid) {
      fs.closeSync(fd);
      // A hostile guest (or a planted mconsole socket) could name someone else's terminal to read what they type.
      throw new UmuxError('permission', `${o.path} (${o.name} of ${o.guest}) belongs to uid ${st.uid}, not to the guest's user (uid ${o.ownerUid}): not held`, {
        hint: 'a line the guest opened itself belongs to the guest\'s user',
      });
    }
    if (!tty.isatty(fd)) {
      fs.closeSync(fd);
      throw new UmuxError('io', `${o.path} (${o.name} of ${o.guest}) is not a terminal`, { hint: 'umux holds pts and tty channels' });
    }
    const stream = new tty.ReadStream(fd);
    // UML raw-modes its side already; make sure the line discipline passes every byte unchanged.
    stream.setRawMode(true);
    return new HeldConsole(o, stream);
  }

  /**
   * Holds a pts or tty through the keeper, so the line outlives this server (no hangup for the guest's getty): a
   * channel the keeper already holds for this line (a server before this one took it) is taken back where its log
   * stands; otherwise the keeper opens the device (checking its owner as open() does).
   */
  static async openKept(o: HeldConsoleOptions, link: KeeperLink, held?: KeptChannelInfo): Promise<HeldConsole> {
    if (held) {
      const resume = resumeOffset(link, path.join(o.logRoot, o.umid), o.name, held);
      if (resume.note) o.event(`${o.name}: ${resume.note}`);
      const stream = new KeptStream(link, held.id, resume.from);
      return new HeldConsole(o, stream, undefined, { stream, resumed: true, commits: true });
    }
    let channel: KeptChannelInfo;
    try {
      channel = await link.openTerminal(heldKey(o.umid), o.name, o.path, o.ownerUid);
    } catch (err) {
      const e = err as UmuxError;
      throw new UmuxError(e.code ?? 'io', `${o.path} (${o.name} of ${o.guest}) ${e.message}`, {
        hint: e.code === 'permission' ? 'a line the guest opened itself belongs to the guest\'s user' : 'the guest may have closed the line: umux tries again',
      });
    }
    const stream = new KeptStream(link, channel.id, 0);
    return new HeldConsole(o, stream, undefined, { stream, resumed: false, commits: true });
  }

  /** `keep`: the server is going; the keeper goes on holding the line for the next one. */
  dispose(why = 'console released', keep = false): void {
    if (this.disposed) return;
    this.disposed = true;
    this.guard.dispose();
    this.hub.close(why);
    this.hub.dispose();
    this.stream.destroy();
    if (this.kept && !keep) this.kept.closeChannel();
  }
}

/** How often a port line of a managed guest is checked: connected, and its session still served by a telnetd. */
export const PORT_CHECK_MS = 1000;
/** A connection this young may not have its telnetd yet (UML starts it after the accept). */
export const SESSION_GRACE_MS = 3000;

export interface PortHolderOptions extends Omit<HeldConsoleOptions, 'path' | 'onClosed'> {
  port: number;
  /** The guest's kernel pid while it runs (the telnetd of a session is one of its group). */
  guestPid: () => number | null;
  /** The hub, the status or the note changed. */
  onChange: () => void;
}

/**
 * Keeps a `port:N` line of a guest umux booted held: connects (again) whenever there is no connection, and drops a
 * connection whose session has no telnetd left (UML keeps a copy of every accepted socket, so such a connection
 * never closes by itself: findings §4) to make a new one, which the line's next getty takes.
 */
export class PortHolder implements Disposable {
  held: HeldConsole | undefined;
  status: 'held' | 'waiting' = 'waiting';
  note: string;
  private connecting = false;
  private lastFailure = '';
  private readonly timer: NodeJS.Timeout;
  private disposed = false;

  constructor(private readonly o: PortHolderOptions) {
    this.note = `${o.name} is port:${o.port}: not connected yet`;
    this.timer = setInterval(() => this.check(), PORT_CHECK_MS);
    this.check();
  }

  get hub(): ConsoleHub | undefined {
    return this.held?.hub;
  }

  /** Connects when not connected; drops a connection whose session ended. */
  check(): void {
    if (this.disposed || this.connecting || this.o.guestPid() === null) return;
    const link = this.held?.port;
    if (this.held && link) {
      const pid = this.o.guestPid()!;
      if (Date.now() - this.held.since >= SESSION_GRACE_MS) this.lastFailure = ''; // it lasted: say the next failure
      if (Date.now() - this.held.since < SESSION_GRACE_MS || telnetSessionAlive(pid, this.o.port, link.clientPort) !== false) return;
      this.o.event(`${this.o.name}: the telnetd of the connection to port ${this.o.port} is gone (the session ended); connecting again`);
      this.drop('the session ended: its telnetd is gone');
    }
    this.connect();
  }

  private connect(): void {
    this.connecting = true;
    const port = this.o.port;
    PortLink.connect(port, { onWaiting: (waiting) => this.set(waiting) }).then(
      (link) => {
        this.connecting = false;
        if (this.disposed || this.o.guestPid() === null) {
          link.stream.destroy();
          return;
        }
        this.held = HeldConsole.overPort({ ...this.o, path: `port:${port}`, onClosed: (why) => this.closed(why) }, link);
        if (this.lastFailure === '') this.o.event(`${this.o.name}: connected to 127.0.0.1:${port}`);
        this.set(link.waiting);
      },
      (err: Error) => {
        this.connecting = false;
        if (this.disposed) return;
        // Said once per kind of failure: a guest still booting refuses for a while.
        if (err.message !== this.lastFailure) this.o.event(`${this.o.name}: ${err.message}; umux tries again`);
        this.lastFailure = err.message;
        this.status = 'waiting';
        this.note = `${this.o.name} is port:${port}: ${err.message}; umux tries again every ${PORT_CHECK_MS / 1000} s`;
        this.o.onChange();
      },
    );
  }

  private set(waiting: boolean): void {
    if (!this.held) return;
    const port = this.o.port;
    this.status = waiting ? 'waiting' : 'held';
    this.note = waiting
      ? `${this.o.name} is port:${port}: umux is connected and UML holds the connection until a getty opens the line`
      : `umux holds port:${port} (telnet to 127.0.0.1:${port})`;
    this.o.onChange();
  }

  private closed(why: string): void {
    const quick = this.held !== undefined && Date.now() - this.held.since < SESSION_GRACE_MS;
    this.held = undefined;
    // A connection UML closes at once (no telnetd it can run) would otherwise log two events every second.
    if (!(quick && this.lastFailure === why)) this.o.event(`${this.o.name}: connection to port ${this.o.port} closed (${why}); connecting again`);
    if (quick) this.lastFailure = why;
    this.status = 'waiting';
    this.note = `${this.o.name} is port:${this.o.port}: ${why}; umux connects again`;
    this.o.onChange();
  }

  private drop(why: string): void {
    const held = this.held;
    this.held = undefined;
    held?.dispose(why);
    this.o.onChange();
  }

  dispose(why = 'console released'): void {
    if (this.disposed) return;
    this.disposed = true;
    clearInterval(this.timer);
    this.drop(why);
  }
}
