// A pane's feed: the focused pane's bytes pass at once; a background pane's are paced, and a flood past the backlog
// is dropped for one fresh snapshot (the bytes until it comes are dropped too).
import { describe, expect, it } from 'vitest';
import { Emitter } from '../../../src/core/emitter.js';
import type { ScreenSnapshotWire } from '../../../src/protocol/wire-messages.js';
import { BACKGROUND_BACKLOG, BACKGROUND_CHUNK, PacedFeed } from '../../../src/tui/paced-feed.js';

function source() {
  const data = new Emitter<Uint8Array>();
  const snaps = new Emitter<ScreenSnapshotWire>();
  const src = { snapshot: { cols: 80, rows: 24, data: '' }, onData: data.event, onSnapshot: snaps.event, resyncs: 0, resync: () => src.resyncs++ };
  return { src, data, snaps };
}

const turn = () => new Promise((r) => setImmediate(r));

describe('PacedFeed', () => {
  it('passes the focused pane’s bytes on at once', () => {
    const { src, data } = source();
    const feed = new PacedFeed(src);
    const got: number[] = [];
    feed.onData((b) => got.push(b.length));
    data.fire(new Uint8Array(300_000));
    expect(got).toEqual([300_000]);
    feed.dispose();
  });

  it('gives a background pane at most a chunk a turn, and all of it in the end', async () => {
    const { src, data } = source();
    const feed = new PacedFeed(src);
    feed.background = true;
    const got: number[] = [];
    feed.onData((b) => got.push(b.length));
    data.fire(new Uint8Array(3 * BACKGROUND_CHUNK + 10));
    expect(got).toEqual([]);
    await turn();
    expect(got).toEqual([BACKGROUND_CHUNK]);
    for (let i = 0; i < 10; i++) await turn();
    expect(got.reduce((a, b) => a + b, 0)).toBe(3 * BACKGROUND_CHUNK + 10);
    expect(Math.max(...got)).toBe(BACKGROUND_CHUNK);
    feed.dispose();
  });

  it('drops a background flood past its backlog for one snapshot, and takes bytes again after it', async () => {
    const { src, data, snaps } = source();
    const feed = new PacedFeed(src);
    feed.background = true;
    const got: number[] = [];
    const fresh: string[] = [];
    feed.onData((b) => got.push(b.length));
    feed.onSnapshot((s) => fresh.push(s.data));
    for (let i = 0; i <= BACKGROUND_BACKLOG / 1024; i++) data.fire(new Uint8Array(1024));
    expect(src.resyncs).toBe(1);
    data.fire(new Uint8Array(5000)); // sent before the server saw the resync: dropped
    for (let i = 0; i < 5; i++) await turn();
    expect(got).toEqual([]);
    expect(src.resyncs).toBe(1);
    snaps.fire({ cols: 80, rows: 24, data: 'fresh' });
    data.fire(new Uint8Array(7));
    await turn();
    expect(fresh).toEqual(['fresh']);
    expect(got).toEqual([7]);
    feed.dispose();
  });

  it('hands what it holds on at once when the pane comes to the front', () => {
    const { src, data } = source();
    const feed = new PacedFeed(src);
    feed.background = true;
    const got: number[] = [];
    feed.onData((b) => got.push(b.length));
    data.fire(new Uint8Array(100));
    data.fire(new Uint8Array(200));
    feed.background = false;
    expect(got).toEqual([100, 200]);
    data.fire(new Uint8Array(3));
    expect(got).toEqual([100, 200, 3]);
    feed.dispose();
  });
});
