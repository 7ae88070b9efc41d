// A console stream turned into a live terminal model: the server's snapshot, then the live bytes, the whole model
// replaced by a fresh snapshot; paints asked for at a capped frame rate (FrameClock). The TUI's panes and `umux attach`.

import type { Disposable } from '../core/disposable.js';
import type { Event } from '../core/emitter.js';
import type { ScreenSnapshotWire } from '../protocol/wire-messages.js';
import { FrameClock } from './frame-clock.js';
import { Screen } from './screen.js';

/** What a live screen needs of an attached console (client/ConsoleStream has it). */
export interface ScreenFeed {
  readonly snapshot: ScreenSnapshotWire;
  readonly onData: Event<Uint8Array>;
  readonly onSnapshot: Event<ScreenSnapshotWire>;
}

export class LiveScreen implements Disposable {
  private model: Screen;
  private readonly clock: FrameClock;
  private subs: Disposable[] = [];
  private disposed = false;

  /** `paint` runs at most once a frame after bytes were parsed; `onReplaced` after a fresh snapshot took the model's place. */
  constructor(
    feed: ScreenFeed,
    paint: () => void,
    private readonly onReplaced: () => void = () => undefined,
  ) {
    this.clock = new FrameClock(paint);
    this.model = this.fromSnapshot(feed.snapshot);
    this.listen(feed);
  }

  /** The model as it is now (a fresh snapshot replaces it: do not keep it). */
  get screen(): Screen {
    return this.model;
  }

  /** Follows another stream of the same console (attached again after a server restart), from its snapshot. */
  follow(feed: ScreenFeed): void {
    this.unlisten();
    this.replace(feed.snapshot);
    this.listen(feed);
  }

  /** Paints soon: at once after a quiet spell, else at the next frame slot. */
  schedule(): void {
    if (!this.disposed) this.clock.request();
  }

  private listen(feed: ScreenFeed): void {
    this.subs.push(
      feed.onData((bytes) => void this.model.write(bytes).then(() => this.schedule())),
      feed.onSnapshot((snap) => this.replace(snap)),
    );
  }

  private unlisten(): void {
    for (const s of this.subs) s.dispose();
    this.subs = [];
  }

  private replace(snap: ScreenSnapshotWire): void {
    this.model.dispose();
    this.model = this.fromSnapshot(snap);
    this.onReplaced();
  }

  private fromSnapshot(snap: ScreenSnapshotWire): Screen {
    const screen = new Screen({ cols: snap.cols, rows: snap.rows, scrollback: 0 });
    void screen.write(snap.data).then(() => this.schedule());
    return screen;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.unlisten();
    this.clock.dispose();
    this.model.dispose();
  }
}
