// A console stream as a pane's live screen takes it: the focused pane's bytes pass at once; a background pane's (not
// focused, or hidden) are handed on at most BACKGROUND_CHUNK a turn and BACKGROUND_FRAME_BYTES a frame, so a
// flooding neighbour never keeps the TUI from reading the keyboard and drawing the focused pane's echo. Past
// BACKGROUND_BACKLOG the held bytes are dropped and the server asked for a fresh snapshot (as it does itself for a
// stream that falls behind); the server's log keeps every byte.

import type { Disposable } from '../core/disposable.js';
import { Emitter, type Event } from '../core/emitter.js';
import type { ScreenSnapshotWire } from '../protocol/wire-messages.js';
import type { ScreenFeed } from '../term/live-screen.js';
import { FRAME_MS } from '../term/frame-clock.js';

/** Bytes a background pane's model is given per turn of the event loop (each parsed in about a millisecond). */
export const BACKGROUND_CHUNK = 16 * 1024;
/** Bytes a background pane's model is given per frame: a flood beyond this is shown by snapshots instead. */
export const BACKGROUND_FRAME_BYTES = 128 * 1024;
/** Bytes held for a background pane beyond which they are dropped for a fresh snapshot. */
export const BACKGROUND_BACKLOG = 256 * 1024;

/** What the feed needs of an attached console (client/ConsoleStream has it). */
export interface PacedSource extends ScreenFeed {
  /** Asks the server for a fresh snapshot; the bytes until it comes are dropped here. */
  resync(): void;
}

export class PacedFeed implements ScreenFeed, Disposable {
  private readonly data = new Emitter<Uint8Array>();
  private readonly snapshots = new Emitter<ScreenSnapshotWire>();
  private upstream: Disposable[] = [];
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  /** A snapshot was asked for: bytes are dropped until it comes. */
  private resyncing = false;
  private isBackground = false;
  private turn: NodeJS.Immediate | undefined;
  private frameStart = 0;
  private frameBytes = 0;
  private frameTimer: NodeJS.Timeout | undefined;
  private disposed = false;

  constructor(private readonly source: PacedSource) {}

  get snapshot(): ScreenSnapshotWire {
    return this.source.snapshot;
  }

  /** The first listener starts the flow (bytes that came before it wait in the stream for it). */
  readonly onData: Event<Uint8Array> = (listener) => {
    const sub = this.data.event(listener);
    if (this.upstream.length === 0 && !this.disposed) {
      this.upstream.push(
        this.source.onSnapshot((snap) => this.fresh(snap)),
        this.source.onData((bytes) => this.take(bytes)),
      );
    }
    return sub;
  };

  readonly onSnapshot: Event<ScreenSnapshotWire> = this.snapshots.event;

  get background(): boolean {
    return this.isBackground;
  }

  /** A background pane's bytes are paced; a pane brought to the front gets what is held at once. */
  set background(on: boolean) {
    this.isBackground = on;
    if (!on) this.release(Infinity);
  }

  private take(bytes: Uint8Array): void {
    if (this.disposed || this.resyncing) return;
    if (!this.isBackground && this.heldBytes === 0) {
      this.data.fire(bytes);
      return;
    }
    this.held.push(bytes);
    this.heldBytes += bytes.length;
    if (this.heldBytes > BACKGROUND_BACKLOG) return this.dropForSnapshot();
    this.schedule();
  }

  private dropForSnapshot(): void {
    this.held = [];
    this.heldBytes = 0;
    this.resyncing = true;
    this.source.resync();
  }

  private fresh(snap: ScreenSnapshotWire): void {
    if (this.disposed) return;
    this.held = [];
    this.heldBytes = 0;
    this.resyncing = false;
    this.snapshots.fire(snap);
  }

  /** Hands on the next chunk on a later turn, or at the next frame once this frame's bytes are spent. */
  private schedule(): void {
    if (this.turn || this.frameTimer || this.disposed || this.heldBytes === 0) return;
    const now = Date.now();
    if (now - this.frameStart >= FRAME_MS) {
      this.frameStart = now;
      this.frameBytes = 0;
    }
    if (this.frameBytes >= BACKGROUND_FRAME_BYTES) {
      this.frameTimer = setTimeout(() => {
        this.frameTimer = undefined;
        this.schedule();
      }, this.frameStart + FRAME_MS - now);
      return;
    }
    this.turn = setImmediate(() => {
      this.turn = undefined;
      this.frameBytes += this.release(BACKGROUND_CHUNK);
      this.schedule();
    });
  }

  /** Fires up to `limit` held bytes (a chunk split where needed); returns how many went. */
  private release(limit: number): number {
    let sent = 0;
    while (this.held.length > 0 && sent < limit && !this.disposed) {
      let chunk = this.held[0]!;
      if (chunk.length > limit - sent) {
        this.held[0] = chunk.subarray(limit - sent);
        chunk = chunk.subarray(0, limit - sent);
      } else this.held.shift();
      this.heldBytes -= chunk.length;
      sent += chunk.length;
      this.data.fire(chunk);
    }
    return sent;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.upstream) s.dispose();
    this.upstream = [];
    if (this.turn) clearImmediate(this.turn);
    clearTimeout(this.frameTimer);
    this.held = [];
    this.heldBytes = 0;
    this.data.dispose();
    this.snapshots.dispose();
  }
}
