// The TUI's recovery menu on a real running guest: choosing stop and answering y stops it (the TUI once added
// --yes to every command it asked about, and stop, which takes no --yes, answered "unknown option --yes").

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { hasTmux, shellQuote, TmuxTerminal } from '../helpers/tmux.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';

describe.skipIf(umlSkip() || (!hasTmux && process.env['CI'] !== 'true'))('the TUI recovery menu', () => {
  let world: UmuxWorld;
  let term: TmuxTerminal | undefined;

  beforeAll(async () => {
    world = new UmuxWorld();
    world.define('gamma', 'consoles = 0\nserials = 0\n');
    await world.ok(['start', 'gamma']);
    await world.waitForShell('gamma', 60_000);
  }, 90_000);
  afterAll(async () => {
    term?.dispose();
    await world.dispose();
  });

  it('stops a running guest when stop is chosen and the question answered y', async () => {
    const env = { UMUX_SOCKET_DIR: world.socketDir, UMUX_STATE_DIR: world.stateDir, UMUX_CONFIG_DIR: world.configDir, UMUX_UML_DIRS: world.handDir, TERM: 'xterm-256color', LANG: 'C.UTF-8' };
    term = new TmuxTerminal(`${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)}; echo EXIT=$?`, { width: 110, height: 30, env });
    await term.waitFor(/gamma:con0 \| socketpair/);
    term.type('', 'C-]');
    term.type('r');
    const menu = await term.waitFor(/recover gamma \(running\)/);
    expect(menu).toMatch(/5\. stop: the timed ladder cad, halt, SIGTERM, SIGKILL/);
    for (let i = 0; i < 4; i++) term.type('', 'Down');
    term.type('', 'Enter');
    await term.waitFor(/stop shuts gamma down .*Shut it down\?/);
    term.type('y', 'Enter');
    const reply = await term.waitFor(/gamma: stopped|unknown option/, 30_000);
    expect(reply).not.toMatch(/unknown option/);
    expect(reply).toMatch(/cad \(Ctrl-Alt-Del, the clean shutdown\)/);
    const state = await waitUntil('gamma stopped', async () => {
      const ls = JSON.parse(await world.ok(['ls', '--json'])) as { guests: Array<{ name: string; state: string }> };
      return ls.guests.find((g) => g.name === 'gamma')?.state === 'stopped' ? 'stopped' : undefined;
    });
    expect(state).toBe('stopped');
    expect(await world.ok(['events', 'gamma'])).toMatch(/-> stopped: stopped/);
  }, 60_000);
});
