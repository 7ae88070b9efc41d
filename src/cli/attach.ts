// `umux attach NAME[:CONSOLE]`: this terminal on a guest console, like `screen -r` or `virsh console`. The guest's
// bytes feed a local terminal model (term/live-screen.ts, as the TUI's panes) and only its cells are painted (at most
// 30 frames a second); C-] detaches.
// It rides through the server going away (issue 11): the guest's screen stays, the status line says why and what it
// waits for, and once a server is back it attaches again (fresh snapshot, window size sent again).

import { UmuxError, isUmuxError } from '../core/errors.js';
import type { ParsedCommand } from '../commands/types.js';
import { parseConsoleTarget } from '../commands/target.js';
import { ServerSession, type ConsoleStream } from '../client/session.js';
import type { AttachedClient } from '../protocol/wire-messages.js';
import { FrameRenderer, cursorTo } from '../term/render.js';
import { printErr } from '../term/print.js';
import { showControls } from '../core/terminal-text.js';
import { LiveScreen } from '../term/live-screen.js';

export const DETACH_KEY = 0x1d; // C-]
const CTRL_C = 0x03;
const NOTICE_MS = 5000;
/** After a server is back, how long attach keeps asking for the console (a new server re-holds adopted lines). */
export const REATTACH_MS = 30_000;
const REATTACH_RETRY_MS = 500;

function others(list: AttachedClient[]): string {
  if (list.length === 0) return 'nobody else attached';
  return `also attached: ${list.map((c) => `${c.user}${c.readOnly ? ' (read-only)' : ''}`).join(', ')}`;
}

export async function runAttach(parsed: ParsedCommand): Promise<number> {
  const target = parseConsoleTarget(parsed.args[0]!);
  const readOnly = parsed.options['read-only'] === true;
  if (!process.stdin.isTTY || !process.stdout.isTTY) {
    throw new UmuxError('usage', 'umux attach needs a terminal on stdin and stdout', {
      hint: `to read a console from a script use umux log -f ${target.guest}:${target.console}; to type, umux send`,
    });
  }
  const session = await ServerSession.connect({ ride: true, program: 'attach', readOnly });
  let stream: ConsoleStream;
  try {
    stream = await session.attach(target.guest, target.console, { readOnly });
  } catch (err) {
    session.dispose();
    throw err;
  }
  return new AttachView(session, stream, readOnly).run();
}

class AttachView {
  private readonly renderer = new FrameRenderer();
  private readonly live: LiveScreen;
  private notice = '';
  private noticeTimer: NodeJS.Timeout | undefined;
  private readonly colors: 16 | 256 = /256|truecolor|direct/.test(process.env['TERM'] ?? '') || process.env['COLORTERM'] ? 256 : 16;
  private others: string;
  /** While the server is away: what the status line says instead of the notices (it stays until the server is back). */
  private away = '';
  private done = false;
  private finishWith: (message: string | undefined) => void = () => undefined;
  private readonly guest: string;
  private readonly console: string;

  constructor(
    private readonly session: ServerSession,
    private stream: ConsoleStream,
    private readonly readOnly: boolean,
  ) {
    this.live = new LiveScreen(stream, () => this.paint(), () => this.renderer.invalidate());
    this.others = others(stream.others);
    this.guest = stream.guest;
    this.console = stream.console;
  }

  /** The terminal less the status line: the size a pty console gets once this client types (or first). */
  private sendSize(): void {
    const out = process.stdout;
    this.stream.resize(out.columns || 80, Math.max(1, (out.rows || 24) - 1));
  }

  /** Listens to a (new) stream's notices and its end (its bytes and snapshots feed the live screen). */
  private follow(stream: ConsoleStream): void {
    stream.onNotice((n) => this.flash(n.text));
    stream.onClosed((reason) => {
      // The server went away: the session says so and waits; the guest's screen stays.
      if (!stream.serverAway) this.finishWith(reason);
    });
  }

  /** A server is back: attach again (the same console, read-only as before) until it is there or REATTACH_MS passed. */
  private async reattach(): Promise<void> {
    const deadline = Date.now() + REATTACH_MS;
    let last = '';
    while (!this.done && !this.session.away) {
      try {
        const stream = await this.session.attach(this.guest, this.console, { readOnly: this.readOnly });
        if (this.done) {
          stream.dispose();
          return;
        }
        this.stream = stream;
        this.others = others(stream.others);
        this.live.follow(stream);
        this.follow(stream);
        this.sendSize();
        this.away = '';
        this.flash(`reconnected: umux server pid ${this.session.serverPid}`);
        return;
      } catch (err) {
        if (this.session.away || this.done) return; // gone again: the next onBack tries again
        last = isUmuxError(err) ? err.message : String(err);
        if (Date.now() >= deadline) {
          this.finishWith(`the new umux server has no ${this.guest}:${this.console} after ${REATTACH_MS / 1000} s: ${last}`);
          return;
        }
        this.away = `server back; waiting for ${this.guest}:${this.console} (${last})`;
        this.schedule();
        await new Promise((r) => setTimeout(r, REATTACH_RETRY_MS));
      }
    }
  }

  run(): Promise<number> {
    const out = process.stdout;
    out.write('\x1b[?1049h\x1b[2J');
    process.stdin.setRawMode(true);
    process.stdin.resume();
    return new Promise<number>((resolve) => {
      const finish = (message: string | undefined) => {
        if (this.done) return;
        this.done = true;
        this.live.dispose();
        clearTimeout(this.noticeTimer);
        process.stdin.setRawMode(false);
        process.stdin.pause();
        process.stdin.off('data', onKey);
        out.off('resize', onResize);
        out.write('\x1b[0m\x1b[?25h\x1b[?1049l');
        if (message) printErr(`umux: ${message}\n`);
        this.stream.dispose();
        this.session.dispose();
        resolve(0);
      };
      this.finishWith = finish;
      const onKey = (chunk: Buffer) => {
        const at = chunk.indexOf(DETACH_KEY);
        if (at >= 0) {
          if (at > 0 && !this.session.away) this.stream.write(new Uint8Array(chunk.subarray(0, at)));
          finish(`detached from ${this.guest}:${this.console}`);
          return;
        }
        if (this.session.away || this.stream.closed) {
          // No console to type into: Ctrl-C leaves, anything else is said to go nowhere.
          if (chunk.includes(CTRL_C)) finish(`left ${this.guest}:${this.console} while the server was away`);
          else this.flash('not sent: no umux server (C-] or C-c leaves)');
          return;
        }
        this.stream.write(new Uint8Array(chunk));
      };
      const onResize = () => {
        this.sendSize();
        out.write('\x1b[2J');
        this.renderer.invalidate();
        this.schedule();
      };
      process.stdin.on('data', onKey);
      out.on('resize', onResize);
      this.sendSize();
      this.follow(this.stream);
      this.session.onAway((away) => {
        this.away = away.text;
        this.schedule();
      });
      this.session.onRideStatus((text) => {
        this.away = text;
        this.schedule();
      });
      this.session.onBack(() => void this.reattach());
      this.session.onClose((reason) => finish(reason));
      this.schedule();
    });
  }

  private flash(text: string): void {
    this.notice = text;
    if (/attached|detached/.test(text)) this.others = text;
    clearTimeout(this.noticeTimer);
    this.noticeTimer = setTimeout(() => {
      this.notice = '';
      this.schedule();
    }, NOTICE_MS);
    this.schedule();
  }

  private schedule(): void {
    if (!this.done) this.live.schedule();
  }

  private paint(): void {
    const out = process.stdout;
    const termRows = out.rows || 24;
    const termCols = out.columns || 80;
    const screen = this.live.screen;
    const rows = Math.max(1, Math.min(termRows - 1, screen.rows));
    const cols = Math.max(1, Math.min(termCols, screen.cols));
    // Full width: a flood scrolls with the terminal's scroll region (the status line below it stays).
    let bytes = this.renderer.render(screen, { cols, rows, top: 0, left: 0, colors: this.colors, scrollRegion: cols === termCols });
    // The status line is umux's own text (notices name other clients' users): controls shown, never acted on.
    const what = this.away ? `${this.away} · C-] leaves` : `${this.notice || this.others} · C-] detach`;
    const text = showControls(` umux ${this.guest}:${this.console}${this.readOnly ? ' [read-only]' : ''} · ${what} `);
    bytes += `\x1b7${cursorTo(termRows - 1, 0)}\x1b[0;7m${text.slice(0, termCols).padEnd(termCols)}\x1b[0m\x1b8`;
    out.write(bytes);
  }
}
