// The server's guest model pushed to subscribed clients (issue 12): the guest list at once and whenever a row
// changes (bursts coalesced for COALESCE_MS, nothing sent when nothing changed), each event as it is appended, and
// host samples at the sampler's pace. Owns its coalescing timer; each subscriber bounds its own queue (subscription.ts).

import type { Disposable } from '../core/disposable.js';
import type { HostSample } from '../protocol/host-types.js';
import type { GuestListWire } from '../protocol/wire-messages.js';
import type { GuestEvent } from './event-log.js';
import { rowsKey } from './guest-rows.js';

/** Changes within this long go out as one guest list. */
export const COALESCE_MS = 100;

/** One subscribed client. */
export interface FeedSink {
  readonly wantsHost: boolean;
  /** With the first host sample, the history (else only the sample; absent means true). */
  readonly wantsHistory?: boolean;
  guests(list: GuestListWire): void;
  event(guest: string, event: GuestEvent): void;
  host(sample: HostSample, history?: HostSample[]): void;
}

export interface FeedSource {
  /** The guest list now (definitions re-read only when a file changed). */
  list(): GuestListWire;
  /** The latest host sample, and with `history` the samples kept for graphs (read only when a subscriber wants them). */
  host(history: boolean): { sample: HostSample; history?: HostSample[] };
  log(line: string): void;
}

export class GuestFeed implements Disposable {
  private readonly sinks = new Set<FeedSink>();
  private timer: NodeJS.Timeout | undefined;
  /** What the subscribers were last sent (rowsKey): an unchanged list is not sent again. */
  private lastKey = '';

  constructor(private readonly source: FeedSource) {}

  get size(): number {
    return this.sinks.size;
  }

  /** A new subscriber gets the list (and, if it asked, the latest host sample and the history) at once. */
  add(sink: FeedSink): Disposable {
    this.sinks.add(sink);
    const list = this.current();
    if (list) {
      const key = rowsKey(list);
      // Something changed since the others were sent a list: they get this one too.
      if (key !== this.lastKey) this.sendAll(list, key);
      else sink.guests(list);
    }
    if (sink.wantsHost) {
      const h = this.source.host(sink.wantsHistory !== false);
      sink.host(h.sample, h.history);
    }
    return { dispose: () => this.sinks.delete(sink) };
  }

  /** Something a row shows may have changed: the list is compared, and sent if it did, within COALESCE_MS. */
  changed(): void {
    if (this.sinks.size === 0 || this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, COALESCE_MS);
  }

  event(guest: string, event: GuestEvent): void {
    for (const s of this.sinks) s.event(guest, event);
    this.changed(); // the row's lastEventAt, and usually its state
  }

  hostSample(sample: HostSample): void {
    for (const s of this.sinks) if (s.wantsHost) s.host(sample);
  }

  private flush(): void {
    if (this.sinks.size === 0) return;
    const list = this.current();
    if (!list) return;
    const key = rowsKey(list);
    if (key !== this.lastKey) this.sendAll(list, key);
  }

  private sendAll(list: GuestListWire, key: string): void {
    this.lastKey = key;
    for (const s of this.sinks) s.guests(list);
  }

  private current(): GuestListWire | undefined {
    try {
      return this.source.list();
    } catch (err) {
      this.source.log(`guest list for subscribers failed: ${(err as Error).message}`);
      return undefined;
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.sinks.clear();
  }
}
