// The full-screen TUI (`umux` on a terminal, `umux tui`): composition and input routing. A sidebar of guests, one to
// four console panes (split, zoom, cycle), the status line and the `:` prompt, overlays, gauges, all fed by the
// server over the wire. Keys go to the focused pane except after the prefix (C-] by default; tui.toml, UMUX_PREFIX).
// Long on purpose: it is the one place that owns the screen, the session and the timers and routes every key; each
// piece it wires (panes, layout, scrollback, prompt, overlays, forms, themes) lives in its own file.

import { formatProgress } from '../protocol/progress.js';
import fs from 'node:fs';
import blessed from 'blessed';
import type { Widgets } from 'blessed';
import { ServerSession } from '../client/session.js';
import { isUmuxError } from '../core/errors.js';
import { applyKeyOverrides, KEYMAP } from '../commands/keymap.js';
import { absolutizeArgv } from '../commands/host-paths.js';
import type { GuestInfo, GuestListWire } from '../protocol/wire-messages.js';
import type { HostSample } from '../protocol/host-types.js';
import { escapeTags } from './cells.js';
import { printOut } from '../term/print.js';
import { parsePrefix, PrefixKeys } from './keys.js';
import { mouseReports, stripMouse, type MouseReport } from './mouse.js';
import { ConsolePane } from './pane.js';
import { PaneView } from './pane-view.js';
import { MAX_PANES, paneRects } from './layout.js';
import { guestLines, hostLines, SIDEBAR_WIDTH } from './sidebar.js';
import { attentionFirst, TerminalNotifier, type NotifyMode } from './notify.js';
import { GaugesView, type GaugesStyle } from './gauges.js';
import { commandArgv, confirmedArgv, questionFor } from './command-line.js';
import { completeLine } from './complete.js';
import { addToHistory, historyPath, loadHistory } from './history.js';
import { helpText } from './help.js';
import { hotplugForm } from './hotplug-form.js';
import { Overlays } from './overlays.js';
import { TuiFeed } from './server-feed.js';
import { PromptLine } from './prompt.js';
import { lookingSteps, recoverySteps } from './recovery.js';
import { readOnlyRefusal } from '../commands/read-only.js';
import { scrollActions } from './scroll-keys.js';
import { DEFAULT_THEME, listThemes, loadTheme, monochrome, themeDirs, type Theme } from './theme.js';

/** What tui.toml says (read by the caller: the TUI does not read config files itself). */
export interface TuiSettings {
  prefix?: string;
  theme?: string;
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
}

const fgbg = (c: { fg: string; bg: string }) => ({ fg: c.fg, bg: c.bg });
const tag = (color: string, layer: 'fg' | 'bg') => (color === 'default' ? '' : `{${color}-${layer}}`);

export async function runTui(opts: TuiOptions): Promise<number> {
  const env = opts.env ?? process.env;
  const settings: TuiSettings = opts.settings ?? { mouse: false, keys: {} };
  const prefixName = env['UMUX_PREFIX'] || settings.prefix || 'C-]';
  const keymap = applyKeyOverrides(KEYMAP, settings.keys);
  const keys = new PrefixKeys(parsePrefix(prefixName), keymap);
  const keyOf = (action: string) => keymap.find((k) => k.action === action)?.key;
  const noColor = Boolean(env['NO_COLOR']);
  const dirs = themeDirs(env);
  const withColor = (t: Theme) => (noColor ? monochrome(t) : t);
  let theme = withColor(loadTheme(env['UMUX_THEME'] || settings.theme || DEFAULT_THEME, dirs, env['UMUX_THEME'] ? 'UMUX_THEME' : 'theme'));
  // It rides through the server going away (issue 11): says so in the status line, and carries on once one is back.
  const session = await ServerSession.connect({ env, program: 'umux-tui', ride: true, readOnly: opts.readOnly });

  const screen = blessed.screen({ smartCSR: true, fullUnicode: true, forceUnicode: true, title: 'umux', autoPadding: false, warnings: false, dockBorders: true });
  // Unicode line drawing, not the alternate character set: it copies and captures as what it looks like.
  (screen as unknown as { tput: { brokenACS: boolean } }).tput.brokenACS = true;
  const sidebar = blessed.box({ parent: screen, top: 0, left: 0, width: SIDEBAR_WIDTH, height: '100%-1', border: 'line', label: ' guests ', tags: true });
  // Inside the sidebar's frame, above the status line (a child's offsets would count from the frame itself).
  const hostBox = blessed.box({ parent: screen, bottom: 2, left: 1, width: SIDEBAR_WIDTH - 2, height: 4, tags: true, wrap: false });
  const status = blessed.box({ parent: screen, bottom: 0, left: 0, width: '100%', height: 1, tags: true });
  const gaugesBox = blessed.box({ parent: screen, top: 0, left: SIDEBAR_WIDTH - 1, width: `100%-${SIDEBAR_WIDTH - 1}`, height: '100%-1', border: 'line', hidden: true, tags: true, label: ` host memory (${prefixName} ${keyOf('gauges') ?? 'g'} closes) ` });
  const gauges = new GaugesView(gaugesBox);

  let guests: GuestInfo[] = [];
  let host: HostSample | undefined;
  const panes: PaneView[] = [];
  let active = 0;
  let zoomed: number | undefined;
  let gaugesShown = false;
  let message = '';
  /** While the server is away: why, and what the TUI waits for (shown in the status line until it is back). */
  let serverAway = '';
  let messageTimer: NodeJS.Timeout | undefined;
  let modal = false;
  let done = false;
  let renderFailures = 0;
  let renders = 0;
  const hostLabel = (env['HOSTNAME'] || readHostname()).slice(0, 20);
  const histFile = historyPath(env);
  let history = loadHistory(histFile);

  const repaint = () => {
    if (done) return;
    try {
      renders++;
      screen.render();
    } catch (err) {
      // A widget that cannot draw at this size must not take the TUI (and the admin's terminal) down with it.
      if (renderFailures++ === 0) setImmediate(() => flash(`could not draw: ${(err as Error).message}`, 'error'));
    }
  };
  const overlays = new Overlays(screen, repaint, (open) => (modal = open));
  const prompt = new PromptLine(screen, repaint);

  const flash = (text: string, level: 'ok' | 'error' | 'info' = 'info', ms = 6000) => {
    if (done) return;
    const color = level === 'ok' ? theme.ok : level === 'error' ? theme.error : theme.info;
    const open = noColor ? (level === 'error' ? '{bold}' : '') : tag(color, 'fg');
    message = `${open}${escapeTags(text)}${open ? '{/}' : ''}`;
    clearTimeout(messageTimer);
    messageTimer = setTimeout(() => {
      message = '';
      drawStatus();
    }, ms);
    drawStatus();
  };

  /** The meters' colours and levels from the theme (all `default` under NO_COLOR: the glyphs carry the meaning). */
  const gaugesStyle = (): GaugesStyle => ({
    ok: theme.gauge,
    warn: theme.gaugeWarn,
    danger: theme.gaugeDanger,
    track: theme.gaugeTrack,
    mark: theme.gaugeMark,
    levels: theme.gaugeLevels,
    title: theme.title,
    axis: theme.border,
  });

  const activePane = (): PaneView | undefined => panes[active];
  const focusedGuest = (): GuestInfo | undefined => guests.find((g) => g.name === activePane()?.guest);

  const drawStatus = () => {
    if (done) return;
    const p = activePane();
    if (p?.scroll) {
      const where = `${p.guest}:${p.console}`;
      const text = ` SCROLLBACK ${where} ${p.scroll.status()} | / search  n/N next  t times  q back `;
      status.setContent(message ? ` ${message}` : escapeTags(text));
    } else {
      const g = focusedGuest();
      const mode = opts.readOnly ? 'read-only' : 'writer';
      const others = g ? ` | ${g.clients} attached` : '';
      const layout = panes.length > 1 ? ` | pane ${active + 1}/${panes.length}${zoomed !== undefined ? ' zoomed' : ''}` : '';
      const left = ` umux${hostLabel ? ` ${hostLabel}` : ''} | ${prefixName} prefix, ${prefixName} ${keyOf('help') ?? '?'} help | ${mode}${others}${layout} `;
      if (serverAway && !message) {
        const leave = `${prefixName} ${keyOf('detach') ?? 'd'} leaves`;
        const open = noColor ? '{bold}' : tag(theme.error, 'fg');
        status.setContent(` ${open}${escapeTags(`${serverAway} | ${mode} | ${leave}`)}${open ? '{/}' : ''}`);
      } else status.setContent(message ? ` ${message}` : escapeTags(left));
    }
    repaint();
  };

  /** Per guest, the newest event the admin has seen (shown in a pane, or its event log opened), or the TUI's start. */
  const seenEvents = new Map<string, string>();
  const startedAt = new Date().toISOString();
  const unseen = () => {
    const inPanes = new Set(panes.map((p) => p.guest));
    for (const g of guests) if (inPanes.has(g.name) && g.lastEventAt) seenEvents.set(g.name, g.lastEventAt);
    return new Set(guests.filter((g) => g.lastEventAt && g.lastEventAt > (seenEvents.get(g.name) ?? startedAt)).map((g) => g.name));
  };
  const drawSidebar = () => {
    const shown = new Set(panes.filter((_, i) => i !== active).map((p) => p.guest).filter((n): n is string => n !== undefined));
    sidebar.setContent(guestLines(guests, activePane()?.guest, { states: theme.states, shown, unseen: unseen() }));
    if (host) {
      // A rule with a title, then the meters, flush with the sidebar's bottom border.
      const rule = `${tag(theme.border, 'fg')}${'─ host '.padEnd(SIDEBAR_WIDTH - 2, '─')}${tag(theme.border, 'fg') ? '{/}' : ''}`;
      const lines = [rule, ...hostLines(host, gaugesStyle()).split('\n')];
      hostBox.height = lines.length;
      hostBox.setContent(lines.join('\n'));
    }
    hostBox.style = { fg: theme.sidebar.fg, bg: theme.sidebar.bg };
    repaint();
  };

  const mainArea = () => {
    // The panes share their left border with the sidebar's right one.
    const width = Math.max(1, Number(screen.width) - SIDEBAR_WIDTH + 1);
    const height = Math.max(1, Number(screen.height) - 1);
    return { left: SIDEBAR_WIDTH - 1, top: 0, width, height };
  };

  const layoutPanes = () => {
    const rects = paneRects(panes.length, mainArea(), zoomed);
    const style = { border: theme.border, focus: theme.borderFocus, mono: noColor };
    panes.forEach((p, i) => p.place(rects[i], i === active && (panes.length > 1 || noColor), style));
    drawSidebar();
    drawStatus();
  };

  const applyTheme = () => {
    sidebar.style = { fg: theme.sidebar.fg, bg: theme.sidebar.bg, border: { fg: theme.border }, label: { fg: theme.title } };
    status.style = noColor ? { inverse: true } : fgbg(theme.status);
    gaugesBox.style = { fg: theme.fg, bg: theme.bg, border: { fg: theme.border } };
    overlays.setStyle({ fg: theme.popup.fg, bg: theme.popup.bg, border: theme.popup.border, selected: theme.selected });
    prompt.setStyle({ label: theme.question, input: theme.prompt });
    for (const p of panes) p.box.style = { fg: theme.fg, bg: theme.bg, border: { fg: theme.border }, label: { fg: theme.title } };
    layoutPanes();
  };

  const newPane = () => {
    const p = new PaneView(screen, { session, readOnly: opts.readOnly, colors: () => theme.paneColors, repaint, flash });
    return p;
  };

  const showIn = async (p: PaneView, name: string | undefined, consoleIndex = 0) => {
    const g = guests.find((x) => x.name === name);
    const pending = p.show(g, consoleIndex);
    layoutPanes();
    await pending;
    applyPaneStyle(p);
    layoutPanes();
  };
  const applyPaneStyle = (p: PaneView) => {
    p.box.style = { fg: theme.fg, bg: theme.bg, border: { fg: theme.border }, label: { fg: theme.title } };
  };

  /** A guest list from the server (pushed, or asked for under UMUX_TUI_POLL): panes attach to what they show. */
  const showList = async (list: GuestListWire) => {
    try {
      guests = attentionFirst(list.guests);
      notifier.update(guests, new Set(panes.map((p) => p.guest)));
      if (panes.length === 0 && guests.length > 0) {
        panes.push(newPane());
        await showIn(panes[0]!, guests[0]!.name);
      }
      for (const p of panes) {
        const g = guests.find((x) => x.name === p.guest);
        if (p.wantsAttach(g)) await showIn(p, p.guest, p.consoleIndex);
      }
      drawSidebar();
      drawStatus();
    } catch (err) {
      flash(`cannot list guests: ${isUmuxError(err) ? err.message : String(err)}`, 'error');
    }
  };
  const notifier = new TerminalNotifier(settings.notify ?? 'none', (bytes) => screen.program.output.write(bytes), env);
  const drawGauges = () => {
    if (!gaugesShown || done || !host) return;
    gauges.show(host, [...feed.samples], gaugesStyle());
    repaint();
  };
  const feed = new TuiFeed(
    session,
    {
      list: showList,
      host: (sample) => {
        host = sample;
        drawSidebar();
        drawGauges();
      },
      error: (text) => flash(text, 'error'),
    },
    env['UMUX_TUI_POLL'] === '1',
  );

  const ask = (label: string, initial?: string, note?: string) => prompt.read({ label, ...(initial !== undefined ? { initial } : {}), ...(note !== undefined ? { note } : {}) });
  const confirm = async (question: string) => /^y(es)?$/i.test((await ask(`${question} [y/N] `))?.trim() ?? '');
  const errorText = (err: unknown) => (isUmuxError(err) ? `${err.message}${err.hint ? ` (${err.hint})` : ''}` : String(err));

  /** Sends server argv (asking first where the table says so) and shows the reply: one line in the status, more in a view. */
  const runArgv = async (argv: string[]) => {
    // The server refuses it anyway (it knows this connection is read-only): say so without asking a question first.
    const refused = opts.readOnly ? readOnlyRefusal(argv, 'umux-tui') : undefined;
    if (refused) return flash(refused.message, 'error');
    const question = questionFor(argv);
    if (question !== undefined) {
      if (!(await confirm(question))) return flash('not sent');
      argv = confirmedArgv(argv);
    }
    try {
      // Long work (a backup) shows its progress in the status line until the reply replaces it.
      const reply = await session.request(absolutizeArgv(argv, process.cwd()), undefined, (p) => flash(formatProgress(p), 'info', 30_000));
      const text = (reply.text ?? (reply.data === null || reply.data === undefined ? 'OK' : JSON.stringify(reply.data, null, 2))).replace(/\n+$/, '');
      if (text.split('\n').length > 1) overlays.showText(text);
      else flash(text, 'ok');
      feed.refresh();
    } catch (err) {
      flash(errorText(err), 'error');
    }
  };

  const devicesOf = (g: GuestInfo | undefined) => (g ? [...g.consoles.map((c) => c.name), 'ubda', 'ubdb', 'ubdc', 'ubdd', 'eth0', 'mem'] : []);
  const runCommand = async () => {
    const names = guests.map((g) => g.name);
    const line = await prompt.read({
      label: ':',
      history,
      complete: (text, cursor) => completeLine(text, cursor, { guests: names, devices: devicesOf(focusedGuest()), ...(activePane()?.guest ? { focused: activePane()!.guest! } : {}) }),
    });
    if (line === undefined || line.trim() === '') return;
    history = addToHistory(histFile, history, line);
    const argv = commandArgv(line, activePane()?.guest, names);
    if (typeof argv === 'string') return flash(argv, 'error');
    await runArgv(argv);
  };

  const showEvents = async (name: string | undefined) => {
    if (name === undefined) return flash('no guest here: the sidebar is empty', 'error');
    try {
      const events = (await session.request(['events', name])).data as Array<{ at: string; text: string }>;
      const last = events.at(-1)?.at;
      if (last) seenEvents.set(name, last);
      drawSidebar();
      overlays.showText(events.length ? events.map((e) => `${e.at.slice(11, 19)}  ${e.text}`).join('\n') : `no events for ${name} yet`, ` ${name}: events (q closes) `, true);
    } catch (err) {
      flash(errorText(err), 'error');
    }
  };

  const scrollStyle = () =>
    noColor
      ? { match: '{underline}', current: '{inverse}', timestamp: '' }
      : { match: tag(theme.match.fg, 'fg') + tag(theme.match.bg, 'bg'), current: `{bold}${tag(theme.currentMatch.fg, 'fg')}${tag(theme.currentMatch.bg, 'bg')}`, timestamp: tag(theme.timestamp, 'fg') };

  const enterScrollback = async (p: PaneView | undefined) => {
    if (!p) return undefined;
    const s = await p.enterScrollback(scrollStyle);
    drawStatus();
    return s;
  };
  const scrollBy = async (p: PaneView, delta: number) => {
    const s = p.scroll ?? (delta < 0 ? await enterScrollback(p) : undefined);
    if (!s) return;
    s.scroll(delta);
    p.paintScroll();
    drawStatus();
  };

  const searchIn = async (p: PaneView, backward: boolean) => {
    const s = p.scroll;
    if (!s) return;
    const before = { top: s.top, query: s.query };
    s.beginSearch();
    const query = await prompt.read({
      label: backward ? '?' : '/',
      onChange: (q) => {
        s.search(q, backward);
        p.paintScroll();
        drawStatus();
      },
    });
    if (query === undefined) {
      s.search(before.query, backward);
      s.top = before.top;
    } else if (query !== '' && !s.search(query, backward)) flash(`"${query}" is not in the last ${s.lines.length} lines`, 'error');
    s.lastBackward = backward;
    p.paintScroll();
    drawStatus();
  };

  const onScrollKeys = async (p: PaneView, chunk: string) => {
    const s = p.scroll!;
    for (const action of scrollActions(chunk)) {
      switch (action) {
        case 'up':
          s.scroll(-1);
          break;
        case 'down':
          s.scroll(1);
          break;
        case 'page-up':
          s.scroll(-(s.height - 1));
          break;
        case 'page-down':
          s.scroll(s.height - 1);
          break;
        case 'top':
          s.toTop();
          break;
        case 'bottom':
          s.toBottom();
          break;
        case 'search':
        case 'search-back':
          await searchIn(p, action === 'search-back');
          return;
        case 'next':
        case 'prev':
          if (!s.query) flash('no search yet: / searches', 'error');
          else if (s.step(action === 'prev' ? !s.lastBackward : s.lastBackward)) flash('search wrapped around');
          break;
        case 'times':
          s.showTimes = !s.showTimes;
          break;
        case 'quit':
          p.leaveScrollback();
          drawStatus();
          return;
      }
    }
    p.paintScroll();
    drawStatus();
  };

  const recover = async () => {
    const g = focusedGuest();
    if (!g) return flash('no guest to recover: the sidebar is empty', 'error');
    // A read-only admin is offered only the steps that look (events, the log).
    const steps = opts.readOnly ? lookingSteps(recoverySteps(g)) : recoverySteps(g);
    if (steps.length === 0) return flash(`read-only client: recovering ${g.name} changes the guest; ask for a writer (umux tui without --read-only)`, 'error');
    const i = await overlays.pick(`recover ${g.name} (${g.state})`, steps.map((s, n) => `${n + 1}. ${s.label}`));
    if (i === undefined) return;
    const step = steps[i]!;
    if (step.view === 'events') return showEvents(g.name);
    if (step.view === 'log') {
      await enterScrollback(activePane());
      return;
    }
    flash(`${g.name}: ${step.argv.join(' ')} …`);
    await runArgv(step.argv);
  };

  const cycleTheme = () => {
    const all = listThemes(dirs).map((t) => t.name);
    const next = all[(all.indexOf(theme.name) + 1) % all.length] ?? DEFAULT_THEME;
    try {
      theme = withColor(loadTheme(next, dirs));
      applyTheme();
      for (const p of panes) p.live?.schedule();
      flash(`theme: ${theme.name}${noColor ? ' (NO_COLOR: no colours)' : ''}: ${theme.description}`, 'info');
    } catch (err) {
      flash(errorText(err), 'error');
    }
  };

  const act = async (action: string) => {
    const p = activePane();
    const gi = guests.findIndex((g) => g.name === p?.guest);
    switch (action) {
      case 'next-guest':
      case 'prev-guest': {
        if (guests.length === 0 || !p) return;
        const next = guests[(gi + (action === 'next-guest' ? 1 : -1) + guests.length) % guests.length]!;
        await showIn(p, next.name);
        return;
      }
      case 'next-console':
        if (p) await showIn(p, p.guest, p.consoleIndex + 1);
        return;
      case 'split': {
        if (panes.length >= MAX_PANES) return flash(`${MAX_PANES} panes is the most: ${prefixName} ${keyOf('close-pane') ?? 'x'} closes one`, 'error');
        if (guests.length === 0) return flash('no guest to show', 'error');
        const shown = new Set(panes.map((x) => x.guest));
        const from = Math.max(0, gi);
        const pick = guests.map((_, k) => guests[(from + 1 + k) % guests.length]!).find((g) => !shown.has(g.name)) ?? guests[from]!;
        const q = newPane();
        panes.splice(active + 1, 0, q);
        active += 1;
        zoomed = undefined;
        await showIn(q, pick.name, pick.name === p?.guest ? p.consoleIndex + 1 : 0);
        return;
      }
      case 'close-pane': {
        if (panes.length <= 1) return flash(`the last pane stays: ${prefixName} ${keyOf('detach') ?? 'd'} leaves the TUI`, 'error');
        panes.splice(active, 1)[0]!.dispose();
        active = Math.min(active, panes.length - 1);
        zoomed = undefined;
        layoutPanes();
        return;
      }
      case 'zoom':
        if (panes.length === 1) return flash('one pane: nothing to zoom', 'info');
        zoomed = zoomed === undefined ? active : undefined;
        layoutPanes();
        return;
      case 'next-pane':
        active = (active + 1) % Math.max(1, panes.length);
        if (zoomed !== undefined) zoomed = active;
        layoutPanes();
        return;
      case 'scrollback':
        await enterScrollback(p);
        return;
      case 'search': {
        const s = await enterScrollback(p);
        if (s && p) await searchIn(p, false);
        return;
      }
      case 'command':
        await runCommand();
        return;
      case 'help':
        overlays.showText(helpText(keymap, prefixName), ' help (q closes, arrows scroll) ');
        return;
      case 'gauges':
        gaugesShown = !gaugesShown;
        if (gaugesShown) {
          gaugesBox.show();
          gaugesBox.setFront();
          drawGauges();
        } else {
          gauges.clear();
          gaugesBox.hide();
          repaint();
        }
        return;
      case 'events':
        await showEvents(p?.guest);
        return;
      case 'recover':
        await recover();
        return;
      case 'hotplug': {
        const g = focusedGuest();
        if (!g) return flash('no guest to plug into', 'error');
        if (opts.readOnly) return flash('read-only: hot-plug is not sent', 'error');
        await hotplugForm(g.name, { ask, confirm, request: (argv) => session.request(absolutizeArgv(argv, process.cwd())), show: (t) => overlays.showText(t), flash, cwd: process.cwd() });
        return;
      }
      case 'theme':
        cycleTheme();
        return;
      case 'detach':
        finish();
        return;
    }
  };

  let resolveDone: (code: number) => void = () => undefined;
  const finished = new Promise<number>((r) => (resolveDone = r));
  const finish = () => {
    if (done) return;
    done = true;
    feed.dispose();
    clearTimeout(messageTimer);
    process.stdin.off('data', onInput);
    for (const p of panes) p.dispose();
    prompt.dispose();
    overlays.dispose();
    session.dispose();
    screen.destroy();
    process.stdin.pause();
    writeStats(env['UMUX_TUI_STATS'], { frames: ConsolePane.totalFrames, renders, requests: session.requestsSent });
    printOut(`${opts.leaveMessage ?? 'umux: left the TUI; guests and the server keep running'}\n`);
    resolveDone(0);
  };

  const onInput = (chunk: Buffer) => {
    if (done) return;
    let bytes: Uint8Array = new Uint8Array(chunk);
    if (settings.mouse) {
      if (!modal && !prompt.active) for (const m of mouseReports(bytes)) onMouse(m);
      bytes = stripMouse(bytes);
    }
    if (bytes.length === 0) return;
    if (prompt.active) return prompt.feed(bytes);
    if (modal) return; // an overlay has the keyboard (blessed's key handlers)
    const p = activePane();
    if (p?.scroll) {
      onScrollKeys(p, Buffer.from(bytes).toString('latin1')).catch((err: unknown) => flash(errorText(err), 'error'));
      return;
    }
    for (const ev of keys.feed(bytes)) {
      if (ev.kind === 'guest') {
        if (opts.readOnly) flash('read-only: typing is not sent to the guest', 'error');
        else if (session.away) flash(`not sent: no umux server (${prefixName} ${keyOf('detach') ?? 'd'} leaves)`, 'error');
        else if (p?.live) p.live.stream.write(ev.bytes);
        else if (p?.guest) flash(`${p.guest} is not running: nothing to type into (${prefixName} ${keyOf('recover') ?? 'r'}: recovery)`, 'error');
      } else if (ev.kind === 'action') act(ev.action).catch((err: unknown) => flash(`${ev.action}: ${errorText(err)}`, 'error'));
      else flash(`${prefixName} ${ev.key} is not bound (${prefixName} ${keyOf('help') ?? '?'} lists the keys)`, 'error');
    }
  };
  // Before blessed's own listener: a key that closes an overlay (q, Esc) is seen while the overlay is still open,
  // so it never reaches the guest too.
  process.stdin.prependListener('data', onInput);
  /** Clicks and the wheel, read from the input here (blessed misses reports that arrive together). */
  const onMouse = (m: MouseReport) => {
    if (m.release) return;
    const inside = (b: Widgets.BoxElement) =>
      b.visible && m.x >= Number(b.aleft) && m.x < Number(b.aleft) + Number(b.width) && m.y >= Number(b.atop) && m.y < Number(b.atop) + Number(b.height);
    if (m.x < SIDEBAR_WIDTH - 1 && m.button === 0) {
      const g = guests[m.y - 1];
      const p = activePane();
      if (g && p) void showIn(p, g.name);
      return;
    }
    const i = panes.findIndex((p) => inside(p.box));
    const p = panes[i];
    if (!p) return;
    if (m.button === 0 && i !== active) {
      active = i;
      layoutPanes();
    } else if (m.button === 64 || m.button === 65) void scrollBy(p, m.button === 64 ? -3 : 3);
  };
  if (settings.mouse) screen.program.enableMouse();
  screen.on('resize', () => {
    layoutPanes();
    drawGauges();
  });
  session.onClose((reason) => {
    if (done) return;
    flash(`server connection lost: ${reason}`, 'error');
    setTimeout(finish, 1500);
  });
  session.onAway((away) => {
    serverAway = away.text;
    drawStatus();
  });
  session.onRideStatus((text) => {
    serverAway = text;
    drawStatus();
  });
  session.onBack((pid) => {
    serverAway = '';
    flash(`reconnected: umux server pid ${pid}`, 'ok');
    // Subscribed again: the first list makes the panes attach again to what they showed (fresh snapshots, sizes).
    void feed.start();
  });

  applyTheme();
  if (opts.banner) flash(opts.banner, 'info', 30_000);
  else if (settings.ignored) flash(settings.ignored.join('; '), 'error', 30_000);
  await feed.start();
  return finished;
}

function readHostname(): string {
  try {
    return fs.readFileSync('/proc/sys/kernel/hostname', 'utf8').trim();
  } catch {
    return '';
  }
}

/** For the bench: what the TUI drew, written as JSON on leaving when UMUX_TUI_STATS names a file. */
function writeStats(file: string | undefined, stats: { frames: number; renders: number; requests: number }): void {
  if (!file) return;
  try {
    fs.writeFileSync(file, `${JSON.stringify(stats)}\n`);
  } catch {
    // a bench aid: never in the way of leaving
  }
}

export type { Widgets };
