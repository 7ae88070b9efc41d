// One far host in the TUI over several hosts: its session over ssh, connected in the background (never in the
// way of the local view or another host), subscribed to its guest list, and connected again with backoff when it
// goes. Its status is a line for the sidebar: reachable, or why not and when the next try is.

import type { Disposable } from '../core/disposable.js';
import { ServerSession } from '../client/session.js';
import { HostUnreachable, SshTransport, type SshHost } from '../client/ssh-transport.js';
import { receivedGuests } from '../protocol/host-guest.js';
import type { GuestInfo } from '../protocol/wire-messages.js';
import type { HostSample } from '../protocol/host-types.js';
import type { RideTimes } from '../client/ride.js';

export interface HostStatus {
  host: string;
  state: 'up' | 'connecting' | 'down';
  /** Why it is down (ssh's words, the far umux's, or how the server went). */
  reason: string;
  /** Seconds to the next try, while down. */
  retryS?: number;
}

/** A status in one line, for the status bar. */
export function statusText(s: HostStatus): string {
  if (s.state === 'up') return `${s.host}: connected`;
  if (s.state === 'connecting') return `${s.host}: connecting…`;
  return `${s.host} unreachable: ${s.reason}${s.retryS === undefined ? '' : `; next try in ${s.retryS} s`}`;
}

/** A far host is tried again after 0.5 s, then up to every 5 s, for as long as the TUI runs. */
const RIDE: RideTimes = { graceMs: 0, minRetryMs: 500, maxRetryMs: 5000, giveUpMs: Number.MAX_SAFE_INTEGER };

export interface RemoteLinkDeps {
  readOnly: boolean;
  env: NodeJS.ProcessEnv;
  /** Its guests changed (named NAME@HOST; none while unreachable). */
  list: (guests: GuestInfo[]) => void;
  /** Its status changed. */
  changed: (status: HostStatus) => void;
  /** Guests dropped from its list for names no guest may have. */
  dropped: (count: number) => void;
  /** A host sample of it (the first after subscribing with the history). */
  sample: (sample: HostSample, history?: HostSample[]) => void;
}

export class RemoteLink implements Disposable {
  session: ServerSession | undefined;
  status: HostStatus;
  private readonly transport: SshTransport;
  /** The session's listeners, dropped with it. */
  private subs: Disposable[] = [];
  private timer: NodeJS.Timeout | undefined;
  private delayMs = 0;
  private disposed = false;

  constructor(
    readonly host: SshHost,
    private readonly deps: RemoteLinkDeps,
  ) {
    this.transport = new SshTransport(host);
    this.status = { host: host.name, state: 'connecting', reason: '' };
  }

  start(): void {
    void this.connect();
  }

  private setStatus(state: HostStatus['state'], reason = '', retryMs?: number): void {
    const next: HostStatus = { host: this.host.name, state, reason, ...(retryMs === undefined ? {} : { retryS: Math.ceil(retryMs / 1000) }) };
    if (statusText(next) === statusText(this.status)) return;
    this.status = next;
    this.deps.changed(next);
  }

  private async connect(): Promise<void> {
    this.timer = undefined;
    try {
      const session = await ServerSession.connect({ transport: this.transport, ride: true, rideTimes: RIDE, program: 'umux-tui', readOnly: this.deps.readOnly, env: this.deps.env });
      if (this.disposed) return session.dispose();
      this.adopt(session);
      await this.subscribe();
    } catch (err) {
      if (this.disposed) return;
      this.delayMs = Math.min(Math.max(this.delayMs * 2, RIDE.minRetryMs), RIDE.maxRetryMs);
      const reason = err instanceof HostUnreachable ? err.reason : (err as Error).message;
      this.setStatus('down', reason, this.delayMs);
      this.timer = setTimeout(() => void this.connect(), this.delayMs);
    }
  }

  private adopt(session: ServerSession): void {
    this.session = session;
    this.delayMs = 0;
    this.subs.push(session.onGuests((list) => this.take(list.guests)));
    this.subs.push(session.onHost(({ sample, history }) => this.deps.sample(sample, history)));
    this.subs.push(
      session.onAway((away) => {
        this.deps.list([]);
        this.setStatus('down', away.reason);
      }),
    );
    // The transport's wait: the reason the last try failed, and the pause before the next.
    this.subs.push(session.onRideStatus(() => this.setStatus('down', this.transport.lastReason || 'no answer', this.transport.delayMs)));
    this.subs.push(session.onBack(() => void this.subscribe()));
    this.subs.push(
      session.onClose((reason) => {
        this.drop();
        if (this.disposed) return;
        this.setStatus('down', reason, RIDE.minRetryMs);
        this.timer = setTimeout(() => void this.connect(), RIDE.minRetryMs);
      }),
    );
  }

  private async subscribe(): Promise<void> {
    try {
      await this.session?.subscribe({ host: true, history: false });
      this.setStatus('up');
    } catch {
      // gone again: its away and back say so, and subscribe again
    }
  }

  private take(guests: unknown): void {
    const got = receivedGuests<GuestInfo>(guests, this.host.name);
    if (got.dropped > 0) this.deps.dropped(got.dropped);
    this.deps.list(got.guests);
  }

  private unlisten(): void {
    for (const s of this.subs) s.dispose();
    this.subs = [];
  }

  private drop(): void {
    this.unlisten();
    this.session = undefined;
    this.deps.list([]);
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    const session = this.session;
    this.unlisten();
    this.session = undefined;
    session?.dispose();
  }
}
