// The health loop with fake guests on a real process (this one: never stopped): a guest whose console writes is
// not pinged, a silent one every everyMs, never more than the budget a tick, and an adopted guest alive by its
// output still has its lines looked at again (tick) on the ping's schedule.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MconsoleClient } from '../../../src/mconsole/client.js';
import type { Guest } from '../../../src/server/guest.js';
import { HealthLoop } from '../../../src/server/health-loop.js';
import type { GuestRegistry } from '../../../src/server/registry.js';
import { MAX_PINGS_PER_TICK } from '../../../src/server/ping-policy.js';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ProcStatFile } from '../../../src/guests/proc-info.js';
import { STATE_EVERY_TICK_MAX } from '../../../src/server/health-loop.js';

/** The state letter of /proc/PID/stat, read straight (not through ProcStatFile, which the test counts). */
const procState = (pid: number): string => readFileSync(`/proc/${pid}/stat`, 'latin1').replace(/^.*\) /s, '')[0]!;

interface Fake {
  guest: Guest;
  hub: { bytesIn: number };
  ticks: number;
}

function fakeGuest(name: string, adopted = false): Fake {
  const hub = { bytesIn: 0 };
  const fake: Fake = { hub, ticks: 0, guest: undefined as unknown as Guest };
  fake.guest = {
    name, umid: name, pid: process.pid, socket: `/nonexistent/${name}`, state: 'running',
    hubs: new Map([['con0', hub]]),
    adopted: adopted ? { tick: () => fake.ticks++, dir: '/nonexistent' } : undefined,
    applyHealth: () => undefined,
  } as unknown as Guest;
  return fake;
}

function loop(fakes: Fake[]) {
  const pinged: string[] = [];
  const mconsole = { call: async (socket: string) => (pinged.push(socket.split('/').pop()!), { ok: true, text: '' }) } as unknown as MconsoleClient;
  const registry = { scan: () => [], all: () => fakes.map((f) => f.guest), forEach: (visit: (g: unknown) => void) => fakes.forEach((f) => visit(f.guest)) } as unknown as GuestRegistry;
  const health = new HealthLoop({ registry, mconsole, health: { everyMs: 5000, timeoutMs: 2000 }, changed: () => undefined, log: () => undefined });
  return { health, pinged };
}

describe('HealthLoop', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it('pings a silent guest every everyMs and one whose console writes never', async () => {
    const talker = fakeGuest('talker');
    const silent = fakeGuest('silent');
    const { health, pinged } = loop([talker, silent]);
    health.start();
    for (let s = 0; s < 20; s++) {
      talker.hub.bytesIn += 10;
      await vi.advanceTimersByTimeAsync(1000);
    }
    health.dispose();
    // The first look pings both (nothing proved them alive yet); after that only the silent one, every 5 s.
    expect(pinged.filter((n) => n === 'talker')).toEqual(['talker']);
    expect(pinged.filter((n) => n === 'silent').length).toBeGreaterThanOrEqual(4);
    expect(pinged.filter((n) => n === 'silent').length).toBeLessThanOrEqual(5);
  });

  it('sends at most the budget of pings a tick, and reaches every guest', async () => {
    const fakes = Array.from({ length: 30 }, (_, i) => fakeGuest(`g${i}`));
    const { health, pinged } = loop(fakes);
    health.start();
    let before = pinged.length;
    expect(before).toBeLessThanOrEqual(MAX_PINGS_PER_TICK);
    for (let s = 0; s < 12; s++) {
      await vi.advanceTimersByTimeAsync(1000);
      expect(pinged.length - before).toBeLessThanOrEqual(MAX_PINGS_PER_TICK);
      before = pinged.length;
    }
    health.dispose();
    expect(new Set(pinged).size).toBe(30);
  });

  it('looks at an adopted guest alive by its output again every everyMs without a ping', async () => {
    const g = fakeGuest('adopted', true);
    const { health, pinged } = loop([g]);
    health.start();
    await vi.advanceTimersByTimeAsync(0);
    const afterFirst = g.ticks; // the first ping's answer
    for (let s = 0; s < 20; s++) {
      g.hub.bytesIn += 10;
      await vi.advanceTimersByTimeAsync(1000);
    }
    health.dispose();
    expect(pinged).toHaveLength(1);
    expect(g.ticks - afterFirst).toBeGreaterThanOrEqual(3);
    expect(g.ticks - afterFirst).toBeLessThanOrEqual(5);
  });

  it('beyond STATE_EVERY_TICK_MAX guests reads half the states a tick, and still sees a SIGSTOP within 2 ticks', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      const fakes = Array.from({ length: STATE_EVERY_TICK_MAX + 10 }, (_, i) => fakeGuest(`g${i}`));
      const seen: string[] = [];
      const stopped = fakes[fakes.length - 1]!;
      Object.assign(stopped.guest, { pid: child.pid, applyHealth: (h: { kind: string }) => seen.push(h.kind) });
      const reads = vi.spyOn(ProcStatFile.prototype, 'state');
      const { health } = loop(fakes);
      health.start();
      await vi.advanceTimersByTimeAsync(1000);
      reads.mockClear();
      await vi.advanceTimersByTimeAsync(1000);
      // Half the guests' states, and one more for each ping's look before it sends.
      expect(reads.mock.calls.length).toBeLessThanOrEqual(fakes.length / 2 + MAX_PINGS_PER_TICK);
      reads.mockRestore();
      child.kill('SIGSTOP');
      // The kernel stops the child when it next runs, which on a busy machine is after fake time's two ticks
      // (CI saw it): wait in real time (vi.waitUntil keeps real timers) until its state says T, then tick.
      await vi.waitUntil(() => procState(child.pid!) === 'T', { timeout: 5000, interval: 5 });
      await vi.advanceTimersByTimeAsync(2000);
      health.dispose();
      expect(seen).toContain('sigstopped');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
