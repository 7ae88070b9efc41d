// The full-screen TUI (`umux` with no arguments) in a real terminal (tmux) on real guests behind the server:
// sidebar, typing and the echo, switching guests, `:sysrq m` with its reply, resizing, read-only refusal, a
// guest's hostile escape sequences kept from the outer terminal, and leaving with guests and server still running.

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
    expect(screen).toMatch(/umux \| C-\] prefix, C-\] \? help \| writer/);
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

  it('shows the host memory gauges and the guest\'s event log', async () => {
    term.type('', 'C-]');
    term.type('g');
    const gauges = await term.waitFor(/host memory \(C-\] g closes\)|RAM in use: [\d.]+ \w+ of [\d.]+ GiB/);
    expect(gauges).toMatch(/RAM in use: [\d.]+ \w+ of [\d.]+ GiB/);
    expect(gauges).toMatch(/guests' mem= 128 MiB against\s+\S+/);
    await term.waitFor(/RAM available:/);
    term.type('', 'C-]');
    term.type('g');
    await term.waitFor(/beta:con0 \| socketpair/);
    term.type('', 'C-]');
    term.type('e');
    const events = await term.waitFor(/reply \(q closes\)/);
    expect(events).toMatch(/\d\d:\d\d:\d\d {2}sysrq m \(show memory usage\): sysrq: Show Memory \(\+\d+ lines\)/);
    term.type('q');
  });

  it('keeps working through resizes: 80x24, 200x60, 40x10 and back', async () => {
    for (const [w, h] of [[80, 24], [200, 60], [40, 10], [100, 30]] as const) {
      term.resize(w, h);
      await term.waitFor(/umux \|/);
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

  it('refuses typing in a read-only TUI with a message', async () => {
    watcher = new TmuxTerminal(tuiCmd('tui --read-only'), { width: 100, height: 30, env: envOf(world) });
    await watcher.waitFor(/read-only/);
    await watcher.waitFor(/alpha:con0/);
    watcher.type('echo should-not-run', 'Enter');
    await watcher.waitFor(/read-only: typing is not sent to the guest/);
    expect(world.logText('alpha')).not.toContain('should-not-run');
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
});
