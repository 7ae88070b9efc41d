// The stall guard of DESIGN.md §2 for console paths through a host pty: UML's output to a pty can stop after a burst
// until the guest's next interrupt (findings §1, §5), so output that stops short gets one cheap MConsole request.

import type { Disposable } from '../core/disposable.js';

/** Output that stops for this long after flowing gets one nudge. */
export const STALL_NUDGE_MS = 100;

export class StallGuard implements Disposable {
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** Nudges sent so far. */
  nudges = 0;

  constructor(
    /** Sends the guest a cheap MConsole request (`version`). */
    private readonly nudge: () => void,
    private readonly quietMs = STALL_NUDGE_MS,
  ) {}

  /** Output arrived: nudge once if none follows within quietMs. */
  output(): void {
    if (this.disposed) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.nudges++;
      this.nudge();
    }, this.quietMs);
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
  }
}
