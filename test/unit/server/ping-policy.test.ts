// The health loop's choice of guests to ping (ping-policy.ts): booting guests every tick, live guests only when
// silent for everyMs, unresponsive ones whatever their output, and never more than the budget a tick.
import { describe, expect, it } from 'vitest';
import { guestsToPing, MAX_PINGS_PER_TICK, type PingCandidate } from '../../../src/server/ping-policy.js';

const EVERY = 5000;
const guest = (name: string, over: Partial<PingCandidate> = {}): PingCandidate => ({ name, state: 'running', lastPingAt: 0, lastLifeAt: 0, ...over });

describe('guestsToPing', () => {
  it('pings a running guest silent for everyMs, and not one pinged or heard from since', () => {
    const now = 100_000;
    expect(guestsToPing([guest('a', { lastPingAt: now - EVERY })], now, EVERY)).toEqual(['a']);
    expect(guestsToPing([guest('a', { lastPingAt: now - EVERY + 1 })], now, EVERY)).toEqual([]);
    // Console output (or an answer) a second ago proves it alive: no ping.
    expect(guestsToPing([guest('a', { lastPingAt: now - 60_000, lastLifeAt: now - 1000 })], now, EVERY)).toEqual([]);
  });

  it('pings a booting guest every tick, outside the budget', () => {
    const now = 100_000;
    const booting = Array.from({ length: 8 }, (_, i) => guest(`b${i}`, { state: 'starting', lastPingAt: now - 1000, lastLifeAt: now }));
    expect(guestsToPing(booting, now, EVERY)).toHaveLength(8);
  });

  it('pings an unresponsive guest every everyMs even while its console talks, before any running one', () => {
    const now = 100_000;
    const list = [guest('r', { lastPingAt: 1 }), guest('u', { state: 'unresponsive', lastPingAt: now - EVERY, lastLifeAt: now })];
    expect(guestsToPing(list, now, EVERY, 1)).toEqual(['u']);
    expect(guestsToPing([guest('u', { state: 'unresponsive', lastPingAt: now - 10, lastLifeAt: 0 })], now, EVERY)).toEqual([]);
  });

  it('spreads a hundred idle guests: at most the budget a tick, the longest silent first, each within n/budget ticks', () => {
    let now = 1_000_000;
    const list = Array.from({ length: 100 }, (_, i) => guest(`g${i}`, { lastPingAt: now - EVERY - i }));
    const first = guestsToPing(list, now, EVERY);
    expect(first).toEqual(['g99', 'g98', 'g97', 'g96', 'g95'].slice(0, MAX_PINGS_PER_TICK));
    const pingedAt = new Map<string, number[]>();
    for (let tick = 0; tick < 60; tick++, now += 1000) {
      const chosen = guestsToPing(list, now, EVERY);
      expect(chosen.length).toBeLessThanOrEqual(MAX_PINGS_PER_TICK);
      for (const name of chosen) {
        list.find((g) => g.name === name)!.lastPingAt = now;
        pingedAt.set(name, [...(pingedAt.get(name) ?? []), now]);
      }
    }
    // Every guest is pinged, and again no later than 100 / budget ticks after.
    expect(pingedAt.size).toBe(100);
    for (const times of pingedAt.values()) for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeLessThanOrEqual((100 / MAX_PINGS_PER_TICK) * 1000);
  });

  it('picks as a full sort would: unresponsive first, then the longest silent, ties in input order', () => {
    const now = 1_000_000;
    const states = ['running', 'paused', 'unresponsive', 'starting'] as const;
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let round = 0; round < 200; round++) {
      const guests = Array.from({ length: rnd(40) }, (_, i) => guest(`g${i}`, { state: states[rnd(4)]!, lastPingAt: now - 1000 * rnd(30), lastLifeAt: now - 1000 * rnd(30) }));
      const max = rnd(8);
      const since = (g: PingCandidate) => (g.state === 'unresponsive' ? g.lastPingAt : Math.max(g.lastPingAt, g.lastLifeAt));
      const due = guests.filter((g) => g.state !== 'starting' && now - since(g) >= EVERY);
      due.sort((a, b) => Number(b.state === 'unresponsive') - Number(a.state === 'unresponsive') || since(a) - since(b));
      const want = [...guests.filter((g) => g.state === 'starting'), ...due.slice(0, max)].map((g) => g.name);
      expect(guestsToPing(guests, now, EVERY, max)).toEqual(want);
    }
  });
});
