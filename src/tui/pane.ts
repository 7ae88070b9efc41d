// One console pane's live view: an attached stream turned into a terminal model (term/live-screen.ts, shared with
// `umux attach`), its rows turned into blessed cells at a capped frame rate and written straight into blessed's
// screen buffer when the box draws (no markup between, never raw bytes); blessed's draw sends what changed.

import type { Widgets } from 'blessed';
import type { Disposable } from '../core/disposable.js';
import type { ConsoleStream } from '../client/session.js';
import { LiveScreen } from '../term/live-screen.js';
import { PacedFeed } from './paced-feed.js';
import { rowCells, type BlessedCell } from './cells.js';
import { startStep } from './start-times.js';
import type { BoxCoords, CellPart } from './tui-screen.js';

/** What pane.ts uses of a blessed box beyond its typings: the inner area's offsets, its attribute, the fill switch. */
interface CellBox {
  ileft: number;
  itop: number;
  iright: number;
  ibottom: number;
  _noFill?: boolean;
  sattr(style: unknown): number;
  style: unknown;
  screen: { lines: Array<Array<[number, string]> & { dirty?: boolean }> };
}

export class ConsolePane implements Disposable, CellPart {
  private readonly live: LiveScreen;
  /** The stream's bytes, paced while the pane is in the background (not focused, or hidden). */
  private readonly feed: PacedFeed;
  private disposed = false;
  private isFrozen = false;
  /** The model's visible rows as blessed cells, as of the last paint; the box's attribute they were made with. */
  private readonly rows: BlessedCell[][] = [];
  private base = 0;
  frames = 0;
  /** Frames painted by every pane of this process (UMUX_TUI_STATS, the bench). */
  static totalFrames = 0;

  constructor(
    readonly stream: ConsoleStream,
    readonly box: Widgets.BoxElement,
    /** Asks for a frame; told this pane, whose cells alone changed (the screen may draw just its rows). */
    private readonly repaint: (part: CellPart) => void,
    private readonly colors: boolean,
  ) {
    this.feed = new PacedFeed(stream);
    this.live = new LiveScreen(this.feed, () => this.paint());
    this.cellBox._noFill = true;
    box.on('render', this.onRender);
  }

  private get cellBox(): CellBox {
    return this.box as unknown as CellBox;
  }

  /** While the pane shows its scrollback, the model keeps up but nothing is painted (the box shows its content). */
  get frozen(): boolean {
    return this.isFrozen;
  }

  set frozen(on: boolean) {
    this.isFrozen = on;
    this.cellBox._noFill = !on;
    if (!on) this.schedule();
  }

  /** Not the focused pane (or hidden): its bytes are paced so a flood here never delays the focused pane's echo. */
  set background(on: boolean) {
    this.feed.background = on;
  }

  /** Paints soon: at once after a quiet spell, else at the next frame slot (FrameClock). */
  schedule(): void {
    if (!this.disposed) this.live.schedule();
  }

  /** The visible text of the model (for tests and search). */
  text(): string[] {
    return this.live.screen.visibleText();
  }

  /** The model's rows that fit the box, as cells; the screen draws them on its next frame. */
  private paint(): void {
    if (this.disposed || this.isFrozen) return;
    const screen = this.live.screen;
    const b = this.cellBox;
    const width = Math.max(1, Math.min(Number(this.box.width) - b.ileft - b.iright, screen.cols));
    const height = Math.max(1, Math.min(Number(this.box.height) - b.itop - b.ibottom, screen.rows));
    const buffer = screen.buffer;
    const cell = buffer.getNullCell();
    const cursor = screen.cursor;
    this.base = b.sattr(b.style);
    // Show the bottom of the guest's screen when the pane is shorter than it.
    const skip = Math.max(0, Math.min(screen.rows - height, cursor.y - height + 1));
    const rows = this.rows;
    rows.length = height;
    for (let y = skip; y < skip + height; y++) {
      const at = y === cursor.y && screen.cursorVisible ? { cursor: cursor.x } : {};
      rows[y - skip] = rowCells(buffer.getLine(buffer.baseY + y), width, cell, { colors: this.colors, base: this.base, ...at }, rows[y - skip]);
    }
    this.frames++;
    ConsolePane.totalFrames++;
    startStep('pane');
    this.repaint(this);
  }

  /** After the box drew its border (and no content: _noFill), the cells go into its inner area; blanks past them. */
  private readonly onRender = (coords: BoxCoords): void => this.fill(coords);

  /** The cells of the last paint into blessed's buffer, inside the box drawn at `coords`; blanks past them. */
  fill(coords: BoxCoords): void {
    if (this.disposed || this.isFrozen) return;
    const b = this.cellBox;
    const lines = b.screen.lines;
    const x0 = coords.xi + b.ileft;
    const x1 = coords.xl - b.iright;
    const y0 = coords.yi + b.itop;
    const y1 = coords.yl - b.ibottom;
    for (let y = y0; y < y1; y++) {
      const line = lines[y];
      if (!line) break;
      const row = this.rows[y - y0];
      for (let x = x0; x < x1 && x < line.length; x++) {
        const c = row?.[x - x0];
        const attr = c ? c[0] : this.base;
        const ch = c ? c[1] : ' ';
        const dst = line[x]!;
        if (dst[0] !== attr || dst[1] !== ch) {
          dst[0] = attr;
          dst[1] = ch;
          line.dirty = true;
        }
      }
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.box.removeListener('render', this.onRender);
    this.cellBox._noFill = false;
    this.live.dispose();
    this.feed.dispose();
    this.stream.dispose();
  }
}
