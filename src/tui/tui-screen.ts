// The admin's terminal as blessed draws it: one screen, drawn at most once a turn of the event loop however many
// parts asked (one frame for the whole screen), counted (the bench), wrapped in synchronized output where the
// terminal has it; a widget that cannot draw at this size is reported once, never fatal; once disposed nothing draws.

import blessed from './blessed-lite.js';
import type { Widgets } from 'blessed';
import type { Disposable } from '../core/disposable.js';
import { Emitter, type Event } from '../core/emitter.js';
import { reachedStep, startStep } from './start-times.js';
import { SYNC_BEGIN, SYNC_END, SYNC_QUERY, SYNC_REPLY_MS } from './sync-output.js';

/** blessed's program buffers what a turn writes (`_buf`) and flushes it on the next tick. */
interface ProgramOutput {
  _write(text: string): unknown;
  _buf: string;
  flush(): void;
}

/**
 * Makes the screen as blessed would, but without the `tmux -V` it runs synchronously when TMUX is set (a process
 * spawned before the first paint: 5-600 ms, by the host's load). blessed only asks whether tmux is 2 or later (for
 * all-motion mouse reports), as every tmux of the last ten years is: it is told so.
 */
function withoutTmuxProbe(make: () => Widgets.Screen): Widgets.Screen {
  const tmux = process.env['TMUX'];
  if (tmux === undefined) return make();
  delete process.env['TMUX'];
  try {
    const screen = make();
    Object.assign(screen.program, { tmux: true, tmuxVersion: 2 });
    return screen;
  } finally {
    process.env['TMUX'] = tmux;
  }
}

export class TuiScreen implements Disposable {
  readonly blessed: Widgets.Screen;
  renders = 0;
  private failures = 0;
  private disposed = false;
  private frame: NodeJS.Immediate | undefined;
  private syncTimer: NodeJS.Timeout | undefined;
  /** Undefined until the terminal answered the query (or the wait ended: false). */
  private sync: boolean | undefined;
  private readonly drawFailed = new Emitter<string>();
  /** A draw failed (said once, on the next turn: the status line draws too). */
  readonly onDrawFailed: Event<string> = this.drawFailed.event;

  constructor() {
    this.blessed = withoutTmuxProbe(() =>
      blessed.screen({ smartCSR: true, fullUnicode: true, forceUnicode: true, title: 'umux', autoPadding: false, warnings: false, dockBorders: true }),
    );
    // Unicode line drawing, not the alternate character set: it copies and captures as what it looks like.
    (this.blessed as unknown as { tput: { brokenACS: boolean } }).tput.brokenACS = true;
  }

  get closed(): boolean {
    return this.disposed;
  }

  get width(): number {
    return Number(this.blessed.width);
  }

  get height(): number {
    return Number(this.blessed.height);
  }

  /** Whether frames go out as synchronized output (after the terminal said it has it). */
  get synchronized(): boolean {
    return this.sync === true;
  }

  /** Asks the terminal whether it has synchronized output; the input router hands the reply to syncReply. */
  querySync(): void {
    if (this.disposed || this.sync !== undefined || this.syncTimer) return;
    (this.blessed.program as unknown as ProgramOutput)._write(SYNC_QUERY);
    this.syncTimer = setTimeout(() => {
      this.syncTimer = undefined;
      this.sync ??= false;
    }, SYNC_REPLY_MS);
  }

  /** The terminal's reply to querySync (a late one still counts). */
  syncReply(supported: boolean): void {
    clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    this.sync = supported;
  }

  /** Asks for a frame (an arrow: handed to every part that draws); every ask in this turn makes one. */
  readonly repaint = (): void => {
    if (this.disposed) return;
    this.frame ??= setImmediate(this.draw);
  };

  /** Draws what changed: each part's cells into blessed's buffer, then blessed sends the cells that differ. */
  private readonly draw = (): void => {
    this.frame = undefined;
    if (this.disposed) return;
    const program = this.blessed.program as unknown as ProgramOutput;
    try {
      this.renders++;
      this.blessed.render();
    } catch (err) {
      // A widget that cannot draw at this size must not take the TUI (and the admin's terminal) down with it.
      if (this.failures++ === 0) setImmediate(() => this.drawFailed.fire(`could not draw: ${(err as Error).message}`));
    }
    // The frame is what blessed buffered this turn (its draw and the cursor after it): out now, in one write.
    if (program._buf && this.sync) program._buf = `${SYNC_BEGIN}${program._buf}${SYNC_END}`;
    program.flush();
    if (reachedStep('pane')) startStep('painted');
  };

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.frame) clearImmediate(this.frame);
    this.frame = undefined;
    clearTimeout(this.syncTimer);
    this.drawFailed.dispose();
    this.blessed.destroy();
  }
}
