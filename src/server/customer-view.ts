// What a hosting customer's connection (server/hosting.ts) sees and may do, applied by server-client.ts in the one
// place it checks every message: refusals from the customer's grants (commands/grants.ts), guest lists and events
// cut to their guests, and `ls`/`events` replies cut likewise. Definition problems and host paths are not shown.

import type { CustomerAccess, SeenGuest } from '../commands/grants.js';
import type { UmuxError } from '../core/errors.js';
import type { HostSample } from '../protocol/host-types.js';
import type { ClientMessage, GuestListWire } from '../protocol/wire-messages.js';
import type { GuestEvent } from './event-log.js';
import type { FeedSink } from './guest-feed.js';

/** A host user a shared server serves on their own socket, with what the policy gives them now (replaced on change). */
export interface Principal {
  readonly uid: number;
  readonly name: string;
  access: CustomerAccess;
}

/** What a customer connection needs of the server: who it is, and the guests as the policy sees them. */
export interface Customer {
  readonly principal: Principal;
  guests(): SeenGuest[];
  find(name: string): SeenGuest | undefined;
}

/** Why a customer may not send `msg`, or undefined; an attach that may only look is made read-only (`downgraded`). */
export function customerRefusal(c: Customer, msg: ClientMessage): { error: UmuxError } | { downgraded: boolean } {
  const access = c.principal.access;
  const guests = () => c.guests();
  try {
    if (msg.t === 'request') {
      const error = access.requestRefusal(msg.argv, guests(), (n) => c.find(n));
      return error ? { error } : { downgraded: false };
    }
    if (msg.t === 'attach' || msg.t === 'follow-log') {
      const g = access.seenGuest(msg.guest, guests(), (n) => c.find(n));
      const error = access.consoleRefusal(g, false);
      if (error) return { error };
      return { downgraded: msg.t === 'attach' && !msg.readOnly && access.consoleRight(g) === 'read-only' };
    }
  } catch (err) {
    return { error: err as UmuxError };
  }
  return { downgraded: false };
}

/** A reply's data cut to what the customer sees: `ls` rows and all-guest `events`. */
export function customerReply(c: Customer, argv: readonly string[], data: unknown): unknown {
  const seen = (name: string) => {
    const g = c.find(name);
    return g !== undefined && c.principal.access.canSee(g);
  };
  if (argv[0] === 'ls' && isList(data)) return { guests: data.guests.filter((g) => seen(g.name)).map(({ dir: _dir, ...row }) => row), problems: [] };
  if (argv[0] === 'events' && Array.isArray(data)) return data.filter((e: { guest?: string }) => e.guest === undefined || seen(e.guest));
  return data;
}

function isList(data: unknown): data is GuestListWire {
  return typeof data === 'object' && data !== null && Array.isArray((data as GuestListWire).guests);
}

/** A customer's subscription: only their guests' rows and events, never host samples (other guests' memory). */
export class CustomerSink implements FeedSink {
  readonly wantsHost = false;
  constructor(
    private readonly c: Customer,
    private readonly inner: FeedSink,
  ) {}

  guests(list: GuestListWire): void {
    this.inner.guests(customerReply(this.c, ['ls'], list) as GuestListWire);
  }

  event(guest: string, event: GuestEvent): void {
    const g = this.c.find(guest);
    if (g && this.c.principal.access.canSee(g)) this.inner.event(guest, event);
  }

  host(_sample: HostSample): void {
    // never: the host's gauges show every guest's memory
  }
}
