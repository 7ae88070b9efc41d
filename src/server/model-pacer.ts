// A console's output handed to its terminal model one piece per turn of the event loop: the model parses a whole
// write before it yields (then up to 12 ms more), so a flood written at once would hold every other console's echo
// and every client's keystroke behind it. Writes (and empty ones, used as barriers) resolve in order once parsed.

import type { Disposable } from '../core/disposable.js';

/** Bytes the model is given at a time: under a millisecond of parsing here (xterm.js parses 60-95 MB/s). */
export const MODEL_PIECE = 64 * 1024;

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

  private pump(): void {
    if (this.busy || this.disposed) return;
    const next = this.queue.shift();
    if (!next) return;
    this.busy = true;
    void this.model.write(next.bytes).then(() => {
      next.done();
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
