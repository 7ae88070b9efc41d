// HostSessions' host history: subscriptions leave it out, so the gauges ask for it when they open (once a host, the
// one shown): the server's history comes first, the samples pushed since after it; a failed ask is said and tried again.
import { describe, expect, it } from 'vitest';
import type { ServerSession } from '../../../src/client/session.js';
import { Emitter } from '../../../src/core/emitter.js';
import type { HostSample } from '../../../src/protocol/host-types.js';
import type { GuestListWire } from '../../../src/protocol/wire-messages.js';
import { HostSessions } from '../../../src/tui/host-sessions.js';

const sample = (at: number) => ({ at, guests: [] }) as unknown as HostSample;

function fakeLocal(reply: () => Promise<unknown>) {
  const host = new Emitter<{ sample: HostSample; history?: HostSample[] }>();
  const guests = new Emitter<GuestListWire>();
  const asked: string[][] = [];
  const local = {
    onHost: host.event,
    onGuests: guests.event,
    away: undefined,
    request: async (argv: string[]) => (asked.push(argv), { data: await reply() }),
  } as unknown as ServerSession;
  return { local, host, asked };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('HostSessions host history', () => {
  it('asks for the history once the gauges open, once; the server history first, the pushed samples after', async () => {
    const { local, host, asked } = fakeLocal(async () => ({ sample: sample(30), history: [sample(10), sample(20), sample(30)] }));
    const hosts = new HostSessions(local, [], { readOnly: false, env: {}, flash: () => undefined });
    const heard: Array<{ sample: HostSample; history?: HostSample[] }> = [];
    hosts.onHost((h) => heard.push(h));
    host.fire({ sample: sample(30) });
    host.fire({ sample: sample(40) });
    await settle();
    expect(asked).toEqual([]); // nothing asked before the gauges open
    hosts.wantHistory();
    hosts.wantHistory();
    await settle();
    expect(asked).toEqual([['host', '--recent']]);
    expect(heard.at(-1)!.history!.map((s) => s.at)).toEqual([10, 20, 30, 40]);
    expect(heard.at(-1)!.sample.at).toBe(40);
    hosts.dispose();
  });

  it('asks nothing of a host that sends no samples (a hosting customer), and says a failed ask, then asks again', async () => {
    let fail = true;
    const { local, host, asked } = fakeLocal(async () => {
      if (fail) throw new Error('server went away');
      return { sample: sample(5), history: [sample(5)] };
    });
    const flashed: string[] = [];
    const hosts = new HostSessions(local, [], { readOnly: false, env: {}, flash: (t) => flashed.push(t) });
    hosts.wantHistory();
    await settle();
    expect(asked).toEqual([]);
    host.fire({ sample: sample(5) });
    hosts.wantHistory();
    await settle();
    expect(flashed).toEqual(['cannot load the memory history of this host: server went away']);
    fail = false;
    hosts.wantHistory();
    await settle();
    expect(asked).toHaveLength(2);
    hosts.dispose();
  });
});
