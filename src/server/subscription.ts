// One client's subscription to the guest feed, bounded like its console streams: while its socket holds more than
// the connection's lag limit (server-client.ts LAG_LIMIT), pushes are held, not written: the newest guest list and host sample replace older ones, events wait
// up to MAX_HELD_EVENTS (the rest are counted and the client told). All of it goes out in order once it drains.

import type { HostSample } from '../protocol/host-types.js';
import type { GuestListWire, ServerMessage } from '../protocol/wire-messages.js';
import type { GuestEvent } from './event-log.js';
import type { FeedSink } from './guest-feed.js';

/** Events held for a lagging subscriber; more are dropped and counted (`events-missed`). */
export const MAX_HELD_EVENTS = 256;

/** The client's socket, as a subscription sees it (server-client.ts). */
export interface PushTarget {
  /** More than the lag limit is queued on the socket. */
  lagging(): boolean;
  send(msg: ServerMessage): void;
  whenDrained(fn: () => void): void;
}

export class Subscription implements FeedSink {
  private heldGuests: GuestListWire | undefined;
  private heldHost: Extract<ServerMessage, { t: 'host' }> | undefined;
  private heldEvents: Array<Extract<ServerMessage, { t: 'event' }>> = [];
  private missed = 0;
  private waiting = false;
  private ended = false;

  constructor(
    private readonly out: PushTarget,
    readonly wantsHost: boolean,
    /** The first host sample carries the history (false: the client asks for it when it needs it). */
    readonly wantsHistory = true,
  ) {}

  guests(list: GuestListWire): void {
    if (this.holding()) this.heldGuests = list;
    else this.out.send({ t: 'guests', ...list });
  }

  event(guest: string, event: GuestEvent): void {
    const msg = { t: 'event' as const, guest, at: event.at, text: event.text };
    if (!this.holding()) return this.out.send(msg);
    if (this.heldEvents.length < MAX_HELD_EVENTS) this.heldEvents.push(msg);
    else this.missed++;
  }

  host(sample: HostSample, history?: HostSample[]): void {
    // A held first sample keeps its history: the client has none yet.
    const msg = { t: 'host' as const, sample, ...((history ?? this.heldHost?.history) ? { history: history ?? this.heldHost!.history! } : {}) };
    if (this.holding()) this.heldHost = msg;
    else this.out.send(msg);
  }

  end(): void {
    this.ended = true;
    this.heldEvents = [];
    this.heldGuests = undefined;
    this.heldHost = undefined;
  }

  /** True when pushes must wait: something is already held, or the socket is past the lag limit. */
  private holding(): boolean {
    const held = this.heldGuests !== undefined || this.heldHost !== undefined || this.heldEvents.length > 0 || this.missed > 0;
    if (!held && !this.out.lagging()) return false;
    this.waitForDrain();
    return true;
  }

  private waitForDrain(): void {
    if (this.waiting || this.ended) return;
    this.waiting = true;
    this.out.whenDrained(() => {
      this.waiting = false;
      this.release();
    });
  }

  /** Sends what was held, in order, until the socket backs up again. */
  private release(): void {
    if (this.ended) return;
    if (this.missed > 0) {
      this.out.send({ t: 'events-missed', count: this.missed });
      this.missed = 0;
    }
    while (this.heldEvents.length > 0) {
      if (this.out.lagging()) return this.waitForDrain();
      this.out.send(this.heldEvents.shift()!);
    }
    if (this.heldGuests) {
      this.out.send({ t: 'guests', ...this.heldGuests });
      this.heldGuests = undefined;
    }
    if (this.heldHost) {
      this.out.send(this.heldHost);
      this.heldHost = undefined;
    }
  }
}
