// Which guests the health loop pings over MConsole this tick (docs/DECISIONS.md, "Health checks at 100 guests"): a
// booting guest every tick; an unresponsive one every everyMs; a live one only when nothing proved it alive for
// everyMs (an answer, or console output), at most MAX_PINGS_PER_TICK a tick, the longest silent first. Pure.

import type { GuestState } from '../protocol/guest-state.js';

/** Pings a tick (a second) at most, booting guests aside: 100 idle guests are pinged every 20 s, not every 5 s. */
export const MAX_PINGS_PER_TICK = 5;

export interface PingCandidate {
  name: string;
  state: GuestState;
  /** When the last ping was sent (0: never). */
  lastPingAt: number;
  /** When the guest last proved alive: a ping answered, or its console gave output (0: never). */
  lastLifeAt: number;
}

/** The names to ping now, in the order to send. */
export function guestsToPing(guests: readonly PingCandidate[], now: number, everyMs: number, max = MAX_PINGS_PER_TICK): string[] {
  const booting: string[] = [];
  const due: { name: string; since: number; unresponsive: boolean }[] = [];
  for (const g of guests) {
    if (g.state === 'starting') {
      booting.push(g.name);
      continue;
    }
    // An unresponsive guest comes back only by answering: its output does not count.
    const unresponsive = g.state === 'unresponsive';
    const since = unresponsive ? g.lastPingAt : Math.max(g.lastPingAt, g.lastLifeAt);
    if (now - since >= everyMs) due.push({ name: g.name, since, unresponsive });
  }
  due.sort((a, b) => Number(b.unresponsive) - Number(a.unresponsive) || a.since - b.since);
  return [...booting, ...due.slice(0, max).map((d) => d.name)];
}
