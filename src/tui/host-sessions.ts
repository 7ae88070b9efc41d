// The TUI over several hosts: the local session and one RemoteLink per far host behind the face of one session.
// The guest list is theirs merged (far guests named NAME@HOST); a request or an attach goes to the host its target
// names (commands/host-target.ts), made plain for that host's server. Host samples are those of the host shown
// (showHost: the focused guest's), each host's kept meanwhile; the hour of history behind the gauges is asked for
// when they open (wantHistory), not carried by the subscription.

import type { Disposable } from '../core/disposable.js';
import { Emitter, type Event } from '../core/emitter.js';
import { UmuxError } from '../core/errors.js';
import type { ConsoleStream, GuestSession, RequestResult, ServerSession, SubscribeOptions } from '../client/session.js';
import type { SshHost } from '../client/ssh-transport.js';
import { routeArgv } from '../commands/host-target.js';
import { LOCAL_HOST, splitQualified } from '../protocol/host-guest.js';
import type { ProgressWire } from '../protocol/progress.js';
import type { GuestInfo, GuestListWire } from '../protocol/wire-messages.js';
import type { HostSample } from '../protocol/host-types.js';
import { RemoteLink, statusText, type HostStatus } from './remote-link.js';

export type { HostStatus };

/** Samples kept per host: the server's own history length (an hour at its 5 s pace), as server-feed.ts keeps. */
const SAMPLES_KEPT = 720;
/** How long the history (an hour of samples: megabytes with many guests) may take to come. */
const HISTORY_TIMEOUT_MS = 15_000;

export interface HostSessionsOptions {
  readOnly: boolean;
  env: NodeJS.ProcessEnv;
  /** Something worth a line in the status bar (a host lost or back, guests dropped). */
  flash: (text: string, level: 'ok' | 'error' | 'info') => void;
  /** A local stream attached before the TUI was built (opening.ts), when it is the one asked for. */
  early?: (guest: string, consoleName: string, opts: { readOnly: boolean; scrollback?: number }) => Promise<ConsoleStream> | undefined;
}

export class HostSessions implements GuestSession, Disposable {
  private readonly lists = new Map<string, GuestInfo[]>();
  private problems: GuestListWire['problems'] = [];
  private readonly links: RemoteLink[];
  private readonly subs: Disposable[] = [];
  /** Each far host's last state, so that only a change of state is flashed (not each new pause). */
  private readonly lastState = new Map<string, HostStatus['state']>();
  private readonly guestsEmitter = new Emitter<GuestListWire>();
  private readonly hostsEmitter = new Emitter<HostStatus[]>();
  /** The guests of every host, merged (after subscribe): at once and on every change. */
  readonly onGuests: Event<GuestListWire> = this.guestsEmitter.event;
  private readonly hostEmitter = new Emitter<{ sample: HostSample; history?: HostSample[] }>();
  /** The samples of the host shown (the focused guest's): its history first when it becomes the one shown. */
  readonly onHost: ServerSession['onHost'] = this.hostEmitter.event;
  /** Each host's samples so far (the history the meters' graphs show when it becomes the host shown). */
  private readonly samples = new Map<string, HostSample[]>();
  private shownHost = LOCAL_HOST;
  /** The host of the samples last handed on: whose the meters on screen are (until the shown host's first sample). */
  private firedHost = LOCAL_HOST;
  /** A host's status changed: the statuses of all. */
  readonly onHosts: Event<HostStatus[]> = this.hostsEmitter.event;
  /** The gauges opened once: each host's history is asked for when it is shown (once a host). */
  private historyWanted = false;
  private readonly historyAsked = new Set<string>();

  constructor(
    private readonly local: ServerSession,
    hosts: readonly SshHost[],
    private readonly opts: HostSessionsOptions,
  ) {
    this.subs.push(
      local.onHost(({ sample, history }) => this.addSample(LOCAL_HOST, sample, history)),
      local.onGuests((list) => {
        this.problems = list.problems;
        this.setList(LOCAL_HOST, list.guests);
      }),
    );
    this.links = hosts.map((host) => new RemoteLink(host, {
      readOnly: opts.readOnly,
      env: opts.env,
      list: (guests) => this.setList(host.name, guests),
      changed: (status) => this.changedStatus(status),
      sample: (sample, history) => this.addSample(host.name, sample, history),
      dropped: (n) => opts.flash(`${host.name}: ${n} guest${n === 1 ? '' : 's'} with names no guest may have left out`, 'error'),
    }));
    for (const link of this.links) link.start();
  }

  /** The host whose meters the sidebar shows; they switch at once when its samples are here. */
  showHost(host: string): void {
    if (host === this.shownHost) return;
    this.shownHost = host;
    const history = this.samples.get(host);
    const sample = history?.at(-1);
    if (sample) this.fire(host, { sample, history: [...history!] });
    void this.askHistory(host);
  }

  /**
   * The gauges are open: the shown host's sample history, which subscriptions leave out (an hour of samples is
   * megabytes at 100 guests, and would wait in front of the first pane's snapshot), is asked for once a host.
   */
  wantHistory(): void {
    this.historyWanted = true;
    void this.askHistory(this.shownHost);
  }

  private async askHistory(host: string): Promise<void> {
    // A host that sends no samples (a hosting customer's view) has no history to give either.
    if (!this.historyWanted || this.historyAsked.has(host) || !this.samples.has(host)) return;
    this.historyAsked.add(host);
    try {
      const data = (await this.sessionOf(host).request(['host', '--recent'], HISTORY_TIMEOUT_MS)).data as { history?: HostSample[] } | null;
      const history = Array.isArray(data?.history) ? data.history : [];
      const last = history.at(-1)?.at ?? -Infinity;
      // The samples pushed since the subscription that are newer than the history's last go after it.
      const merged = [...history, ...(this.samples.get(host) ?? []).filter((s) => s.at > last)].slice(-SAMPLES_KEPT);
      const sample = merged.at(-1);
      if (!sample) return;
      this.samples.set(host, merged);
      if (host === this.shownHost) this.fire(host, { sample, history: merged });
    } catch (err) {
      this.historyAsked.delete(host);
      this.opts.flash(`cannot load the memory history of ${host === LOCAL_HOST ? 'this host' : host}: ${(err as Error).message}`, 'error');
    }
  }

  /** The host whose meters are on screen. */
  get meterHost(): string {
    return this.firedHost;
  }

  private fire(host: string, samples: { sample: HostSample; history?: HostSample[] }): void {
    this.firedHost = host;
    this.hostEmitter.fire(samples);
  }

  private addSample(host: string, sample: HostSample, history?: HostSample[]): void {
    const kept = history ? history.slice(-SAMPLES_KEPT) : [...(this.samples.get(host) ?? []).slice(1 - SAMPLES_KEPT), sample];
    this.samples.set(host, kept);
    if (host === this.shownHost) this.fire(host, history ? { sample, history } : { sample });
  }

  /** More than the local host. */
  get several(): boolean {
    return this.links.length > 0;
  }

  get away(): ServerSession['away'] {
    return this.local.away;
  }

  /** Every host's status, the local one first. */
  statuses(): HostStatus[] {
    const away = this.local.away;
    return [{ host: LOCAL_HOST, state: away ? 'down' : 'up', reason: away?.reason ?? '' }, ...this.links.map((l) => l.status)];
  }

  /** The local subscription (each far host subscribes when it connects, and again when it is back). */
  subscribe(opts: SubscribeOptions = {}): Promise<void> {
    return this.local.subscribe(opts);
  }

  request(argv: string[], timeoutMs?: number, onProgress?: (p: ProgressWire) => void): Promise<RequestResult> {
    const routed = routeArgv(argv);
    return this.sessionOf(routed.host).request(routed.argv, timeoutMs, onProgress);
  }

  hostOf(argv: readonly string[]): string {
    return routeArgv(argv).host;
  }

  attach(guest: string, consoleName: string, opts: { readOnly: boolean; scrollback?: number }): Promise<ConsoleStream> {
    const { guest: name, host } = splitQualified(guest);
    const early = host === LOCAL_HOST ? this.opts.early?.(name, consoleName, opts) : undefined;
    if (!early) return this.sessionOf(host).attach(name, consoleName, opts);
    // Closed or failed before the pane came for it: attach as if there had been none.
    const again = () => this.local.attach(name, consoleName, opts);
    return early.then((s) => (s.closed ? (s.dispose(), again()) : s), again);
  }

  private sessionOf(host: string): ServerSession {
    if (host === LOCAL_HOST) return this.local;
    const link = this.links.find((l) => l.host.name === host);
    if (!link) throw new UmuxError('usage', `no host "${host}" in this view (hosts: ${[LOCAL_HOST, ...this.links.map((l) => l.host.name)].join(', ')})`);
    if (!link.session || link.session.away) throw new UmuxError('not-running', statusText(link.status));
    return link.session;
  }

  private setList(host: string, guests: GuestInfo[]): void {
    this.lists.set(host, guests);
    const all = [LOCAL_HOST, ...this.links.map((l) => l.host.name)].flatMap((h) => this.lists.get(h) ?? []);
    this.guestsEmitter.fire({ guests: all, problems: this.problems });
  }

  private changedStatus(status: HostStatus): void {
    const was = this.lastState.get(status.host);
    this.lastState.set(status.host, status.state);
    if (status.state !== 'connecting' && status.state !== was) this.opts.flash(statusText(status), status.state === 'up' ? 'ok' : 'error');
    this.hostsEmitter.fire(this.statuses());
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    for (const l of this.links) l.dispose();
    this.guestsEmitter.dispose();
    this.hostEmitter.dispose();
    this.hostsEmitter.dispose();
  }
}
