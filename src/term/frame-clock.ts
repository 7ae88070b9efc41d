// When to paint a console view: at once, in the caller's turn, after a quiet spell (an echo is never held back),
// else at the next frame slot, so a flood costs at most one paint per frame. Shared by the TUI's panes and attach.

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

  /** Asks for a paint: now when the last one is a frame ago (no timer hop for an echo), else one at the next slot. */
  request(): void {
    if (this.disposed || this.timer) return;
    const wait = this.lastPaint + this.frameMs - Date.now();
    if (wait <= 0) return this.paintNow();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.paintNow();
    }, wait);
  }

  private paintNow(): void {
    this.lastPaint = Date.now();
    this.paint();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
