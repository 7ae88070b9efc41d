// `umux demo` on a terminal, the README's first command: three real guests behind a private server, shown in
// the TUI; demo3 panics and is shown crashed with its console's last lines; the recovery menu restarts it; leaving
// removes every guest process and file of the demo.

import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { hasTmux, shellQuote, TmuxTerminal } from '../helpers/tmux.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { processesMentioning } from '../helpers/server.js';

describe.skipIf(umlSkip() || (!hasTmux && process.env['CI'] !== 'true'))('umux demo in a terminal', () => {
  let term: TmuxTerminal | undefined;
  afterAll(() => term?.dispose());

  it('boots three guests in the TUI, shows demo3 crashed, restarts it from the recovery menu, and removes everything on leaving', async () => {
    const cmd = `${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)} demo; echo EXIT=$?`;
    term = new TmuxTerminal(cmd, { width: 120, height: 32, env: { UMUX_DEMO_PANIC_S: '4', TERM: 'xterm-256color', LANG: 'C.UTF-8' } });
    await term.waitFor(/demo3 panics in 4 s, C-\] r recovers · C-\] g memory · C-\] \? keys · C-\] d ends/, 20_000);
    await term.waitFor(/RUN\s+demo1 64M[\s\S]*RUN\s+demo2 64M/, 30_000);
    // The first screen looks finished: demo1's console ends at a shell with job control, named after the guest,
    // and the boot printed no error (no ubd device without a file, no shell without a controlling terminal).
    const first = await term.waitFor(/demo1:\/# /, 30_000);
    expect(first).not.toMatch(/Failed to initialize ubd|can't access tty|job control turned off/);
    await term.waitFor(/!PANIC demo3 64M/, 30_000);
    term.type('', 'C-]');
    term.type('p'); // demo1 -> demo3
    const crashed = await term.waitFor(/demo3 is crashed: panic: Attempted to kill init!/);
    await term.waitFor(/Kernel panic - not syncing: Attempted to kill init!/);
    expect(crashed).toMatch(/demo3 \| crashed/);
    // The recovery menu of a crashed guest offers the restart first.
    term.type('', 'C-]');
    term.type('r');
    const menu = await term.waitFor(/recover demo3 \(crashed\)/);
    expect(menu).toMatch(/1\. restart: boot it again from its definition/);
    expect(menu).toMatch(/log: the end of con0/);
    term.type('', 'Enter');
    await term.waitFor(/demo3: restarted, pid \d+/, 20_000);
    await term.waitFor(/RUN\s+demo3 64M/);
    term.type('', 'C-]');
    term.type('d');
    const done = await term.waitFor(/umux demo: done; its guests, server and (\/\S+) are removed\s+EXIT=0/, 20_000);
    const base = /server and (\/\S+) are removed/.exec(done)![1]!;
    expect(fs.existsSync(base)).toBe(false);
    expect(processesMentioning(base)).toEqual([]);
  });
});
