// Desktop notifications through the terminal, end to end: two TUIs in tmux (allow-passthrough on), one with
// tui.toml's notify = "osc9" and one without, each watched from an outer pty as the admin's terminal. A guest no
// pane shows hangs (SIGSTOP): only the first outer terminal receives the OSC 9, and both sidebars list it first.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { hasTmux, shellQuote, TmuxTerminal } from '../helpers/tmux.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';

describe.skipIf(umlSkip() || (!hasTmux && process.env['CI'] !== 'true'))('terminal notifications', () => {
  let world: UmuxWorld;
  const terms: TmuxTerminal[] = [];

  beforeAll(async () => {
    world = new UmuxWorld({ UMUX_PING_MS: '500', UMUX_PING_TIMEOUT_MS: '500' });
    for (const name of ['alpha', 'beta']) world.define(name, 'consoles = 0\nserials = 0\n');
    await Promise.all(['alpha', 'beta'].map((n) => world.ok(['start', n])));
  }, 90_000);
  afterAll(async () => {
    for (const t of terms) t.dispose();
    await world.dispose();
  });

  /** A TUI whose tui.toml is `toml` (none when undefined), attached from an outer pty; resolves once it shows alpha. */
  async function tui(toml: string | undefined): Promise<{ term: TmuxTerminal; outer: { bytes(): string } }> {
    const settings = fs.mkdtempSync(path.join(world.dir, 'tui-'));
    if (toml !== undefined) fs.writeFileSync(path.join(settings, 'tui.toml'), toml);
    const env = { UMUX_SOCKET_DIR: world.socketDir, UMUX_STATE_DIR: world.stateDir, UMUX_CONFIG_DIR: settings, UMUX_UML_DIRS: world.handDir, TERM: 'xterm-256color', LANG: 'C.UTF-8' };
    const term = new TmuxTerminal(`${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)}`, { width: 110, height: 30, env, config: ['set -g allow-passthrough on'] });
    terms.push(term);
    const outer = term.attachRaw({ cols: 110, rows: 30 });
    await term.waitFor(/alpha:con0 \| socketpair/, 20_000);
    return { term, outer };
  }

  it('raises an OSC 9 through tmux only where enabled, for a guest off screen that hangs', async () => {
    const on = await tui('notify = "osc9"\n');
    const off = await tui(undefined);
    const pid = world.guestPid('beta')!;
    process.kill(pid, 'SIGSTOP');
    try {
      const want = '\x1b]9;umux: beta: not answering (hung)\x07';
      await waitUntil('the notification in the outer terminal', () => (on.outer.bytes().includes(want) ? true : undefined), 15_000);
      const screen = await on.term.waitFor(/HUNG/);
      // The sidebar lists the guest that needs attention first.
      const rows = screen.split('\n');
      const row = (re: RegExp) => rows.findIndex((l) => re.test(l));
      expect(row(/!HUNG\s+beta/)).toBeGreaterThanOrEqual(0);
      expect(row(/!HUNG\s+beta/)).toBeLessThan(row(/RUN\s+alpha/));
      await off.term.waitFor(/HUNG/);
      await new Promise((r) => setTimeout(r, 500));
      expect(off.outer.bytes()).not.toMatch(/\x1b\]9;/);
      expect(on.outer.bytes().split(want)).toHaveLength(2); // once
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  }, 60_000);
});
