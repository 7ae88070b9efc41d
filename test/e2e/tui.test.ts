// The full-screen TUI (`umux` with no arguments) in a real terminal (tmux) on real guests behind the server:
// sidebar, typing and the echo, switching guests, `:sysrq m` with its reply, completion and history, split and
// zoom, scrollback search with times, themes, the hot-plug form, resizing, read-only refusal (typing, `:` commands,
// recovery) with tui.toml and NO_COLOR, a guest's hostile escape sequences kept from the outer terminal, and leaving
// with everything running.

import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { hasTmux, shellQuote, TmuxTerminal } from '../helpers/tmux.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld } from '../helpers/server.js';

describe.skipIf(umlSkip() || (!hasTmux && process.env['CI'] !== 'true'))('umux TUI in a terminal', () => {
  let world: UmuxWorld;
  let term: TmuxTerminal;
  let watcher: TmuxTerminal | undefined;
  const envOf = (w: UmuxWorld) => ({
    UMUX_SOCKET_DIR: w.socketDir,
    UMUX_STATE_DIR: w.stateDir,
    UMUX_CONFIG_DIR: w.configDir,
    UMUX_UML_DIRS: w.handDir,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
  });
  const tuiCmd = (args: string) => `${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)} ${args}; echo EXIT=$?`;

  beforeAll(async () => {
    world = new UmuxWorld();
    world.define('alpha', 'consoles = 0\nserials = 0\n');
    world.define('beta', 'consoles = 0\nserials = 0\n');
    await world.ok(['start', 'alpha']);
    await world.ok(['start', 'beta']);
    await world.waitForShell('alpha');
    await world.waitForShell('beta');
    term = new TmuxTerminal(tuiCmd(''), { width: 100, height: 30, env: envOf(world) });
  });
  afterAll(async () => {
    term?.dispose();
    watcher?.dispose();
    await world.dispose();
  });

  it('shows every guest in the sidebar and the first one\'s console, and echoes typing', async () => {
    const screen = await term.waitFor(/alpha:con0 \| socketpair/);
    expect(screen).toMatch(/RUN\s+alpha 64M/);
    expect(screen).toMatch(/RUN\s+beta 64M/);
    expect(screen).toMatch(/umux( \S+)? \| C-\] prefix, C-\] \? help \| writer/);
    term.type('echo tui-$((40+2))', 'Enter');
    await term.waitFor(/│tui-42\s/);
  });

  it('switches guests with the prefix and n, and runs :sysrq m on the focused one', async () => {
    term.type('', 'C-]');
    term.type('n');
    await term.waitFor(/beta:con0 \| socketpair/);
    term.type('', 'C-]');
    term.type(':');
    term.type('sysrq m', 'Enter');
    const screen = await term.waitFor(/OK sysrq: Show Memory/);
    expect(screen).toMatch(/reply \(q closes\)/);
    term.type('q');
    await term.waitFor(/^(?![\s\S]*reply \(q closes\))/);
    expect(await world.ok(['events', 'beta'])).toMatch(/sysrq m \(show memory usage\)/);
  });

  it('completes at the : line with Tab and keeps the history', async () => {
    term.type('', 'C-]');
    term.type(':');
    term.type('sysr', 'Tab');
    await term.waitFor(/^:sysrq\s*$/m);
    term.type('', 'Tab');
    // The letters, each with what it does, more than fit.
    await term.waitFor(/… \d+ more: type more letters/);
    term.type('s', 'Tab');
    await term.waitFor(/^:sysrq s\s*$/m);
    term.type('', 'C-u');
    term.type('', 'Up');
    await term.waitFor(/^:sysrq m\s*$/m);
    term.type('', 'Escape');
    await term.waitFor(/umux( \S+)? \| C-\] prefix/);
    expect(fs.readFileSync(path.join(world.stateDir, 'tui_history'), 'utf8')).toContain('sysrq m');
  });

  it('splits the main area, zooms the focused pane and closes it again', async () => {
    term.type('', 'C-]');
    term.type('s');
    await term.waitFor(/pane 2\/2/);
    const split = await term.waitFor(/alpha:con0 \| socketpair/);
    expect(split).toMatch(/beta:con0 \| socketpair/);
    term.type('echo in-pane-$((6*7))', 'Enter');
    await term.waitFor(/│in-pane-42\s/);
    term.type('', 'C-]');
    term.type('z');
    const zoomed = await term.waitFor(/pane 2\/2 zoomed/);
    expect(zoomed.match(/:con0 \| socketpair/g)).toHaveLength(1);
    term.type('', 'C-]');
    term.type('o');
    await term.waitFor(/pane 1\/2 zoomed/);
    term.type('', 'C-]');
    term.type('z');
    await term.waitFor(/pane 1\/2 \|?\s*$|pane 1\/2\s/m);
    term.type('', 'C-]');
    term.type('x');
    await term.waitFor(/^(?![\s\S]*pane \d\/2)[\s\S]*:con0 \| socketpair/);
  });

  it('searches the scrollback for a boot line, highlights it and shows line times', async () => {
    term.type('', 'C-]');
    term.type('/');
    await term.waitFor(/\w+:con0 \| SCROLLBACK \d+-\d+\/\d+/);
    term.type('mounted root');
    const found = await term.waitFor(/SCROLLBACK \d+-\d+\/\d+ (boot \d+\/\d+ )?"mounted root" 1\/1/);
    expect(found).toMatch(/VFS: Mounted root \(hostfs filesystem\)/);
    const colored = term.screenWithColors();
    // The match is drawn in the theme's match colours (dark: black on orange), the rest of the line is not.
    expect(colored).toMatch(/VFS: \x1b\[[0-9;]*m(\x1b\[[0-9;]*m)*Mounted root\x1b\[/);
    term.type('', 'Enter');
    term.type('t');
    const timed = await term.waitFor(/\d\d:\d\d:\d\d VFS: Mounted root/);
    expect(timed).toMatch(/\d\d:\d\d:\d\d Linux version|\d\d:\d\d:\d\d /);
    term.type('q');
    await term.waitFor(/umux( \S+)? \| C-\] prefix/);
    term.type('echo back-live', 'Enter');
    await term.waitFor(/│back-live\s/);
  });

  it('switches themes with the prefix and t: the status line changes colour', async () => {
    const statusLine = () => term.screenWithColors().trimEnd().split('\n').at(-1)!;
    const before = statusLine();
    term.type('', 'C-]');
    term.type('t');
    await term.waitFor(/theme: high-contrast/);
    await new Promise((r) => setTimeout(r, 7000)); // the message fades and the plain status comes back
    const after = statusLine();
    expect(after).toMatch(/umux/);
    expect(after.match(/\x1b\[[0-9;]*m/g)).not.toEqual(before.match(/\x1b\[[0-9;]*m/g));
    term.type('', 'C-]');
    term.type('t');
    await term.waitFor(/theme: light/);
    term.type('', 'C-]');
    term.type('t');
    await term.waitFor(/theme: dark/);
  });

  it('hot-plugs a disk through the form: checks the file, sends, shows the re-query', async () => {
    const image = path.join(world.dir, 'hot.img');
    fs.writeFileSync(image, Buffer.alloc(4 << 20));
    term.type('', 'C-]');
    term.type('h');
    await term.waitFor(/hot-plug into \w+: d disk, c console, s serial line, m memory\?/);
    term.type('d', 'Enter');
    await term.waitFor(/disk device: ubdb/);
    term.type('', 'Enter');
    await term.waitFor(/ubdb: image file on this host:/);
    term.type(path.join(world.dir, 'missing.img'), 'Enter');
    await term.waitFor(/expected an existing disk image, got \S+missing\.img: no such file/);
    term.type('', 'C-u');
    term.type(image, 'Enter');
    await term.waitFor(/read-only\? \[y\/N\]/);
    term.type('', 'Enter');
    const reply = await term.waitFor(/config ubdb now: \S+hot\.img/);
    expect(reply).toMatch(/config ubdb=\S+hot\.img: OK/);
    term.type('q');
  });

  it('shows the host memory gauges and the guest\'s event log', async () => {
    term.type('', 'C-]');
    term.type('g');
    const gauges = await term.waitFor(/host memory \(C-\] g closes\)[\s\S]*RAM in use/);
    expect(gauges).toMatch(/RAM {11}[█▉▊▋▌▍▎▏·]+ [\d.]+ \w+ of [\d.]+ GiB \d+%/);
    expect(gauges).toMatch(/guests' mem= 128 MiB/);
    await term.waitFor(/alpha PSS/);
    term.type('', 'C-]');
    term.type('g');
    await term.waitFor(/\w+:con0 \| socketpair/);
    term.type('', 'C-]');
    term.type('e');
    const events = await term.waitFor(/alpha: events \(q closes\)/);
    expect(events).toMatch(/\d\d:\d\d:\d\d {2}starting -> running: booted, pid \d+/);
    expect(events).toMatch(/\d\d:\d\d:\d\d {2}hot-plug config ubdb=\S+hot\.img/);
    term.type('q');
    // Something happens to beta, shown in no pane: it is starred until it is shown.
    await term.waitFor(/│ RUN\s+beta 64M/);
    await world.ok(['sysrq', 'beta', 'm']);
    await term.waitFor(/│\*RUN\s+beta 64M/);
    term.type('', 'C-]');
    term.type('n');
    await term.waitFor(/beta:con0 \| socketpair/);
    await term.waitFor(/│ RUN\s+beta 64M/);
  });

  it('keeps working through resizes: 80x24, 200x60, 40x10 and back', async () => {
    for (const [w, h] of [[80, 24], [200, 60], [40, 10], [100, 30]] as const) {
      term.resize(w, h);
      await term.waitFor(/umux( \S+)? \|/);
    }
    term.type('echo after-resize', 'Enter');
    await term.waitFor(/after-resize\s*│/);
    expect(term.currentCommand()).not.toBe('sleep');
  });

  it('keeps a guest\'s title change and clipboard write out of the outer terminal', async () => {
    const before = term.paneTitle();
    term.type("printf '\\033]2;pwned-title\\007\\033]52;c;cHduZWQ=\\007hostile-done\\n'", 'Enter');
    await term.waitFor(/^│?.*hostile-done/m);
    expect(term.paneTitle()).toBe(before);
    expect(term.paneTitle()).not.toMatch(/pwned/);
  });

  it('refuses typing in a read-only TUI with a message; tui.toml sets its prefix and mouse, NO_COLOR its colours', async () => {
    fs.writeFileSync(path.join(world.configDir, 'tui.toml'), 'prefix = "C-g"\nmouse = true\n[keys]\nZ = "zoom"\n');
    watcher = new TmuxTerminal(tuiCmd('tui --read-only'), { width: 100, height: 30, env: { ...envOf(world), NO_COLOR: '1' } });
    await watcher.waitFor(/C-g prefix, C-g \? help \| read-only/);
    await watcher.waitFor(/alpha:con0/);
    watcher.type('echo should-not-run', 'Enter');
    await watcher.waitFor(/read-only: typing is not sent to the guest/);
    expect(world.logText('alpha')).not.toContain('should-not-run');
    // NO_COLOR: no colour codes at all (30-49, 90-107, 38/48 extended), attributes only.
    expect(watcher.screenWithColors()).not.toMatch(/\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;[0-9;]*)?m/);
    // mouse = true: a click on beta's sidebar row (SGR report, row 3) focuses it, and is not typing.
    watcher.type('\x1b[<0;5;3M\x1b[<0;5;3m');
    await watcher.waitFor(/beta:con0 \| socketpair/);
    watcher.type('', 'C-g');
    watcher.type('?');
    await watcher.waitFor(/help \(q closes/);
    watcher.type('q');
    // Changing commands are not offered: the : line says why without asking first, the recovery menu has nothing.
    // The prefix, : and the line come in one write (as typed fast or pasted): the line takes what follows the :.
    watcher.type('\x07:halt beta', 'Enter');
    await watcher.waitFor(/read-only client: "halt" changes the guest; ask for a writer/);
    watcher.type('', 'C-g');
    watcher.type('r');
    await watcher.waitFor(/read-only client: recovering beta changes the guest/);
    expect(JSON.parse(await world.ok(['ls', '--json'])).guests.map((g: { state: string }) => g.state)).toEqual(['running', 'running']);
    fs.rmSync(path.join(world.configDir, 'tui.toml'));
  });

  it('runs the command lines tui.toml binds to keys: a umux command and an MConsole verb on the focused guest', async () => {
    fs.writeFileSync(path.join(world.configDir, 'tui.toml'), '[keys]\nS = "sysrq m"\nP = "proc uptime"\nH = "help sysrq"\n');
    const bound = new TmuxTerminal(tuiCmd(''), { width: 100, height: 30, env: envOf(world) });
    try {
      await bound.waitFor(/alpha:con0 \| socketpair/);
      bound.type('', 'C-]');
      bound.type('S');
      await bound.waitFor(/OK sysrq: Show Memory/);
      bound.type('q');
      await bound.waitFor(/^(?![\s\S]*\(q closes\))/);
      bound.type('', 'C-]');
      bound.type('P');
      await bound.waitFor(/│\d+\.\d+ \d+\.\d+ +│/);
      bound.type('q');
      await bound.waitFor(/^(?![\s\S]*\(q closes\))/);
      bound.type('', 'C-]');
      bound.type('H');
      await bound.waitFor(/usage: umux sysrq/);
      bound.type('q');
    } finally {
      bound.dispose();
      fs.rmSync(path.join(world.configDir, 'tui.toml'));
    }
  });

  it('leaves with the prefix and d; guests and the server keep running', async () => {
    term.type('', 'C-]');
    term.type('d');
    await term.waitFor(/umux: left the TUI; guests and the server keep running\nEXIT=0/);
    const ls = JSON.parse(await world.ok(['ls', '--json'])) as { guests: Array<{ name: string; state: string }> };
    expect(ls.guests.map((g) => [g.name, g.state])).toEqual([
      ['alpha', 'running'],
      ['beta', 'running'],
    ]);
  });

  it('asks the server nothing while idle: the list and host figures are pushed (issue 12)', async () => {
    const stats = path.join(world.dir, 'tui-stats.json');
    const idle = new TmuxTerminal(tuiCmd(''), { width: 100, height: 30, env: { ...envOf(world), UMUX_TUI_STATS: stats } });
    try {
      await idle.waitFor(/alpha:con0 \| socketpair/);
      await idle.waitFor(/│ RUN\s+beta 64M/);
      await new Promise((r) => setTimeout(r, 4000));
      // A change made elsewhere reaches it without asking: beta gets starred for its new event.
      await world.ok(['sysrq', 'beta', 'm']);
      await idle.waitFor(/│\*RUN\s+beta 64M/);
      idle.type('', 'C-]');
      idle.type('d');
      await idle.waitFor(/EXIT=0/);
      expect(JSON.parse(fs.readFileSync(stats, 'utf8'))).toMatchObject({ requests: 0 });
    } finally {
      idle.dispose();
    }
  });
});
