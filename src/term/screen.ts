// A console's terminal model: an @xterm/headless Terminal with bounded scrollback that parses guest output, answers
// the guest's queries only when asked to, and serializes itself as a VT stream (snapshot) that rebuilds it elsewhere.
// Vocabulary: *screen* is the model (visible rows + history); *line* is an absolute buffer row; *row* a visible one.

import { createRequire } from 'node:module';
import type { IBuffer, IDisposable, Terminal } from '@xterm/headless';
export type { IBuffer, IBufferCell, IBufferLine } from '@xterm/headless';
import type { SerializeAddon } from '@xterm/addon-serialize';
import type { Disposable } from '../core/disposable.js';
import { Emitter, type Event } from '../core/emitter.js';

type Xterm = { Terminal: typeof Terminal; SerializeAddon: typeof SerializeAddon };

/**
 * xterm.js's write queue (internal, @xterm/headless 6): a write that finds it empty is parsed on a later timer turn
 * (a millisecond or more here, per echo), unless the queue was told the user just typed: then in the writer's turn.
 */
interface WriteQueue {
  handleUserInput(): void;
}

function writeQueueOf(term: Terminal): WriteQueue | undefined {
  const queue = (term as unknown as { _core?: { _writeBuffer?: Partial<WriteQueue> } })._core?._writeBuffer;
  return typeof queue?.handleUserInput === 'function' ? (queue as WriteQueue) : undefined;
}
let xterm: Xterm | undefined;

/**
 * @xterm/headless and its serializer, loaded (synchronously, they are CommonJS) when the first Screen is made: about
 * 9 MB of RSS and 45 ms of start that a server with no console and a CLI command with no screen never pay.
 */
function loadXterm(): Xterm {
  if (!xterm) {
    const require = createRequire(import.meta.url);
    const { Terminal: T } = require('@xterm/headless') as { Terminal: typeof Terminal };
    const { SerializeAddon: S } = require('@xterm/addon-serialize') as { SerializeAddon: typeof SerializeAddon };
    xterm = { Terminal: T, SerializeAddon: S };
  }
  return xterm;
}

/** Loads the terminal model's code now (it is otherwise loaded by the first Screen): while waiting for something. */
export function preloadScreen(): void {
  loadXterm();
}

export const DEFAULT_COLS = 80;
export const DEFAULT_ROWS = 24;
export const DEFAULT_SCROLLBACK = 2000;

export interface ScreenOptions {
  cols?: number;
  rows?: number;
  /** History lines kept above the visible rows; older lines are dropped. */
  scrollback?: number;
  /** Fire the terminal's replies to guest queries (DSR, DA, DECRQSS …) on onQueryReply; otherwise drop them. */
  answerQueries?: boolean;
  /**
   * Treat a bare LF as CR LF, as a host pty's onlcr would (default true). UML's kernel messages on an fd console
   * end lines with LF alone: with no pty between guest and umux, they would otherwise form a staircase.
   */
  convertEol?: boolean;
}

/** A VT stream that, written into a fresh Screen of cols × rows, recreates this one (see Screen.snapshot). */
export interface ScreenSnapshot {
  cols: number;
  rows: number;
  data: string;
}

export class Screen implements Disposable {
  private readonly term: Terminal;
  private readonly serializer: SerializeAddon;
  private readonly queryReply = new Emitter<string>();
  private readonly hooks: IDisposable[] = [];
  private readonly waiting = new Set<() => void>();
  private readonly writeQueue: WriteQueue | undefined;
  private cursorHidden = false;
  private disposed = false;

  /** Replies the terminal generates for the guest (e.g. `ESC[5;3R` for `ESC[6n`), only when answerQueries is set. */
  readonly onQueryReply: Event<string> = this.queryReply.event;

  constructor(opts: ScreenOptions = {}) {
    const { Terminal, SerializeAddon } = loadXterm();
    this.term = new Terminal({
      cols: opts.cols ?? DEFAULT_COLS,
      rows: opts.rows ?? DEFAULT_ROWS,
      scrollback: opts.scrollback ?? DEFAULT_SCROLLBACK,
      allowProposedApi: true,
      logLevel: 'off',
      convertEol: opts.convertEol ?? true,
    });
    this.serializer = new SerializeAddon();
    this.term.loadAddon(this.serializer);
    this.writeQueue = writeQueueOf(this.term);
    if (opts.answerQueries) this.hooks.push(this.term.onData((reply) => this.queryReply.fire(reply)));
    this.trackCursorVisibility();
  }

  get cols(): number {
    return this.term.cols;
  }

  get rows(): number {
    return this.term.rows;
  }

  /** Writes handed to the parser and not parsed yet (for flow control). */
  get pending(): number {
    return this.waiting.size;
  }

  /** The active buffer (normal or alternate), for the renderer. */
  get buffer(): IBuffer {
    return this.term.buffer.active;
  }

  /** Lines in the active buffer: history plus visible rows, at most scrollback + rows. */
  get bufferLength(): number {
    return this.term.buffer.active.length;
  }

  get isAltScreen(): boolean {
    return this.term.buffer.active.type === 'alternate';
  }

  /** The cursor, relative to the top-left visible cell; x may equal cols (pending wrap at the right margin). */
  get cursor(): { x: number; y: number } {
    const b = this.term.buffer.active;
    return { x: b.cursorX, y: b.cursorY };
  }

  /** False after the guest sent DECTCEM reset (`ESC[?25l`). */
  get cursorVisible(): boolean {
    return !this.cursorHidden;
  }

  /**
   * Parses guest output, in order with earlier writes; resolves once this chunk is parsed. Bytes are UTF-8 (a
   * sequence split across writes is joined); the array is not copied, so do not reuse it before this resolves.
   * A write that finds nothing queued is parsed at once, in the caller's turn (an echo waits for no timer); one
   * behind others is parsed after them, as xterm.js paces a queue (12 ms slices).
   */
  write(data: Uint8Array | string): Promise<void> {
    if (this.disposed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.waiting.delete(done);
        resolve();
      };
      this.waiting.add(done);
      this.writeQueue?.handleUserInput();
      this.term.write(data, done);
    });
  }

  resize(cols: number, rows: number): void {
    if (cols === this.term.cols && rows === this.term.rows) return;
    this.term.resize(cols, rows);
  }

  /**
   * The screen as a VT stream: `scrollback` history lines (all of them by default), the visible rows, modes, the
   * alternate screen if active, the cursor position, its attributes and visibility. Parse pending writes first.
   */
  snapshot(opts: { scrollback?: number } = {}): ScreenSnapshot {
    let data = this.serializer.serialize(opts.scrollback === undefined ? {} : { scrollback: opts.scrollback });
    // SerializeAddon does not carry DECTCEM.
    if (this.cursorHidden) data += '\x1b[?25l';
    return { cols: this.term.cols, rows: this.term.rows, data };
  }

  /** The text of absolute buffer line i (0 is the oldest history line) without trailing blanks; '' out of range. */
  lineText(i: number): string {
    return (this.term.buffer.active.getLine(i)?.translateToString(true) ?? '').replace(/ +$/, '');
  }

  /** The visible rows' text without trailing blanks, top to bottom. */
  visibleText(): string[] {
    const base = this.term.buffer.active.baseY;
    return Array.from({ length: this.term.rows }, (_, y) => this.lineText(base + y));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const h of this.hooks) h.dispose();
    this.queryReply.dispose();
    this.term.dispose();
    // Writes still queued will never be parsed: release whoever waits on them.
    for (const done of [...this.waiting]) done();
  }

  /**
   * The public API does not expose DECTCEM, so follow it with parser hooks that pass every sequence on (return
   * false). RIS also shows the cursor here, as on a VT (xterm.js keeps it hidden).
   */
  private trackCursorVisibility(): void {
    const has25 = (params: (number | number[])[]) => params.some((p) => p === 25);
    const { parser } = this.term;
    this.hooks.push(
      parser.registerCsiHandler({ prefix: '?', final: 'h' }, (params) => {
        if (has25(params)) this.cursorHidden = false;
        return false;
      }),
      parser.registerCsiHandler({ prefix: '?', final: 'l' }, (params) => {
        if (has25(params)) this.cursorHidden = true;
        return false;
      }),
      parser.registerCsiHandler({ intermediates: '!', final: 'p' }, () => {
        this.cursorHidden = false;
        return false;
      }),
      parser.registerEscHandler({ final: 'c' }, () => {
        this.cursorHidden = false;
        return false;
      }),
    );
  }
}
