// SampleHistory as a bounded ring, and sampleHost on this host with guests that are not running or misconfigured,
// and with a TMPDIR that does not exist.

import { describe, expect, it } from 'vitest';
import { sampleHost, SampleHistory } from '../../../src/host/sample.js';

describe('SampleHistory', () => {
  it('keeps the last `capacity` samples, oldest first', () => {
    const h = new SampleHistory<number>(3);
    expect(h.latest()).toBeUndefined();
    expect(h.toArray()).toEqual([]);
    for (const n of [1, 2]) h.push(n);
    expect(h.toArray()).toEqual([1, 2]);
    for (const n of [3, 4, 5]) h.push(n);
    expect(h.length).toBe(3);
    expect(h.toArray()).toEqual([3, 4, 5]);
    expect(h.latest()).toBe(5);
    h.push(6);
    expect(h.toArray()).toEqual([4, 5, 6]);
    expect(h.latest()).toBe(6);
  });

  it('gives a series for graphs and can be cleared', () => {
    const h = new SampleHistory<{ v?: number }>(2);
    h.push({ v: 1 });
    h.push({});
    h.push({ v: 3 });
    expect(h.series((s) => s.v)).toEqual([undefined, 3]);
    h.clear();
    expect(h.length).toBe(0);
    h.push({ v: 9 });
    expect(h.toArray()).toEqual([{ v: 9 }]);
  });

  it('gives the newest samples that fit a byte budget, judged by the newest, and always the newest one', () => {
    const h = new SampleHistory<{ at: number; pad: string }>(10);
    expect(h.newestWithin(100)).toEqual([]);
    for (let at = 0; at < 10; at++) h.push({ at, pad: 'x'.repeat(80) }); // 97 bytes of JSON each, 98 with the comma
    expect(h.newestWithin(100_000).map((s) => s.at)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(h.newestWithin(350).map((s) => s.at)).toEqual([7, 8, 9]);
    expect(h.newestWithin(10).map((s) => s.at)).toEqual([9]);
    expect(JSON.stringify(h.newestWithin(350)).length).toBeLessThanOrEqual(350);
  });

  it('defaults to 720 samples and refuses a capacity below 1', () => {
    const h = new SampleHistory<number>();
    for (let i = 0; i < 1000; i++) h.push(i);
    expect(h.length).toBe(720);
    expect(h.toArray()[0]).toBe(280);
    expect(() => new SampleHistory(0)).toThrow(RangeError);
  });
});

describe('sampleHost', () => {
  it('samples the host and counts only running guests in the mem= total', () => {
    const s = sampleHost({}, [
      { name: 'off', pid: null, mem: '128M' },
      { name: 'bad', pid: null, mem: 'lots' },
    ], 1234);
    expect(s.at).toBe(1234);
    expect(s.host.ramTotal).toBeGreaterThan(0);
    expect(['/dev/shm', '/tmp']).toContain(s.memfileDir);
    expect(s.memfileFs?.size).toBeGreaterThan(0);
    expect(s.guests).toEqual([{ name: 'off', pid: null, mem: 128 * 2 ** 20 }, { name: 'bad', pid: null }]);
    expect(s.guestsMem).toBe(0);
    expect(s.guestsAllocated).toBe(0);
  });

  it('reports a TMPDIR that does not exist as a danger, and still samples the rest', () => {
    const s = sampleHost({ TMPDIR: '/nonexistent-umux' }, []);
    expect(s.memfileDir).toBe('/nonexistent-umux');
    expect(s.memfileFs).toBeUndefined();
    expect(s.memfileError?.message).toBe('memory-file directory /nonexistent-umux does not exist');
    expect(s.memfileError?.hint).toMatch(/unset TMPDIR/);
    expect(s.warnings[0]).toEqual({ level: 'danger', text: expect.stringMatching(/nonexistent-umux.*exit at once/) });
  });
});
