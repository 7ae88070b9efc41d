// The admin's terminal as blessed draws it: one screen, drawn at most once a turn of the event loop however many
// parts asked (one frame for the whole screen; a frame where only panes' cells changed draws just their rows),
// counted (the bench), wrapped in synchronized output where the terminal has it; a widget that cannot draw at this
// size is reported once, never fatal; once disposed nothing draws.

import blessed from './blessed-lite.js';
import type { Widgets } from 'blessed';
import type { Disposable } from '../core/disposable.js';
import { Emitter, type Event } from '../core/emitter.js';
import { reachedStep, startStep } from './start-times.js';
import { SYNC_BEGIN, SYNC_END, SYNC_QUERY, SYNC_REPLY_MS } from './sync-output.js';

/** A box whose inner cells a part writes itself (a console pane): drawn alone when only they changed. */
export interface CellPart {
  readonly box: Widgets.BoxElement;
  /** Writes the part's cells into blessed's screen buffer inside `coords` (the box as last laid out). */
  fill(coords: BoxCoords): void;
}

export interface BoxCoords {
  xi: number;
  xl: number;
  yi: number;
  yl: number;
}

/** What the partial frame reads of a blessed element beyond its typings: where it was last drawn, its draw order. */
interface Laid {
  lpos?: BoxCoords;
  index: number;
  visible: boolean;
  aleft: number;
  atop: number;
  width: number | string;
  height: number | string;
}

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
  /** Of those, frames that drew only panes' rows (drawCellsOnly). */
  paneOnlyRenders = 0;
  private failures = 0;
  private disposed = false;
  private frame: NodeJS.Immediate | undefined;
  /** This turn's frame: the whole screen (any part but a pane's cells changed), or only these parts' boxes. */
  private whole = false;
  private readonly cellParts = new Set<CellPart>();
  private syncTimer: NodeJS.Timeout | undefined;
  /** Undefined until the terminal answered the query (or the wait ended: false). */
  private sync: boolean | undefined;
  private readonly drawFailed = new Emitter<string>();
  /** A draw failed (said once, on the next turn: the status line draws too). */
  readonly onDrawFailed: Event<string> = this.drawFailed.event;

  /** `io`: the terminal's streams (default the process's stdin and stdout; tests give their own). */
  constructor(io?: { input: NodeJS.ReadableStream; output: NodeJS.WritableStream; terminal: string }) {
    this.blessed = withoutTmuxProbe(() =>
      blessed.screen({ smartCSR: true, fullUnicode: true, forceUnicode: true, title: 'umux', autoPadding: false, warnings: false, dockBorders: true, ...(io as object) }),
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
    this.whole = true;
    this.frame ??= setImmediate(this.draw);
  };

  /** Asks for a frame in which only `part`'s cells changed (a pane's new output: an echo, a flood's next rows). */
  readonly repaintCells = (part: CellPart): void => {
    if (this.disposed) return;
    this.cellParts.add(part);
    this.frame ??= setImmediate(this.draw);
  };

  /**
   * Draws only the parts' rows when nothing else changed and nothing lies over them: blessed's full render walks
   * every widget and every cell of the screen (most of an echo's frame), though only the pane's cells differ.
   */
  private drawCellsOnly(): boolean {
    const parts = [...this.cellParts];
    this.cellParts.clear();
    if (this.whole) return false;
    const spots = parts.map((p) => ({ p, at: this.placed(p.box) }));
    if (spots.some((s) => s.at === undefined)) return false;
    for (const { p, at } of spots) p.fill(at!);
    for (const { at } of spots) this.blessed.draw(at!.yi, at!.yl - 1);
    this.paneOnlyRenders++;
    return true;
  }

  /** Where `box` was last drawn, if it is still there and no widget drawn after it overlaps it. */
  private placed(box: Widgets.BoxElement): BoxCoords | undefined {
    const b = box as unknown as Laid;
    const at = b.lpos;
    if (!at || !b.visible || at.xi !== b.aleft || at.yi !== b.atop || at.xl - at.xi !== Number(b.width) || at.yl - at.yi !== Number(b.height)) return undefined;
    for (const child of this.blessed.children as unknown as Laid[]) {
      const o = child.lpos;
      if (child === b || child.index <= b.index || !child.visible || !o) continue;
      if (o.xi < at.xl && at.xi < o.xl && o.yi < at.yl && at.yi < o.yl) return undefined;
    }
    return at;
  }

  /** Draws what changed: each part's cells into blessed's buffer, then blessed sends the cells that differ. */
  private readonly draw = (): void => {
    this.frame = undefined;
    if (this.disposed) return;
    const program = this.blessed.program as unknown as ProgramOutput;
    try {
      this.renders++;
      if (!this.drawCellsOnly()) this.blessed.render();
      this.whole = false;
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
