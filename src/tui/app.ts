// The full-screen TUI (`umux` on a terminal, `umux tui`), its composition and event loop: a sidebar of guests, the focused
// guest's console pane, host memory at the foot of the sidebar, a status bar, and the `:` command line, all fed by
// the server over the wire. Keys go to the guest except after the prefix (C-] by default, UMUX_PREFIX).

import blessed from 'blessed';
import type { Widgets } from 'blessed';
import { ServerSession } from '../client/session.js';
import { isUmuxError } from '../core/errors.js';
import type { GuestInfo } from '../protocol/wire-messages.js';
import type { HostSample } from '../protocol/host-types.js';
import { escapeTags } from './cells.js';
import { plainText } from '../term/plain-text.js';
import { KEYMAP, parsePrefix, PrefixKeys } from './keys.js';
import { ConsolePane } from './pane.js';
import { guestLines, hostLines, SIDEBAR_WIDTH } from './sidebar.js';
import { GaugesView } from './gauges.js';
import { commandArgv, questionFor } from './command-line.js';
import { absolutizeArgv } from '../commands/host-paths.js';

const SIDEBAR = SIDEBAR_WIDTH;
const LIST_MS = 1000;
const HOST_MS = 5000;

export interface TuiOptions {
  readOnly: boolean;
  env?: NodeJS.ProcessEnv;
  /** Shown at the start (the demo explains itself). */
  banner?: string;
  /** Printed after the TUI is gone. */
  leaveMessage?: string;
}

export async function runTui(opts: TuiOptions): Promise<number> {
  const env = opts.env ?? process.env;
  const prefixName = env['UMUX_PREFIX'] || 'C-]';
  const keys = new PrefixKeys(parsePrefix(prefixName));
  const colors = !env['NO_COLOR'];
  const session = await ServerSession.connect({ env, program: 'umux-tui' });

  const screen = blessed.screen({ smartCSR: true, fullUnicode: true, forceUnicode: true, title: 'umux', autoPadding: false, warnings: false, dockBorders: true });
  // Unicode line drawing, not the alternate character set: it copies and captures as what it looks like.
  (screen as unknown as { tput: { brokenACS: boolean } }).tput.brokenACS = true;
  const sidebar = blessed.box({ parent: screen, top: 0, left: 0, width: SIDEBAR, height: '100%-1', border: 'line', label: ' guests ', tags: true });
  const hostBox = blessed.box({ parent: sidebar, bottom: 0, left: 0, width: '100%-2', height: 6, tags: true });
  const paneBox = blessed.box({ parent: screen, top: 0, left: SIDEBAR, width: `100%-${SIDEBAR}`, height: '100%-1', border: 'line', tags: true, label: ' no guest ' });
  const status = blessed.box({ parent: screen, bottom: 0, left: 0, width: '100%', height: 1, tags: true, style: { bg: 'blue', fg: 'white' } });
  const question = blessed.box({ parent: screen, bottom: 0, left: 0, width: 1, height: 1, hidden: true, style: { bg: 'black', fg: 'yellow' } });
  const prompt = blessed.textbox({ parent: screen, bottom: 0, left: 1, width: '100%-1', height: 1, inputOnFocus: false, hidden: true, style: { bg: 'black', fg: 'white' } });
  const gaugesBox = blessed.box({ parent: screen, top: 0, left: SIDEBAR, width: `100%-${SIDEBAR}`, height: '100%-1', border: 'line', hidden: true, tags: true, label: ` host memory (${prefixName} g closes) ` });
  const gauges = new GaugesView(gaugesBox);
  let gaugesShown = false;
  const drawGauges = async () => {
    if (!gaugesShown) return;
    try {
      const data = (await session.request(['host'])).data as { sample: HostSample; history: HostSample[] };
      host = data.sample;
      if (gaugesShown && !done) gauges.show(data.sample, data.history);
      repaint();
    } catch (err) {
      flash(`host figures: ${isUmuxError(err) ? err.message : String(err)}`, 'error');
    }
  };
  const popup = blessed.box({
    parent: screen, top: 'center', left: 'center', width: '80%', height: '70%', border: 'line', hidden: true, scrollable: true,
    alwaysScroll: true, keys: true, vi: true, tags: true, label: ' reply (q closes) ',
  });

  let guests: GuestInfo[] = [];
  let host: HostSample | undefined;
  let focused: string | undefined;
  let pane: ConsolePane | undefined;
  let consoleIndex = 0;
  let message = '';
  let messageTimer: NodeJS.Timeout | undefined;
  let modal = false;
  let done = false;
  let renderFailures = 0;
  const repaint = () => {
    if (done) return;
    try {
      screen.render();
    } catch (err) {
      // A widget that cannot draw at this size must not take the TUI (and the admin's terminal) down with it.
      if (renderFailures++ === 0) setImmediate(() => flash(`could not draw: ${(err as Error).message}`, 'error'));
    }
  };

  const flash = (text: string, level: 'ok' | 'error' | 'info' = 'info', ms = 6000) => {
    if (done) return;
    const color = level === 'ok' ? 'green' : level === 'error' ? 'red' : 'white';
    message = `{${color}-fg}${escapeTags(text)}{/}`;
    clearTimeout(messageTimer);
    messageTimer = setTimeout(() => {
      message = '';
      drawStatus();
    }, ms);
    drawStatus();
  };

  const drawStatus = () => {
    const g = guests.find((x) => x.name === focused);
    const mode = opts.readOnly ? 'read-only' : 'writer';
    const others = g ? `${g.clients} attached` : '';
    const left = ` umux | ${prefixName} prefix, ${prefixName} ? help | ${mode}${others ? ` | ${others}` : ''} `;
    status.setContent(message ? ` ${message}` : escapeTags(left));
    repaint();
  };

  const drawSidebar = () => {
    sidebar.setContent(guestLines(guests, focused));
    if (host) hostBox.setContent(hostLines(host));
    repaint();
  };

  let attaching = false;
  const focus = async (name: string | undefined) => {
    attaching = true;
    try {
      await focusNow(name);
    } finally {
      attaching = false;
    }
  };
  const focusNow = async (name: string | undefined) => {
    pane?.dispose();
    pane = undefined;
    focused = name;
    const g = guests.find((x) => x.name === name);
    paneBox.setContent('');
    if (!g) {
      paneBox.setLabel(' no guest ');
      drawSidebar();
      return;
    }
    const attachable = g.consoles.filter((c) => !c.lost && (c.status === undefined || c.status === 'held'));
    const c = attachable[consoleIndex % Math.max(1, attachable.length)];
    if (!c || g.pid === null) {
      paneBox.setLabel(` ${g.name} | ${g.state} `);
      const notes = g.consoles.map((x) => x.note).filter(Boolean);
      const head = [`${g.name} is ${g.state}${g.panic ? `: panic: ${g.panic}` : ''}`, ...notes, '', `from ${g.name}:con0's log (:restart boots it again, :events says what happened):`];
      paneBox.setContent(escapeTags(head.join('\n')));
      drawSidebar();
      // The console's log, as plain text: the bytes went through plainText, never to the terminal as they came.
      const rows = Math.max(1, Number(paneBox.height) - 3 - head.length);
      const tail = await session.request(['log', `${g.name}:con0`, '--lines', '300']).then(
        (r) => plainText(r.text ?? '').split('\n'),
        () => [] as string[],
      );
      // After a panic, show its message and what led to it rather than the end of the stack dump.
      const at = tail.findLastIndex((l) => l.includes('Kernel panic'));
      const lines = at >= 0 ? tail.slice(Math.max(0, at - 4), Math.max(0, at - 4) + rows) : tail.slice(-rows);
      if (focused === name && pane === undefined) {
        paneBox.setContent(escapeTags([...head, ...lines].join('\n')));
        repaint();
      }
      return;
    }
    try {
      const stream = await session.attach(g.name, c.name, { readOnly: opts.readOnly });
      if (focused !== name) {
        stream.dispose();
        return;
      }
      const who = stream.others.length ? ` | also: ${stream.others.map((o) => `${o.user}${o.readOnly ? '(ro)' : ''}`).join(', ')}` : '';
      paneBox.setLabel(` ${g.name}:${c.name} | ${g.adopted ? 'held pts/tty' : 'socketpair'}${who} `);
      pane = new ConsolePane(stream, paneBox, repaint, colors);
      stream.onNotice((n) => flash(n.text, n.level === 'error' ? 'error' : 'info'));
      stream.onClosed((reason) => {
        flash(`${g.name}:${c.name} closed: ${reason}`, 'error');
        // The guest may come back (restart policy, :restart): the next list refresh attaches again.
        if (pane?.stream === stream) {
          pane.dispose();
          pane = undefined;
        }
      });
    } catch (err) {
      flash(isUmuxError(err) ? err.message : String(err), 'error');
    }
    drawSidebar();
  };

  const refreshList = async () => {
    try {
      const reply = await session.request(['ls', '--json']);
      guests = (reply.data as { guests: GuestInfo[] }).guests;
      if (focused === undefined && guests.length > 0) await focus(guests[0]!.name);
      else if (focused !== undefined && pane === undefined && !attaching && guests.some((g) => g.name === focused && g.pid !== null && g.state === 'running')) await focus(focused);
      drawSidebar();
      drawStatus();
    } catch (err) {
      flash(`cannot list guests: ${isUmuxError(err) ? err.message : String(err)}`, 'error');
    }
  };
  const refreshHost = async () => {
    try {
      host = ((await session.request(['host'])).data as { sample: HostSample }).sample;
      drawSidebar();
    } catch {
      // the next tick tries again
    }
  };

  const showPopup = (text: string) => {
    modal = true;
    popup.setContent(escapeTags(text));
    popup.show();
    popup.focus();
    popup.setScrollPerc(0);
    repaint();
  };
  popup.key(['q', 'escape', 'enter'], () => {
    popup.hide();
    modal = false;
    repaint();
  });

  /** Reads one line at the foot of the screen after `text` (the text is a label, not part of the answer). */
  const ask = (text: string): Promise<string | undefined> =>
    new Promise((resolve) => {
      modal = true;
      const width = Math.min(text.length, Math.max(1, Number(screen.width) - 10));
      question.setContent(text.slice(0, width));
      question.width = width;
      prompt.left = width;
      prompt.width = Math.max(1, Number(screen.width) - width);
      prompt.setValue('');
      status.hide();
      question.show();
      prompt.show();
      screen.saveFocus();
      prompt.readInput((err, value) => {
        prompt.hide();
        question.hide();
        status.show();
        screen.restoreFocus();
        modal = false;
        repaint();
        resolve(err || value === undefined || value === null ? undefined : String(value));
      });
      repaint();
    });

  const runCommand = async () => {
    const line = await ask(':');
    if (line === undefined || line.trim() === '') return;
    const argv = commandArgv(line, focused, guests.map((g) => g.name));
    if (typeof argv === 'string') {
      flash(argv, 'error');
      return;
    }
    const question = questionFor(argv);
    if (question !== undefined) {
      const answer = await ask(`${question} [y/N] `);
      if (!/^y(es)?$/i.test(answer?.trim() ?? '')) {
        flash('not sent');
        return;
      }
      argv.push('--yes');
    }
    try {
      const reply = await session.request(absolutizeArgv(argv, process.cwd()));
      const text = reply.text ?? (reply.data === null || reply.data === undefined ? 'OK' : JSON.stringify(reply.data, null, 2));
      if (text.split('\n').length > 1) showPopup(text);
      else flash(text, 'ok');
      void refreshList();
    } catch (err) {
      flash(isUmuxError(err) ? `${err.message}${err.hint ? ` (${err.hint})` : ''}` : String(err), 'error');
    }
  };

  const helpText = () =>
    [
      `umux keys: ${prefixName} then a key (${prefixName} twice types ${prefixName} into the guest)`,
      '',
      ...KEYMAP.map((k) => `  ${k.key}  ${k.summary}`),
      '',
      'Modes: the prefix then g shows the host memory gauges, e the guest\'s event log.',
      '',
      'At ":" — umux commands take the focused guest by default, MConsole verbs go to it:',
      '  sysrq m · cad · halt · reboot · pause · go · kill · config ubdb=/abs/disk.img · remove ubdb',
      '  config mem-=64M · backup · restart · proc meminfo · version · events · host · ls',
      '',
      'Everything else you type goes to the focused console.',
    ].join('\n');

  const act = async (action: string) => {
    const i = guests.findIndex((g) => g.name === focused);
    switch (action) {
      case 'next-guest':
      case 'prev-guest': {
        if (guests.length === 0) return;
        const next = guests[(i + (action === 'next-guest' ? 1 : -1) + guests.length) % guests.length]!;
        consoleIndex = 0;
        await focus(next.name);
        return;
      }
      case 'next-console':
        consoleIndex++;
        await focus(focused);
        return;
      case 'command':
        await runCommand();
        return;
      case 'help':
        showPopup(helpText());
        return;
      case 'gauges':
        gaugesShown = !gaugesShown;
        if (gaugesShown) {
          gaugesBox.show();
          await drawGauges();
        } else {
          gauges.clear();
          gaugesBox.hide();
          repaint();
        }
        return;
      case 'events': {
        if (focused === undefined) return;
        try {
          const events = (await session.request(['events', focused])).data as Array<{ at: string; text: string }>;
          showPopup(events.length ? events.map((e) => `${e.at.slice(11, 19)}  ${e.text}`).join('\n') : `no events for ${focused} yet`);
          popup.setScrollPerc(100);
          repaint();
        } catch (err) {
          flash(isUmuxError(err) ? err.message : String(err), 'error');
        }
        return;
      }
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
    clearInterval(listTimer);
    clearInterval(hostTimer);
    clearTimeout(messageTimer);
    process.stdin.off('data', onInput);
    pane?.dispose();
    session.dispose();
    screen.destroy();
    process.stdin.pause();
    process.stdout.write(`${opts.leaveMessage ?? 'umux: left the TUI; guests and the server keep running'}\n`);
    resolveDone(0);
  };

  const onInput = (chunk: Buffer) => {
    if (modal || done) return;
    for (const ev of keys.feed(new Uint8Array(chunk))) {
      if (ev.kind === 'guest') {
        if (pane && !opts.readOnly) pane.stream.write(ev.bytes);
        else if (opts.readOnly) flash('read-only: typing is not sent to the guest', 'error');
      } else if (ev.kind === 'action') void act(ev.action);
      else flash(`${prefixName} ${ev.key} is not bound (${prefixName} ? lists the keys)`, 'error');
    }
  };
  process.stdin.on('data', onInput);
  screen.on('resize', () => {
    void drawGauges();
    pane?.schedule();
    repaint();
  });
  session.onClose((reason) => {
    if (done) return;
    flash(`server connection lost: ${reason}`, 'error');
    setTimeout(finish, 1500);
  });

  const listTimer = setInterval(() => void refreshList(), LIST_MS);
  const hostTimer = setInterval(() => void (gaugesShown ? drawGauges() : refreshHost()), HOST_MS);
  drawStatus();
  if (opts.banner) flash(opts.banner, 'info', 30_000);
  await refreshList();
  await refreshHost();
  return finished;
}

export type { Widgets };
