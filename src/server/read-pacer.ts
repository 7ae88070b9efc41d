// When a console's output is read from the guest: paused while its model is behind, at most NEIGHBOUR_RATE while
// someone types into another console, and not at all for ECHO_HOLD_MS after each such keystroke if it is busy
// (typing-priority.ts). A paused read is backpressure, not loss: the guest's console write waits (UML retries it when
// the socket drains) and its writer blocks, as on a slow serial line.

import type { Disposable } from '../core/disposable.js';
import type { TypingPriority, Yielder } from './typing-priority.js';

/** Bytes per second a console is read at while another console is being typed into (tmux's split neighbour: 6-11 MB/s). */
export const NEIGHBOUR_RATE = Number(process.env['UMUX_LAB_NEIGHBOUR_RATE']) || 4 * 1024 * 1024; // LAB: remove env
/** What a capped console may read at once after a quiet spell (one read from the socket is up to 64 KiB). */
const NEIGHBOUR_BURST = 64 * 1024;
/** After a keystroke into another console, a busy console is not read for this long: the echo's turn. */
export const ECHO_HOLD_MS = process.env['UMUX_LAB_ECHO_HOLD_MS'] !== undefined ? Number(process.env['UMUX_LAB_ECHO_HOLD_MS']) : 15; // LAB
/** A console that read within this long is busy (an idle one is not paused and resumed for every keystroke). */
const BUSY_MS = 100;

type Reason = 'model' | 'rate';

export class ReadPacer implements Disposable, Yielder {
  private readonly holds = new Set<Reason>();
  /** Bytes the console may still read before the cap pauses it (a token bucket, refilled at NEIGHBOUR_RATE). */
  private credit = NEIGHBOUR_BURST;
  private lastRead = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  private timerEnd = 0;
  private disposed = false;

  constructor(
    private readonly io: { pause?: () => void; resume?: () => void },
    private readonly typing: TypingPriority | undefined,
    readonly key: object,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (typing && io.pause) typing.join(this);
  }

  /** `bytes` were read from the guest: past the credit of a console that yields, reading pauses until it refills. */
  took(bytes: number): void {
    if (!this.typing || !this.io.pause || this.disposed) return;
    const now = this.now();
    this.credit = Math.min(NEIGHBOUR_BURST, this.credit + ((now - this.lastRead) * NEIGHBOUR_RATE) / 1000);
    this.lastRead = now;
    if (!this.typing.yields(this.key)) return;
    this.credit -= bytes;
    if (this.credit < 0) this.pauseFor(Math.ceil((-this.credit * 1000) / NEIGHBOUR_RATE));
  }

  standBack(): void {
    if (ECHO_HOLD_MS > 0 && this.now() - this.lastRead < BUSY_MS) this.pauseFor(ECHO_HOLD_MS);
  }

  /** No reading for `ms` (or longer, if already paused past that) for the cap. */
  private pauseFor(ms: number): void {
    if (this.disposed) return;
    const end = this.now() + ms;
    if (this.timer && this.timerEnd >= end) return;
    clearTimeout(this.timer);
    this.hold('rate');
    this.timerEnd = end;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.release('rate');
    }, ms);
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
    this.typing?.leave(this);
  }
}
