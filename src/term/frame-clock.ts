// When to paint a console view: at once after a quiet spell (an echo is never held back), else at the next frame
// slot, so a flood costs at most one paint per frame. Shared by the TUI's panes and `umux attach`.

import type { Disposable } from '../core/disposable.js';

export const FRAME_MS = 33;

export class FrameClock implements Disposable {
  private timer: NodeJS.Timeout | undefined;
  private lastPaint = 0;
  private disposed = false;

  constructor(
    private readonly paint: () => void,
    private readonly frameMs = FRAME_MS,
  ) {}

  /** Asks for a paint; several asks before it happens make one. */
  request(): void {
    if (this.disposed) return;
    const wait = Math.max(0, this.lastPaint + this.frameMs - Date.now());
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.lastPaint = Date.now();
      this.paint();
    }, wait);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
