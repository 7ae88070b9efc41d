// A console of an adopted guest that umux holds itself: the host side of a `pts:/dev/pts/N` or `tty:DEV` channel,
// or a TELNET connection to a `port:N` one, kept open behind a ConsoleHub; with the stall guard of DESIGN.md §2 (a
// cheap MConsole request when output stops short, since pty and port output can stall until the next interrupt).

import fs from 'node:fs';
import type { Duplex } from 'node:stream';
import tty from 'node:tty';
import type { Disposable } from '../core/disposable.js';
import { UmuxError } from '../core/errors.js';
import type { ConsoleHub } from './console-hub.js';
import { hubOnStream, DEFAULT_CONSOLE_SETTINGS } from './console-wiring.js';
import type { PortLink } from './port-link.js';
import { StallGuard } from './stall-guard.js';

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
}

export class HeldConsole implements Disposable {
  readonly hub: ConsoleHub;
  readonly path: string;
  private readonly stream: Duplex;
  /** The TELNET connection of a port console. */
  readonly port: PortLink | undefined;
  private readonly guard: StallGuard;
  private disposed = false;
  /** The last few KB of output, for finding a panic message after the guest died. */
  tail = '';

  private constructor(o: HeldConsoleOptions, stream: Duplex, port?: PortLink) {
    this.path = o.path;
    this.stream = stream;
    this.port = port;
    this.guard = new StallGuard(o.nudge);
    this.hub = hubOnStream({
      guest: o.guest,
      umid: o.umid,
      name: o.name,
      logRoot: o.logRoot,
      settings: DEFAULT_CONSOLE_SETTINGS,
      stream,
      event: o.event,
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
    stream.on('error', (err: NodeJS.ErrnoException) => closed(err.code === 'EIO' ? 'the guest closed the line' : `read error ${err.code ?? err.message}`));
    stream.on('end', () => closed(port ? 'the connection closed (the getty or telnetd exited)' : 'the guest closed the line'));
  }

  /** Holds a port console over an established TELNET connection. */
  static overPort(o: HeldConsoleOptions, link: PortLink): HeldConsole {
    return new HeldConsole(o, link.stream, link);
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

  dispose(why = 'console released'): void {
    if (this.disposed) return;
    this.disposed = true;
    this.guard.dispose();
    this.hub.close(why);
    this.hub.dispose();
    this.stream.destroy();
  }
}
