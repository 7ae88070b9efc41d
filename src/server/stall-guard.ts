// The stall guard of DESIGN.md §2 for console paths through a host pty: UML's output to a pty can stop after a burst
// until the guest's next interrupt (findings §1, §5), so output that stops short gets one cheap MConsole request.

import type { Disposable } from '../core/disposable.js';

/**
 * Output that stops for this long after flowing gets one nudge. Every stall costs this much: with a 20 MB flood
 * through a pty (npm run bench consoles) 100 ms gave 0.33-0.41 of the socketpair's rate, 20 ms gave 0.50, longest gap
 * 89 ms. A nudge is one MConsole `version` (about 0.04 ms), so an idle console pays one per burst of output.
 */
export const STALL_NUDGE_MS = 20;

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
