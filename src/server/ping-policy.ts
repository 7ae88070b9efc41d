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
  // The `max` most urgent due guests so far, most urgent first (unresponsive ones, then the longest silent; ties in
  // input order): kept by insertion, since most of a hundred idle guests are due every tick and only a few are sent.
  const due: PingCandidate[] = [];
  for (let i = 0; i < guests.length; i++) {
    const g = guests[i]!;
    if (g.state === 'starting') {
      booting.push(g.name);
      continue;
    }
    if (now - sinceOf(g) < everyMs || max <= 0) continue;
    let at = due.length;
    while (at > 0 && before(g, due[at - 1]!)) at--;
    if (at >= max) continue;
    due.splice(at, 0, g);
    if (due.length > max) due.pop();
  }
  for (let i = 0; i < due.length; i++) booting.push(due[i]!.name);
  return booting;
}

// An unresponsive guest comes back only by answering: its output does not count.
const sinceOf = (g: PingCandidate): number => (g.state === 'unresponsive' ? g.lastPingAt : Math.max(g.lastPingAt, g.lastLifeAt));

/** Whether `a` is to be pinged before `b`: unresponsive first, then the longer silent. */
function before(a: PingCandidate, b: PingCandidate): boolean {
  const ua = a.state === 'unresponsive';
  const ub = b.state === 'unresponsive';
  return ua !== ub ? ua : sinceOf(a) < sinceOf(b);
}
