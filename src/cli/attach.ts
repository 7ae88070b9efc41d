// `umux attach NAME[:CONSOLE]`: this terminal on a guest console, like `screen -r` or `virsh console`. The guest's
// bytes feed a local terminal model and only its cells are painted (at most 30 frames a second); C-] detaches.

import { UmuxError } from '../core/errors.js';
import { FrameClock } from '../term/frame-clock.js';
import type { ParsedCommand } from '../commands/types.js';
import { parseConsoleTarget } from '../commands/target.js';
import { ServerSession, type ConsoleStream } from '../client/session.js';
import type { ScreenSnapshotWire, AttachedClient } from '../protocol/wire-messages.js';
import { FrameRenderer, cursorTo } from '../term/render.js';
import { printErr } from '../term/print.js';
import { showControls } from '../core/terminal-text.js';
import { Screen } from '../term/screen.js';

export const DETACH_KEY = 0x1d; // C-]
const NOTICE_MS = 5000;

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
  const session = await ServerSession.connect();
  let stream: ConsoleStream;
  try {
    stream = await session.attach(target.guest, target.console, { readOnly });
  } catch (err) {
    session.dispose();
    throw err;
  }
  return new AttachView(session, stream).run();
}

class AttachView {
  private screen: Screen;
  private readonly renderer = new FrameRenderer();
  private readonly frames = new FrameClock(() => this.paint());
  private notice = '';
  private noticeTimer: NodeJS.Timeout | undefined;
  private readonly colors: 16 | 256 = /256|truecolor|direct/.test(process.env['TERM'] ?? '') || process.env['COLORTERM'] ? 256 : 16;
  private others: string;

  constructor(
    private readonly session: ServerSession,
    private readonly stream: ConsoleStream,
  ) {
    this.screen = this.fromSnapshot(stream.snapshot);
    this.others = others(stream.others);
  }

  private fromSnapshot(snap: ScreenSnapshotWire): Screen {
    const screen = new Screen({ cols: snap.cols, rows: snap.rows, scrollback: 0 });
    void screen.write(snap.data).then(() => this.schedule());
    return screen;
  }

  run(): Promise<number> {
    const out = process.stdout;
    out.write('\x1b[?1049h\x1b[2J');
    process.stdin.setRawMode(true);
    process.stdin.resume();
    return new Promise<number>((resolve) => {
      let done = false;
      const finish = (message: string | undefined) => {
        if (done) return;
        done = true;
        this.frames.dispose();
        clearTimeout(this.noticeTimer);
        process.stdin.setRawMode(false);
        process.stdin.pause();
        process.stdin.off('data', onKey);
        out.off('resize', onResize);
        out.write('\x1b[0m\x1b[?25h\x1b[?1049l');
        if (message) printErr(`umux: ${message}\n`);
        this.stream.dispose();
        this.session.dispose();
        this.screen.dispose();
        resolve(0);
      };
      const onKey = (chunk: Buffer) => {
        const at = chunk.indexOf(DETACH_KEY);
        if (at >= 0) {
          if (at > 0) this.stream.write(new Uint8Array(chunk.subarray(0, at)));
          finish(`detached from ${this.stream.guest}:${this.stream.console}`);
          return;
        }
        this.stream.write(new Uint8Array(chunk));
      };
      // The terminal less the status line: the size a pty console gets once this client types (or first).
      const sendSize = () => this.stream.resize(out.columns || 80, Math.max(1, (out.rows || 24) - 1));
      const onResize = () => {
        sendSize();
        out.write('\x1b[2J');
        this.renderer.invalidate();
        this.schedule();
      };
      process.stdin.on('data', onKey);
      out.on('resize', onResize);
      sendSize();
      this.stream.onData((bytes) => void this.screen.write(bytes).then(() => this.schedule()));
      this.stream.onSnapshot((snap) => {
        this.screen.dispose();
        this.screen = this.fromSnapshot(snap);
        this.renderer.invalidate();
      });
      this.stream.onNotice((n) => this.flash(n.text));
      this.stream.onClosed((reason) => finish(reason));
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
    this.frames.request();
  }

  private paint(): void {
    const out = process.stdout;
    const termRows = out.rows || 24;
    const termCols = out.columns || 80;
    const rows = Math.max(1, Math.min(termRows - 1, this.screen.rows));
    const cols = Math.max(1, Math.min(termCols, this.screen.cols));
    let bytes = this.renderer.render(this.screen, { cols, rows, top: 0, left: 0, colors: this.colors });
    const s = this.stream;
    // The status line is umux's own text (notices name other clients' users): controls shown, never acted on.
    const text = showControls(` umux ${s.guest}:${s.console}${s.readOnly ? ' [read-only]' : ''} · ${this.notice || this.others} · C-] detach `);
    bytes += `\x1b7${cursorTo(termRows - 1, 0)}\x1b[0;7m${text.slice(0, termCols).padEnd(termCols)}\x1b[0m\x1b8`;
    out.write(bytes);
  }
}
