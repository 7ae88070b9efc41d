// Progress messages of long requests (a backup): the one line shown for them, and the check of what came.

import { describe, expect, it } from 'vitest';
import { formatDuration, formatProgress, isProgress } from '../../../src/protocol/progress.js';

describe('formatProgress', () => {
  it('says bytes done of the total, the percentage, the rate and how long the guest has been paused', () => {
    expect(formatProgress({ what: 'backup ubdb', done: 1288490189, total: 4294967296, rateBps: 262144000, pausedMs: 5400 })).toBe(
      'backup ubdb: 1.2 GiB of 4 GiB (30%), 250 MiB/s, guest paused 5s',
    );
    expect(formatProgress({ what: 'backup of g1', done: 0, total: 0, rateBps: 0 })).toBe('backup of g1: 0 B of 0 B (100%), 0 B/s');
  });

  it('writes durations short', () => {
    expect([formatDuration(850), formatDuration(5999), formatDuration(125_000)]).toEqual(['850ms', '5s', '2m05s']);
  });
});

describe('isProgress', () => {
  it('takes a well-formed message and refuses numbers that are not', () => {
    expect(isProgress({ what: 'backup ubdb', done: 1, total: 2, rateBps: 3 })).toBe(true);
    expect(isProgress({ what: 'backup ubdb', done: 1, total: 2, rateBps: 3, pausedMs: 4 })).toBe(true);
    expect(isProgress({ what: 'x', done: -1, total: 2, rateBps: 3 })).toBe(false);
    expect(isProgress({ what: 'x', done: '1', total: 2, rateBps: 3 })).toBe(false);
    expect(isProgress({ what: 'x', done: 1, total: 2, rateBps: Infinity })).toBe(false);
    expect(isProgress(null)).toBe(false);
  });
});
