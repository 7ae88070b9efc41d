// LiveScreen, the stream-to-screen part of umux attach and the TUI's panes: the snapshot first, then live bytes;
// a fresh snapshot replaces the model; following another stream drops the old one's bytes; dispose stops painting.

import { describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../../src/core/emitter.js';
import type { ScreenSnapshotWire } from '../../../src/protocol/wire-messages.js';
import { LiveScreen } from '../../../src/term/live-screen.js';

class FakeStream {
  readonly data = new Emitter<Uint8Array>();
  readonly snaps = new Emitter<ScreenSnapshotWire>();
  readonly onData = this.data.event;
  readonly onSnapshot = this.snaps.event;
  constructor(readonly snapshot: ScreenSnapshotWire) {}
  send(text: string): void {
    this.data.fire(new TextEncoder().encode(text));
  }
}

const snap = (data: string): ScreenSnapshotWire => ({ cols: 20, rows: 3, data });
const paints = () => new Promise((r) => setTimeout(r, 60));

describe('LiveScreen', () => {
  it('builds the model from the snapshot, then the bytes, and asks for a paint', async () => {
    const stream = new FakeStream(snap('login: '));
    const paint = vi.fn();
    const live = new LiveScreen(stream, paint);
    stream.send('root');
    await paints();
    expect(live.screen.visibleText()[0]).toBe('login: root');
    expect(paint).toHaveBeenCalled();
    live.dispose();
  });

  it('replaces the model with a fresh snapshot and says so', async () => {
    const stream = new FakeStream(snap('old'));
    const replaced = vi.fn();
    const live = new LiveScreen(stream, () => undefined, replaced);
    stream.snaps.fire(snap('new'));
    await paints();
    expect(replaced).toHaveBeenCalledTimes(1);
    expect(live.screen.visibleText()[0]).toBe('new');
    live.dispose();
  });

  it('follows another stream from its snapshot and no longer hears the old one', async () => {
    const first = new FakeStream(snap('one'));
    const live = new LiveScreen(first, () => undefined);
    const second = new FakeStream(snap('two'));
    live.follow(second);
    first.send(' stale');
    second.send(' live');
    await paints();
    expect(live.screen.visibleText()[0]).toBe('two live');
    live.dispose();
  });

  it('paints nothing once disposed', async () => {
    const stream = new FakeStream(snap(''));
    const paint = vi.fn();
    const live = new LiveScreen(stream, paint);
    await paints();
    paint.mockClear();
    live.dispose();
    stream.send('more');
    live.schedule();
    await paints();
    expect(paint).not.toHaveBeenCalled();
  });
});
