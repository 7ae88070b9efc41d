// One console pane: an attached stream, a local terminal model built from the server's snapshot and the live
// bytes, painted into a blessed box as cells at a capped frame rate (never once per chunk, never raw bytes).

import type { Widgets } from 'blessed';
import type { Disposable } from '../core/disposable.js';
import type { ConsoleStream } from '../client/session.js';
import type { ScreenSnapshotWire } from '../protocol/wire-messages.js';
import { Screen } from '../term/screen.js';
import { rowMarkup } from './cells.js';
import { FrameClock } from '../term/frame-clock.js';


export class ConsolePane implements Disposable {
  private screen: Screen;
  private readonly clock = new FrameClock(() => this.paint());
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
    this.screen = this.fromSnapshot(stream.snapshot);
    stream.onData((bytes) => void this.screen.write(bytes).then(() => this.schedule()));
    stream.onSnapshot((snap) => {
      this.screen.dispose();
      this.screen = this.fromSnapshot(snap);
    });
  }

  private fromSnapshot(snap: ScreenSnapshotWire): Screen {
    const screen = new Screen({ cols: snap.cols, rows: snap.rows, scrollback: 0 });
    void screen.write(snap.data).then(() => this.schedule());
    return screen;
  }

  /** Paints soon: at once after a quiet spell, else at the next frame slot (FrameClock). */
  schedule(): void {
    if (!this.disposed) this.clock.request();
  }

  /** The visible text of the model (for tests and search). */
  text(): string[] {
    return this.screen.visibleText();
  }

  private paint(): void {
    if (this.disposed || this.frozen) return;
    const width = Math.max(1, Math.min(Number(this.box.width) - 2, this.screen.cols));
    const height = Math.max(1, Math.min(Number(this.box.height) - 2, this.screen.rows));
    const buffer = this.screen.buffer;
    const cell = buffer.getNullCell();
    const cursor = this.screen.cursor;
    // Show the bottom of the guest's screen when the pane is shorter than it.
    const skip = Math.max(0, Math.min(this.screen.rows - height, cursor.y - height + 1));
    const lines: string[] = [];
    for (let y = skip; y < skip + height; y++) {
      const line = buffer.getLine(buffer.baseY + y);
      lines.push(rowMarkup(line, width, cell, { colors: this.colors, ...(y === cursor.y && this.screen.cursorVisible ? { cursor: cursor.x } : {}) }));
    }
    this.box.setContent(lines.join('\n'));
    this.frames++;
    ConsolePane.totalFrames++;
    this.repaint();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.clock.dispose();
    this.stream.dispose();
    this.screen.dispose();
  }
}
