// What the TUI shows of the server's model: the guest list and host samples, pushed by the server once subscribed
// (issue 12) and subscribed to again after a server restart. UMUX_TUI_POLL=1 keeps the old way (ls every second,
// host every 5 s) for the bench's before/after; a server too old to take subscribe is polled the same way.

import type { Disposable } from '../core/disposable.js';
import type { GuestSession } from '../client/session.js';
import type { HostSample } from '../protocol/host-types.js';
import type { GuestListWire } from '../protocol/wire-messages.js';

const POLL_LIST_MS = 1000;
const POLL_HOST_MS = 5000;
/** Host samples kept for the graphs: the server's own history length (an hour at its 5 s pace). */
const HISTORY = 720;

export interface FeedListener {
  /** A new guest list; the next one waits until this one is shown (it attaches panes). */
  list(list: GuestListWire): Promise<void>;
  host(sample: HostSample, history: readonly HostSample[]): void;
  error(text: string): void;
}

export class TuiFeed implements Disposable {
  private history: HostSample[] = [];
  private timers: NodeJS.Timeout[] = [];
  private readonly subs: Disposable[] = [];
  private showing = false;
  private waiting: GuestListWire | undefined;
  private polling: boolean;

  constructor(
    private readonly session: GuestSession,
    private readonly listener: FeedListener,
    poll: boolean,
  ) {
    this.polling = poll;
    this.subs.push(
      session.onGuests((list) => void this.show(list)),
      session.onHost(({ sample, history }) => this.addSample(sample, history)),
    );
  }

  get samples(): readonly HostSample[] {
    return this.history;
  }

  /** Subscribes (or polls), at the start and again once a server is back. */
  async start(): Promise<void> {
    if (this.polling) return this.poll();
    try {
      await this.session.subscribe({ host: true, history: false });
    } catch (err) {
      if (this.session.away) return; // gone again: the next start subscribes
      this.listener.error(`the server takes no subscription (${(err as Error).message}): asking every second instead`);
      this.polling = true;
      await this.poll();
    }
  }

  /** After a command: a polling TUI asks at once (a subscribed one hears the change). */
  refresh(): void {
    if (this.polling) void this.askList();
  }

  private async poll(): Promise<void> {
    if (this.timers.length === 0) {
      this.timers.push(
        setInterval(() => void this.askList(), POLL_LIST_MS),
        setInterval(() => void this.askHost(), POLL_HOST_MS),
      );
    }
    await this.askList();
    await this.askHost();
  }

  private async askList(): Promise<void> {
    if (this.session.away) return;
    try {
      await this.show((await this.session.request(['ls', '--json'])).data as GuestListWire);
    } catch (err) {
      this.listener.error(`cannot list guests: ${(err as Error).message}`);
    }
  }

  private async askHost(): Promise<void> {
    if (this.session.away) return;
    try {
      const data = (await this.session.request(['host', '--recent'])).data as { sample: HostSample; history: HostSample[] };
      this.addSample(data.sample, data.history);
    } catch {
      // the next tick tries again
    }
  }

  private addSample(sample: HostSample, history?: HostSample[]): void {
    if (history) this.history = history.slice(-HISTORY);
    else if (this.history.at(-1) !== sample) this.history = [...this.history.slice(1 - HISTORY), sample];
    this.listener.host(sample, this.history);
  }

  /** Shows lists one at a time; of those that came meanwhile only the newest. */
  private async show(list: GuestListWire): Promise<void> {
    if (this.showing) {
      this.waiting = list;
      return;
    }
    this.showing = true;
    try {
      let next: GuestListWire | undefined = list;
      while (next) {
        this.waiting = undefined;
        await this.listener.list(next);
        next = this.waiting;
      }
    } finally {
      this.showing = false;
    }
  }

  dispose(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const s of this.subs) s.dispose();
  }
}
