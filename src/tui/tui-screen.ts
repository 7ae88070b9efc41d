// The admin's terminal as blessed draws it: one screen, drawn on request and counted (the bench); a widget that
// cannot draw at this size is reported once, never fatal; once disposed nothing draws.

import blessed from 'blessed';
import type { Widgets } from 'blessed';
import type { Disposable } from '../core/disposable.js';
import { Emitter, type Event } from '../core/emitter.js';

export class TuiScreen implements Disposable {
  readonly blessed: Widgets.Screen;
  renders = 0;
  private failures = 0;
  private disposed = false;
  private readonly drawFailed = new Emitter<string>();
  /** A draw failed (said once, on the next turn: the status line draws too). */
  readonly onDrawFailed: Event<string> = this.drawFailed.event;

  constructor() {
    this.blessed = blessed.screen({ smartCSR: true, fullUnicode: true, forceUnicode: true, title: 'umux', autoPadding: false, warnings: false, dockBorders: true });
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

  /** Draws what changed (an arrow: handed to every part that draws). */
  readonly repaint = (): void => {
    if (this.disposed) return;
    try {
      this.renders++;
      this.blessed.render();
    } catch (err) {
      // A widget that cannot draw at this size must not take the TUI (and the admin's terminal) down with it.
      if (this.failures++ === 0) setImmediate(() => this.drawFailed.fire(`could not draw: ${(err as Error).message}`));
    }
  };

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.drawFailed.dispose();
    this.blessed.destroy();
  }
}
