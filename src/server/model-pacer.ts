// A console's output handed to its terminal model one piece per turn of the event loop: the model parses a whole
// write before it yields (then up to 12 ms more), so a flood written at once would hold every other console's echo
// and every client's keystroke behind it. Writes (and empty ones, barriers) resolve in order once parsed.

import type { Disposable } from '../core/disposable.js';

/**
 * Bytes the model is given at a time: a quarter of a millisecond of parsing here (xterm.js parses 60-95 MB/s). The
 * model parses a write that finds it idle in the writer's turn (term/Screen), so a piece costs no timer hop and small
 * pieces no longer cap a console's rate (they did at 16 KiB when each waited for a timer: 11-13 MB/s).
 */
export const MODEL_PIECE = 16 * 1024;

/** What the pacer needs of the model (term/Screen). */
export interface ParsingModel {
  write(data: Uint8Array): Promise<void>;
}

export class ModelPacer implements Disposable {
  private readonly queue: Array<{ bytes: Uint8Array; done: () => void }> = [];
  private busy = false;
  private disposed = false;

  constructor(private readonly model: ParsingModel) {}

  /** Resolves once `bytes` and everything written before are parsed (never, once disposed). */
  write(bytes: Uint8Array): Promise<void> {
    return new Promise((done) => {
      if (this.disposed) return;
      if (bytes.length === 0) this.queue.push({ bytes, done });
      for (let at = 0; at < bytes.length; at += MODEL_PIECE) {
        const end = at + MODEL_PIECE >= bytes.length;
        this.queue.push({ bytes: bytes.subarray(at, at + MODEL_PIECE), done: end ? done : () => undefined });
      }
      this.pump();
    });
  }

  /**
   * Hands on the writes at the head of the queue up to a piece in all (small writes ride along), up to and including
   * the first barrier: nothing after a barrier is parsed before whoever waits on it has run (a snapshot taken there
   * holds exactly the bytes before it).
   */
  private pump(): void {
    if (this.busy || this.disposed || this.queue.length === 0) return;
    this.busy = true;
    let bytes = 0;
    let last: Promise<void> = Promise.resolve();
    while (this.queue.length > 0 && (bytes === 0 || bytes + this.queue[0]!.bytes.length <= MODEL_PIECE)) {
      const next = this.queue.shift()!;
      bytes += next.bytes.length;
      last = this.model.write(next.bytes).then(next.done);
      if (next.bytes.length === 0) break;
    }
    void last.then(() => {
      this.busy = false;
      // The next piece on a later turn: what came from sockets meanwhile is handled first.
      if (this.queue.length > 0) setImmediate(() => this.pump());
    });
  }

  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
  }
}
