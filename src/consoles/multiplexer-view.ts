// A live view of a console that a screen session or a tmux pane holds, as a byte stream umux can log and model:
// `screen -x SESSION -p WINDOW` on a node-pty (screen draws the window for our terminal, at our size), or a tmux
// control-mode client (`tmux -C attach -f ignore-size`) that reports the pane's own output and types with send-keys.
// Started as the session's owner; ending it detaches that display or client and leaves the session as it was.

import { spawn as spawnChild, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type * as pty from 'node-pty';
import type { Disposable } from '../core/disposable.js';
import { Emitter, type Event } from '../core/emitter.js';
import { ControlParser, isPaneId, sendKeysCommand } from '../protocol/tmux-control.js';

export interface RunAs {
  uid: number;
  gid: number;
  home: string;
  name: string;
}

export interface MultiplexerView extends Disposable {
  readonly onData: Event<Uint8Array>;
  /** The view ended by itself (session gone, display detached from elsewhere): the reason in a sentence. */
  readonly onExit: Event<string>;
  /** The size the console has now, when the multiplexer decides it (a tmux pane). */
  readonly onSize: Event<{ cols: number; rows: number }>;
  write(bytes: Uint8Array): void;
  /** Only screen follows umux's size; a tmux pane keeps the admin's. */
  resize?(cols: number, rows: number): void;
}

function userEnv(as: RunAs | undefined, extra: Record<string, string>): Record<string, string> {
  const base: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', TERM: 'xterm-256color', LANG: process.env['LANG'] ?? 'C.UTF-8' };
  if (as) Object.assign(base, { HOME: as.home, USER: as.name, LOGNAME: as.name });
  else for (const k of ['HOME', 'USER', 'LOGNAME']) if (process.env[k]) base[k] = process.env[k]!;
  return { ...base, ...extra };
}

/** `screen -x` on a pty of umux's: what screen draws for this display is the console's bytes. */
export class ScreenView implements MultiplexerView {
  private readonly data = new Emitter<Uint8Array>();
  private readonly exit = new Emitter<string>();
  private readonly size = new Emitter<{ cols: number; rows: number }>();
  readonly onData = this.data.event;
  readonly onExit = this.exit.event;
  readonly onSize = this.size.event;
  private readonly term: pty.IPty;
  private disposed = false;

  constructor(o: { session: string; window: string; socketDir: string; cols: number; rows: number; as?: RunAs }) {
    // node-pty (a native addon) is loaded by the first screen view: a server with no screen-held guest never needs it.
    const { spawn } = createRequire(import.meta.url)('node-pty') as typeof pty;
    this.term = spawn('screen', ['-x', o.session, '-p', o.window], {
      name: 'xterm-256color',
      cols: o.cols,
      rows: o.rows,
      cwd: o.as?.home ?? '/',
      env: userEnv(o.as, { SCREENDIR: o.socketDir }),
      encoding: null,
      ...(o.as ? { uid: o.as.uid, gid: o.as.gid } : {}),
    } as pty.IPtyForkOptions);
    this.term.onData((d) => this.data.fire(typeof d === 'string' ? new TextEncoder().encode(d) : new Uint8Array(d as unknown as Buffer)));
    this.term.onExit((e) => {
      if (!this.disposed) this.exit.fire(`screen -x ${o.session} ended (exit ${e.exitCode}${e.signal ? `, signal ${e.signal}` : ''}): the session is gone or this display was detached`);
    });
  }

  write(bytes: Uint8Array): void {
    if (!this.disposed) this.term.write(Buffer.from(bytes) as unknown as string);
  }

  resize(cols: number, rows: number): void {
    if (!this.disposed) this.term.resize(Math.max(1, cols), Math.max(1, rows));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    // Closing our pty hangs the screen client up: screen detaches that display (autodetach), the session stays.
    try {
      this.term.kill('SIGHUP');
    } catch {
      // gone
    }
    this.data.dispose();
    this.exit.dispose();
    this.size.dispose();
  }
}

/** How long a tmux command may take before the view gives up on it. */
const TMUX_REPLY_MS = 15_000;

/** A tmux control-mode client showing one pane: its output as the program wrote it, no tmux status line. */
export class TmuxPaneView implements MultiplexerView {
  private readonly data = new Emitter<Uint8Array>();
  private readonly exit = new Emitter<string>();
  private readonly size = new Emitter<{ cols: number; rows: number }>();
  readonly onData = this.data.event;
  readonly onExit = this.exit.event;
  readonly onSize = this.size.event;
  private readonly child: ChildProcess;
  private readonly parser = new ControlParser();
  private readonly replies: Array<(ok: boolean, lines: string[]) => void> = [];
  private ready = false;
  private early: Uint8Array[] = [];
  private disposed = false;
  private lastSize = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly o: { socket: string; pane: string; tty: string; as?: RunAs }) {
    if (!isPaneId(o.pane)) throw new Error(`not a tmux pane id: ${o.pane}`);
    // ignore-size: this client never changes the size of the admin's windows.
    this.child = spawnChild('tmux', ['-S', o.socket, '-C', 'attach-session', '-f', 'ignore-size', '-t', o.pane], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: userEnv(o.as, {}),
      cwd: o.as?.home ?? '/',
      ...(o.as ? { uid: o.as.uid, gid: o.as.gid } : {}),
    });
    let stderr = '';
    this.child.stderr!.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-500)));
    this.child.stdout!.setEncoding('latin1');
    this.child.stdout!.on('data', (chunk: string) => this.handle(chunk));
    this.child.on('error', (err) => this.ended(`tmux cannot be run: ${err.message}`));
    this.child.on('exit', (code) => this.ended(`the tmux control client exited (code ${code}${stderr.trim() ? `: ${stderr.trim().split('\n')[0]}` : ''})`));
    this.child.stdin!.on('error', () => undefined);
    // The pane's size, cursor and tty, then its screen. (The attach on the command line has a reply of its own,
    // before or after this one: handle() only matches replies to commands this view wrote.)
    this.command(`display-message -p -t ${o.pane} '#{pane_width} #{pane_height} #{cursor_x} #{cursor_y} #{pane_tty}'`, (ok, lines) => this.first(ok, lines));
    this.timer = setTimeout(() => {
      if (!this.ready) this.ended(`tmux did not answer within ${TMUX_REPLY_MS} ms`);
    }, TMUX_REPLY_MS);
  }

  private first(ok: boolean, lines: string[]): void {
    const f = (lines[0] ?? '').split(' ');
    if (!ok || f.length < 5 || f[4] !== this.o.tty) {
      this.ended(ok ? `tmux pane ${this.o.pane} is no longer on ${this.o.tty}` : `tmux: ${lines.join(' ')}`);
      return;
    }
    const [cols, rows, x, y] = f.slice(0, 4).map(Number) as [number, number, number, number];
    this.setSize(cols, rows);
    this.command(`capture-pane -p -e -t ${this.o.pane}`, (okCap, screen) => {
      clearTimeout(this.timer);
      // The pane as the admin sees it now, then what it writes from here on.
      const text = `\x1b[H\x1b[2J${(okCap ? screen : []).join('\r\n')}\x1b[${y + 1};${x + 1}H`;
      this.data.fire(new TextEncoder().encode(text));
      this.ready = true;
      for (const b of this.early) this.data.fire(b);
      this.early = [];
    });
  }

  private setSize(cols: number, rows: number): void {
    if (!(cols > 0 && rows > 0) || `${cols}x${rows}` === this.lastSize) return;
    this.lastSize = `${cols}x${rows}`;
    this.size.fire({ cols, rows });
  }

  private command(line: string, onReply: (ok: boolean, lines: string[]) => void): void {
    if (this.disposed || !this.child.stdin!.writable) return;
    this.replies.push(onReply);
    this.child.stdin!.write(`${line}\n`);
  }

  private handle(chunk: string): void {
    for (const ev of this.parser.push(chunk)) {
      if (ev.kind === 'output') {
        if (ev.pane !== this.o.pane) continue;
        if (this.ready) this.data.fire(ev.bytes);
        else this.early.push(ev.bytes);
      } else if (ev.kind === 'reply') {
        if (ev.own) this.replies.shift()?.(ev.ok, ev.lines);
      }
      else if (ev.kind === 'exit') this.ended(`tmux ended the control client${ev.reason ? ` (${ev.reason})` : ''}`);
      else if (ev.name === 'layout-change' || ev.name === 'window-pane-changed' || ev.name === 'session-window-changed') {
        this.command(`display-message -p -t ${this.o.pane} '#{pane_width} #{pane_height}'`, (ok, lines) => {
          const [c, r] = (lines[0] ?? '').split(' ').map(Number);
          if (ok) this.setSize(c ?? 0, r ?? 0);
        });
      } else if (ev.name === 'pane-mode-changed' || ev.name === 'unlinked-window-close' || ev.name === 'window-close') {
        // Checked on the next layout change; a closed pane ends the client's session view when it was the last.
      }
    }
  }

  private ended(reason: string): void {
    if (this.disposed) return;
    this.dispose();
    this.exit.fire(reason);
  }

  write(bytes: Uint8Array): void {
    if (!this.ready) return;
    // send-keys takes a bounded command line: a paste goes in pieces.
    for (let at = 0; at < bytes.length; at += 256) this.command(sendKeysCommand(this.o.pane, bytes.subarray(at, at + 256)).trimEnd(), () => undefined);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    clearTimeout(this.timer);
    // End of input detaches a control client; the session keeps running as it was.
    try {
      this.child.stdin!.end();
    } catch {
      // gone
    }
    const child = this.child;
    const kill = setTimeout(() => child.kill('SIGTERM'), 2000);
    child.once('exit', () => clearTimeout(kill));
    kill.unref();
    this.data.dispose();
    this.size.dispose();
    // exit is fired by ended() right after dispose, then disposed with the object.
    queueMicrotask(() => this.exit.dispose());
  }
}
