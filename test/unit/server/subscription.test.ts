// A subscription is bounded like a console stream: while the client's socket is past the lag limit, the newest
// guest list and host sample replace older ones, events wait up to MAX_HELD_EVENTS and the rest are counted; all
// of it goes out in order once the socket drains, and nothing goes out while it is held.

import { describe, expect, it } from 'vitest';
import { MAX_HELD_EVENTS, Subscription, type PushTarget } from '../../../src/server/subscription.js';
import type { ServerMessage } from '../../../src/protocol/wire-messages.js';
import type { HostSample } from '../../../src/protocol/host-types.js';

class FakeSocket implements PushTarget {
  sent: ServerMessage[] = [];
  slow = false;
  private drains: Array<() => void> = [];
  lagging(): boolean {
    return this.slow;
  }
  send(msg: ServerMessage): void {
    this.sent.push(msg);
  }
  whenDrained(fn: () => void): void {
    this.drains.push(fn);
  }
  drain(): void {
    this.slow = false;
    const fns = this.drains;
    this.drains = [];
    for (const f of fns) f();
  }
}

const list = (state: string) => ({ guests: [{ name: 'g', state }] as never, problems: [] });
const sample = (n: number) => ({ at: n }) as unknown as HostSample;

describe('Subscription', () => {
  it('sends at once while the socket keeps up', () => {
    const s = new FakeSocket();
    const sub = new Subscription(s, true);
    sub.guests(list('running'));
    sub.event('g', { at: 't1', text: 'x' });
    sub.host(sample(1), [sample(0)]);
    expect(s.sent.map((m) => m.t)).toEqual(['guests', 'event', 'host']);
  });

  it('holds a lagging client to the newest list and sample and MAX_HELD_EVENTS events, then sends them in order', () => {
    const s = new FakeSocket();
    const sub = new Subscription(s, true);
    s.slow = true;
    sub.guests(list('starting'));
    sub.host(sample(1), [sample(0)]);
    for (let i = 0; i < MAX_HELD_EVENTS + 10; i++) sub.event('g', { at: `t${i}`, text: `e${i}` });
    sub.guests(list('running'));
    sub.host(sample(2));
    expect(s.sent).toEqual([]);
    s.drain();
    expect(s.sent[0]).toEqual({ t: 'events-missed', count: 10 });
    const events = s.sent.filter((m) => m.t === 'event');
    expect(events).toHaveLength(MAX_HELD_EVENTS);
    expect(events[0]).toMatchObject({ text: 'e0' });
    expect(s.sent.filter((m) => m.t === 'guests')).toEqual([{ t: 'guests', ...list('running') }]);
    // The newest sample, with the history the client has not had yet.
    expect(s.sent.filter((m) => m.t === 'host')).toEqual([{ t: 'host', sample: sample(2), history: [sample(0)] }]);
    // Caught up: the next goes at once.
    sub.event('g', { at: 'later', text: 'now' });
    expect(s.sent.at(-1)).toMatchObject({ t: 'event', text: 'now' });
  });

  it('sends nothing after it ended', () => {
    const s = new FakeSocket();
    const sub = new Subscription(s, false);
    s.slow = true;
    sub.event('g', { at: 't', text: 'x' });
    sub.end();
    s.drain();
    expect(s.sent).toEqual([]);
  });
});
