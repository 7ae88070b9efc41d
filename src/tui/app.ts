// The full-screen TUI (`umux` on a terminal, `umux tui`): builds its parts and wires them. A sidebar of guests fed
// by the server (guest-list.ts), one to four console panes (workspace.ts), scroll mode, the status line, the `:`
// prompt, overlays and gauges; keys go to the focused pane except after the prefix (input.ts, actions.ts).

import fs from 'node:fs';
import type { ServerSession } from '../client/session.js';
import type { SshHost } from '../client/ssh-transport.js';
import { DisposableStore, toDisposable } from '../core/disposable.js';
import { applyKeyOverrides, DEFAULT_PREFIX, KEYMAP } from '../commands/keymap.js';
import { printOut } from '../term/print.js';
import { preloadScreen } from '../term/screen.js';
import { CommandRunner } from './command-runner.js';
import { GaugesSlot } from './gauges-slot.js';
import { GuestList } from './guest-list.js';
import { HostSessions } from './host-sessions.js';
import { splitQualified } from '../protocol/host-guest.js';
import { TerminalNotifier, type NotifyMode } from './notify.js';
import { historyPath } from './history.js';
import { InputRouter } from './input.js';
import { KeyHints, parsePrefix } from './keys.js';
import { Look } from './look.js';
import { TuiOpening } from './opening.js';
import { Overlays } from './overlays.js';
import { ConsolePane } from './pane.js';
import { PromptLine } from './prompt.js';
import { ScrollMode } from './scroll-mode.js';
import { StatusLine, type StatusFacts } from './status-line.js';
import { DEFAULT_THEME, themeDirs } from './theme.js';
import type { TuiParts } from './tui-parts.js';
import { TuiScreen } from './tui-screen.js';
import { startStep, startTimes } from './start-times.js';
import { Workspace } from './workspace.js';

/** What tui.toml says, the environment laid over it (config/tui-settings.ts; the TUI reads no config file itself). */
export interface TuiSettings {
  prefix?: string;
  theme?: string;
  /** Where `theme` came from (`UMUX_THEME`, `tui.toml: theme`), for the error when there is no such theme. */
  themeSource?: string;
  mouse: boolean;
  notify?: NotifyMode;
  keys: Readonly<Record<string, string>>;
  /** tui.toml files found where umux does not read them, each a sentence: shown at the start. */
  ignored?: string[];
}

export interface TuiOptions {
  readOnly: boolean;
  env?: NodeJS.ProcessEnv;
  settings?: TuiSettings;
  /** Shown at the start (the demo explains itself). */
  banner?: string;
  /** Printed after the TUI is gone. */
  leaveMessage?: string;
  /** Other hosts shown beside this one (hosts.toml, or umux tui --host), reached over ssh. */
  hosts?: readonly SshHost[];
  /** The connection, subscription and first attach, started while the TUI loaded (main.ts); else started here. */
  opening?: TuiOpening;
}

export async function runTui(opts: TuiOptions): Promise<number> {
  startStep('loaded');
  const env = opts.env ?? process.env;
  const settings: TuiSettings = opts.settings ?? { mouse: false, keys: {} };
  const keys = new KeyHints(settings.prefix ?? DEFAULT_PREFIX, applyKeyOverrides(KEYMAP, settings.keys));
  const prefix = parsePrefix(keys.prefix);
  const look = new Look(settings.theme ?? DEFAULT_THEME, settings.themeSource ?? 'theme', Boolean(env['NO_COLOR']), themeDirs(env));
  // It rides through the server going away (issue 11): says so in the status line, and carries on once one is back.
  const opening = opts.opening ?? TuiOpening.start({ readOnly: opts.readOnly, env });
  try {
    const session = await opening.take();
    startStep('connected');
    const tui = new Tui(session, look, keys, opts, env, opening);
    startStep('screen');
    tui.own(new InputRouter(tui, prefix, settings.mouse));
    tui.restyle();
    if (opts.banner) tui.status.flash(opts.banner, 'info', 30_000);
    else if (settings.ignored) tui.status.flash(settings.ignored.join('; '), 'error', 30_000);
    // While the server makes the guest list and the first pane's snapshot: that pane's terminal model code (xterm.js).
    preloadScreen();
    await opening.listed();
    const started = opening.subscribed ? undefined : tui.guests.start();
    opening.releasePushes();
    await started;
    return await tui.finished;
  } finally {
    opening.dispose();
  }
}

/** The parts, built in the order they draw on each other; disposed in reverse by leave(). */
class Tui implements TuiParts {
  readonly ui = new TuiScreen();
  readonly readOnly: boolean;
  readonly status: StatusLine;
  readonly overlays: Overlays;
  readonly prompt: PromptLine;
  readonly gauges: GaugesSlot;
  readonly workspace: Workspace;
  readonly guests: GuestList;
  readonly hosts: HostSessions;
  readonly scroll: ScrollMode;
  readonly commands: CommandRunner;
  readonly finished: Promise<number>;
  private readonly parts = new DisposableStore();
  private done: (code: number) => void = () => undefined;

  constructor(
    readonly session: ServerSession,
    readonly look: Look,
    readonly keys: KeyHints,
    private readonly opts: TuiOptions,
    private readonly env: NodeJS.ProcessEnv,
    opening: TuiOpening,
  ) {
    this.readOnly = opts.readOnly;
    this.finished = new Promise<number>((resolve) => (this.done = resolve));
    const { ui, parts } = this;
    const flash = this.flash;
    parts.add(ui);
    parts.add(session);
    // Under `umux --host b tui` the view is b's: the status line says so, not this machine's name.
    const where = session.where === 'local' ? env['HOSTNAME'] || readHostname() : session.where;
    this.status = parts.add(new StatusLine(ui, look, { host: where.slice(0, 20), keys }));
    this.overlays = parts.add(new Overlays(ui.blessed, ui.repaint));
    this.prompt = parts.add(new PromptLine(ui.blessed, ui.repaint));
    this.gauges = new GaugesSlot(
      async () => new (await import('./gauges-panel.js')).GaugesPanel(ui, look, keys.of('gauges')),
      () => ({ host: this.guests.host, samples: this.guests.samples }),
      (why) => flash(why, 'error'),
      () => this.hosts.wantHistory(),
    );
    const early = opening.claim.bind(opening);
    this.hosts = parts.add(new HostSessions(session, opts.hosts ?? [], { readOnly: this.readOnly, env, flash: (text, level) => this.status.flash(text, level), early }));
    const hosts = this.hosts;
    const laidOut = () => {
      // The meters follow the focused guest's host (redrawn when its samples come).
      hosts.showHost(splitQualified(this.workspace.active?.guest ?? '').host);
      this.guests.draw();
      this.status.draw();
    };
    this.workspace = parts.add(new Workspace({ ui, session: hosts, readOnly: this.readOnly, look, flash, guests: () => this.guests.guests, laidOut }));
    this.guests = parts.add(
      new GuestList({
        ui, session: hosts, look, flash, poll: env['UMUX_TUI_POLL'] === '1',
        panes: () => ({ focused: this.workspace.active?.guest, all: this.workspace.panes.map((p) => p.guest), activeIndex: this.workspace.activeIndex }),
        listed: () => {
          startStep('listed');
          return this.workspace.attachAll();
        },
        sampled: () => this.gauges.draw(),
        drawStatus: () => this.status.draw(),
        meterHost: () => hosts.meterHost,
        notifier: new TerminalNotifier(opts.settings?.notify ?? 'none', (bytes) => ui.blessed.program.output.write(bytes), env),
      }),
    );
    this.scroll = new ScrollMode({ prompt: this.prompt, flash, drawStatus: () => this.status.draw(), style: () => look.scrollStyle() });
    this.commands = new CommandRunner({ session: hosts, readOnly: this.readOnly, prompt: this.prompt, overlays: this.overlays, flash, refresh: () => this.guests.refresh(), historyFile: historyPath(env) });
    this.status.describe(() => this.statusFacts());
    if (hosts.several) this.showHosts();
    this.wire();
  }

  private readonly flash = (text: string, level?: 'ok' | 'error' | 'info', ms?: number): void => this.status.flash(text, level, ms);

  /** A part to dispose on leaving (after those built before it). */
  own(part: { dispose(): void }): void {
    this.parts.add(part);
  }

  private statusFacts(): StatusFacts {
    const { workspace } = this;
    const p = workspace.active;
    const clients = workspace.focusedGuest()?.clients;
    return {
      ...(p?.scroll ? { scroll: { where: `${p.guest}:${p.console}`, status: p.scroll.status() } } : {}),
      ...(clients !== undefined ? { clients } : {}),
      readOnly: this.readOnly,
      panes: workspace.panes.length,
      active: workspace.activeIndex,
      zoomed: workspace.zoomed,
    };
  }

  /** The screen's resizes and draw failures, and the session: lost, away, back. */
  private wire(): void {
    const { ui, session, status, parts } = this;
    ui.blessed.on('resize', () => {
      this.workspace.layout();
      this.gauges.draw();
    });
    parts.add(ui.onDrawFailed((text) => status.flash(text, 'error')));
    parts.add(
      session.onClose((reason) => {
        status.flash(`server connection lost: ${reason}`, 'error');
        const timer = setTimeout(() => this.leave(), 1500);
        parts.add(toDisposable(() => clearTimeout(timer)));
      }),
    );
    parts.add(session.onAway((away) => status.setAway(away.text)));
    parts.add(session.onRideStatus((text) => status.setAway(text)));
    parts.add(
      session.onBack((pid) => {
        status.setAway('');
        status.flash(`reconnected: umux server pid ${pid}`, 'ok');
        // Subscribed again: the first list makes the panes attach again to what they showed (fresh snapshots, sizes).
        void this.guests.start();
      }),
    );
  }

  /** Several hosts: the sidebar groups by host, each with its header and, when unreachable, why. */
  private showHosts(): void {
    const { guests, hosts, parts } = this;
    guests.view.group = 'host';
    guests.view.hosts = hosts.statuses();
    parts.add(
      hosts.onHosts((all) => {
        guests.view.hosts = all;
        guests.draw();
      }),
    );
  }

  restyle(): void {
    const t = this.look.theme;
    this.guests.applyStyle();
    this.status.applyStyle();
    this.gauges.applyStyle();
    this.overlays.setStyle({ fg: t.popup.fg, bg: t.popup.bg, border: t.popup.border, selected: t.selected });
    this.prompt.setStyle({ label: t.question, input: t.prompt });
    this.workspace.restyle();
  }

  leave(): void {
    if (this.parts.isDisposed) return;
    this.parts.dispose();
    process.stdin.pause();
    writeStats(this.env['UMUX_TUI_STATS'], { frames: ConsolePane.totalFrames, renders: this.ui.renders, paneOnlyRenders: this.ui.paneOnlyRenders, requests: this.session.requestsSent, start: startTimes() });
    printOut(`${this.opts.leaveMessage ?? 'umux: left the TUI; guests and the server keep running'}\n`);
    this.done(0);
  }
}

function readHostname(): string {
  try {
    return fs.readFileSync('/proc/sys/kernel/hostname', 'utf8').trim();
  } catch {
    return '';
  }
}

/** For the bench: what the TUI drew, written as JSON on leaving when UMUX_TUI_STATS names a file. */
function writeStats(file: string | undefined, stats: { frames: number; renders: number; paneOnlyRenders: number; requests: number; start: object }): void {
  if (!file) return;
  try {
    fs.writeFileSync(file, `${JSON.stringify(stats)}\n`);
  } catch {
    // a bench aid: never in the way of leaving
  }
}
