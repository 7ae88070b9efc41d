// One console pane's live view: an attached stream turned into a terminal model (term/live-screen.ts, shared with
// `umux attach`), painted into a blessed box as cells at a capped frame rate (never once per chunk, never raw bytes).

import type { Widgets } from 'blessed';
import type { Disposable } from '../core/disposable.js';
import type { ConsoleStream } from '../client/session.js';
import { LiveScreen } from '../term/live-screen.js';
import { rowMarkup } from './cells.js';

export class ConsolePane implements Disposable {
  private readonly live: LiveScreen;
  private disposed = false;
  /** While the pane shows its scrollback, the model keeps up but nothing is painted. */
  frozen = false;
  frames = 0;
  /** Frames painted by every pane of this process (UMUX_TUI_STATS, the bench). */
  static totalFrames = 0;

  constructor(
    readonly stream: ConsoleStream,
    private readonly box: Widgets.BoxElement,
    private readonly repaint: () => void,
    private readonly colors: boolean,
  ) {
    this.live = new LiveScreen(stream, () => this.paint());
  }

  /** Paints soon: at once after a quiet spell, else at the next frame slot (FrameClock). */
  schedule(): void {
    if (!this.disposed) this.live.schedule();
  }

  /** The visible text of the model (for tests and search). */
  text(): string[] {
    return this.live.screen.visibleText();
  }

  private paint(): void {
    if (this.disposed || this.frozen) return;
    const screen = this.live.screen;
    const width = Math.max(1, Math.min(Number(this.box.width) - 2, screen.cols));
    const height = Math.max(1, Math.min(Number(this.box.height) - 2, screen.rows));
    const buffer = screen.buffer;
    const cell = buffer.getNullCell();
    const cursor = screen.cursor;
    // Show the bottom of the guest's screen when the pane is shorter than it.
    const skip = Math.max(0, Math.min(screen.rows - height, cursor.y - height + 1));
    const lines: string[] = [];
    for (let y = skip; y < skip + height; y++) {
      const line = buffer.getLine(buffer.baseY + y);
      lines.push(rowMarkup(line, width, cell, { colors: this.colors, ...(y === cursor.y && screen.cursorVisible ? { cursor: cursor.x } : {}) }));
    }
    this.box.setContent(lines.join('\n'));
    this.frames++;
    ConsolePane.totalFrames++;
    this.repaint();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.live.dispose();
    this.stream.dispose();
  }
}
