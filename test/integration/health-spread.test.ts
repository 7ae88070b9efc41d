// Health checks that do not wait for a ping (docs/DECISIONS.md, "Health checks at 100 guests"): with pings a minute
// apart, a SIGSTOPped guest is still unresponsive within two seconds (its /proc state is read every second), and it
// is pinged as soon as it runs again, so it is back to running without waiting the minute.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuestInfo } from '../../src/protocol/wire-messages.js';
import { umlSkip } from '../helpers/uml.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';

describe.skipIf(umlSkip())('health checks between pings', () => {
  let world: UmuxWorld;
  const state = async (name: string) => (JSON.parse(await world.ok(['ls', '--json'])) as { guests: GuestInfo[] }).guests.find((g) => g.name === name)?.state;
  const waitState = (name: string, want: string, timeoutMs: number) =>
    waitUntil(`${name} ${want}`, async () => ((await state(name)) === want ? true : undefined), timeoutMs);

  beforeAll(async () => {
    world = new UmuxWorld({ UMUX_PING_MS: '60000', UMUX_PING_TIMEOUT_MS: '1000' });
    world.define('quiet', 'consoles = 0\nserials = 0\n');
    await world.ok(['start', 'quiet']);
    await world.waitForShell('quiet');
    await waitState('quiet', 'running', 20_000);
  });
  afterAll(async () => {
    await world.dispose();
  });

  it('tells a SIGSTOPped guest unresponsive within 2 s with no ping due, and running within 3 s of SIGCONT', async () => {
    const pid = world.guestPid('quiet')!;
    process.kill(pid, 'SIGSTOP');
    const t0 = Date.now();
    try {
      await waitState('quiet', 'unresponsive', 10_000);
      expect(Date.now() - t0).toBeLessThan(2500);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const t1 = Date.now();
    await waitState('quiet', 'running', 10_000);
    expect(Date.now() - t1).toBeLessThan(3500);
    const events = await world.ok(['events', 'quiet']);
    expect(events).toMatch(new RegExp(`running -> unresponsive: pid ${pid} is stopped on the host \\(SIGSTOP or a debugger\\)`));
    expect(events).toMatch(/unresponsive -> running: answers MConsole again/);
  });
});
