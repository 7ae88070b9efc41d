// When a console's output is read from the guest: paused while its model is behind, and at most NEIGHBOUR_RATE while
// someone types into another console (typing-priority.ts). A paused read is backpressure, not loss: the guest's
// console write waits (UML retries it when the socket drains) and its writer blocks, as on a slow serial line.

import type { Disposable } from '../core/disposable.js';
import type { TypingPriority } from './typing-priority.js';

/** Bytes per second a console is read at while another console is being typed into (tmux's split neighbour: 6-11 MB/s). */
export const NEIGHBOUR_RATE = 4 * 1024 * 1024;
/** What a capped console may read at once after a quiet spell (one read from the socket is up to 64 KiB). */
const NEIGHBOUR_BURST = 64 * 1024;

type Reason = 'model' | 'rate';

export class ReadPacer implements Disposable {
  private readonly holds = new Set<Reason>();
  /** Bytes the console may still read before the cap pauses it (a token bucket, refilled at NEIGHBOUR_RATE). */
  private credit = NEIGHBOUR_BURST;
  private creditAt = 0;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(
    private readonly io: { pause?: () => void; resume?: () => void },
    private readonly typing: TypingPriority | undefined,
    private readonly key: object,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** `bytes` were read from the guest: past the credit of a console that yields, reading pauses until it refills. */
  took(bytes: number): void {
    if (!this.typing || !this.io.pause || this.disposed) return;
    const now = this.now();
    this.credit = Math.min(NEIGHBOUR_BURST, this.credit + ((now - this.creditAt) * NEIGHBOUR_RATE) / 1000);
    this.creditAt = now;
    if (!this.typing.yields(this.key)) return;
    this.credit -= bytes;
    if (this.credit >= 0 || this.timer) return;
    this.hold('rate');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.release('rate');
    }, Math.ceil((-this.credit * 1000) / NEIGHBOUR_RATE));
  }

  /** Stops reading for `reason` (reads resume once no reason is left). */
  hold(reason: Reason): void {
    if (this.disposed || this.holds.has(reason)) return;
    this.holds.add(reason);
    if (this.holds.size === 1) this.io.pause?.();
  }

  release(reason: Reason): void {
    if (this.disposed || !this.holds.delete(reason)) return;
    if (this.holds.size === 0) this.io.resume?.();
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
