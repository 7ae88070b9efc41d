// The per-stream lag bookkeeping of one client connection: each stream judged by its own bytes queued on the socket.
import { describe, expect, it } from 'vitest';
import { CONNECTION_LAG_LIMIT, QUIET_BYTES, STREAM_LAG_LIMIT, StreamBacklog } from '../../../src/server/stream-backlog.js';

describe('StreamBacklog', () => {
  it('lets a stream queue up to its own limit, then calls it lagging until its bytes have left', () => {
    const b = new StreamBacklog();
    b.add(1, STREAM_LAG_LIMIT);
    expect(b.fits(1, STREAM_LAG_LIMIT)).toBe(true);
    b.add(1, 1);
    expect(b.fits(1, STREAM_LAG_LIMIT + 1)).toBe(false);
    b.sent(1, STREAM_LAG_LIMIT + 1);
    expect(b.of(1)).toBe(0);
    expect(b.fits(1, 0)).toBe(true);
  });

  it('keeps a quiet stream going on a connection a flooding neighbour filled', () => {
    const b = new StreamBacklog();
    b.add(1, STREAM_LAG_LIMIT); // the flood
    b.add(2, 10); // an echo
    const total = CONNECTION_LAG_LIMIT + 1; // the flood, replies and a snapshot
    expect(b.fits(2, total)).toBe(true);
    expect(b.fits(1, total)).toBe(false);
    b.add(2, QUIET_BYTES);
    expect(b.fits(2, total)).toBe(false);
  });

  it('counts no more of a stream than the socket holds (writes the kernel took at once)', () => {
    const b = new StreamBacklog();
    b.add(1, 10 * STREAM_LAG_LIMIT); // callbacks not come yet
    expect(b.fits(1, 0)).toBe(true);
    expect(b.fits(1, STREAM_LAG_LIMIT + 1)).toBe(false);
  });

  it('calls whoever waits for a stream once its last byte left, and only for that stream', async () => {
    const b = new StreamBacklog();
    const calls: string[] = [];
    b.add(1, 100);
    b.add(2, 100);
    b.whenDrained(1, () => calls.push('one'));
    b.whenDrained(2, () => calls.push('two'));
    b.sent(1, 60);
    expect(calls).toEqual([]);
    b.sent(1, 40);
    expect(calls).toEqual(['one']);
    b.whenDrained(3, () => calls.push('three')); // nothing queued: on a later microtask
    expect(calls).toEqual(['one']);
    await Promise.resolve();
    expect(calls).toEqual(['one', 'three']);
    b.forget(2);
    b.sent(2, 100);
    expect(calls).toEqual(['one', 'three']);
  });
});
