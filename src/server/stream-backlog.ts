// Each console stream's own bytes still queued on one client's socket (server-client.ts), so lag is decided per
// stream: a flooding console lags (and is resynced with a snapshot once its bytes have left) while a quiet one's
// echo goes out at once, never held back because a neighbour filled the connection (tmux server-client.c does the same).

/** Bytes of one stream queued unsent on the socket beyond which that stream is lagging, whatever else waits. */
export const STREAM_LAG_LIMIT = 64 * 1024;
/** Bytes queued on the socket in all (streams, replies, snapshots) beyond which only quiet streams may add more. */
export const CONNECTION_LAG_LIMIT = 256 * 1024;
/** A stream with at most this much queued is quiet: its bytes go out even on a full connection (an echo, a prompt). */
export const QUIET_BYTES = 16 * 1024;

export class StreamBacklog {
  private readonly queued = new Map<number, number>();
  private readonly waiters = new Map<number, Array<() => void>>();

  /** Bytes of `stream` written to the socket whose write callback has not come yet. */
  of(stream: number): number {
    return this.queued.get(stream) ?? 0;
  }

  /**
   * May `stream` queue more bytes now, with `total` bytes waiting on the socket? No when its own queue is past
   * STREAM_LAG_LIMIT, or the connection's past CONNECTION_LAG_LIMIT and this stream is not quiet. Its own queue is
   * at most the total: a write the kernel took at once leaves nothing queued, though its callback comes a tick later.
   */
  fits(stream: number, total: number): boolean {
    const own = Math.min(this.of(stream), total);
    if (own > STREAM_LAG_LIMIT) return false;
    return total <= CONNECTION_LAG_LIMIT || own <= QUIET_BYTES;
  }

  /** `bytes` of `stream` were written to the socket. */
  add(stream: number, bytes: number): void {
    this.queued.set(stream, this.of(stream) + bytes);
  }

  /** `bytes` of `stream` left the socket (its write callback): once none are left, whoever waited is called. */
  sent(stream: number, bytes: number): void {
    const left = this.of(stream) - bytes;
    if (left > 0) {
      this.queued.set(stream, left);
      return;
    }
    this.queued.delete(stream);
    const waiting = this.waiters.get(stream);
    this.waiters.delete(stream);
    for (const fn of waiting ?? []) fn();
  }

  /** Calls `fn` once no byte of `stream` is queued (on a later microtask when none is now). */
  whenDrained(stream: number, fn: () => void): void {
    if (this.of(stream) === 0) {
      queueMicrotask(fn);
      return;
    }
    const list = this.waiters.get(stream);
    if (list) list.push(fn);
    else this.waiters.set(stream, [fn]);
  }

  /** The stream is gone: its count and waiters are dropped (its queued bytes still leave, uncounted). */
  forget(stream: number): void {
    this.queued.delete(stream);
    this.waiters.delete(stream);
  }

  /** The connection is gone: nothing is counted and no waiter is called. */
  clear(): void {
    this.queued.clear();
    this.waiters.clear();
  }
}
