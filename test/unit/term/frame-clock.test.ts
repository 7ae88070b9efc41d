// FrameClock: the first paint after a quiet spell comes at once (in the same turn), a burst makes one paint per frame, dispose stops it.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FrameClock } from '../../../src/term/frame-clock.js';

describe('FrameClock', () => {
  beforeEach(() => vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => vi.useRealTimers());

  it('paints at once after a quiet spell, then at most once per frame', () => {
    const paint = vi.fn();
    const clock = new FrameClock(paint, 33);
    clock.request();
    expect(paint).toHaveBeenCalledTimes(1);
    for (let i = 0; i < 10; i++) clock.request();
    vi.advanceTimersByTime(32);
    expect(paint).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(paint).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(500);
    clock.request();
    expect(paint).toHaveBeenCalledTimes(3);
  });

  it('paints nothing more once disposed', () => {
    const paint = vi.fn();
    const clock = new FrameClock(paint, 33);
    clock.request();
    clock.request();
    clock.dispose();
    clock.request();
    vi.advanceTimersByTime(100);
    expect(paint).toHaveBeenCalledTimes(1);
  });
});
