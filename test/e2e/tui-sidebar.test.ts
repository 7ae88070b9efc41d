// The sidebar with more guests than fit, at 80x24 in a real terminal (tmux): 22 guests defined but stopped, one
// running and one that panicked while booting (the one that needs attention comes first); it scrolls with the
// focused guest ("↑/↓ N more"), filters as the admin types (Esc clears), jumps to a guest by name (Tab completes at
// `:goto`) and groups by state, owner and definition directory with headers.

import os from 'node:os';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { hasTmux, shellQuote, TmuxTerminal } from '../helpers/tmux.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld } from '../helpers/server.js';

/** The sidebar's column of the screen: its 26 columns, frame included. */
const sidebarOf = (screen: string) => screen.split('\n').map((l) => [...l].slice(0, 26).join('')).join('\n');

describe.skipIf(umlSkip() || (!hasTmux && process.env['CI'] !== 'true'))('the TUI sidebar with many guests at 80x24', () => {
  let world: UmuxWorld;
  let term: TmuxTerminal;
  const prefix = (key: string) => {
    term.type('', 'C-]');
    term.type(key);
  };

  beforeAll(async () => {
    world = new UmuxWorld();
    const stopped = [...Array.from({ length: 12 }, (_, i) => `web${String(i + 1).padStart(2, '0')}`), ...Array.from({ length: 10 }, (_, i) => `db${String(i + 1).padStart(2, '0')}`)];
    for (const name of stopped) world.define(name, 'consoles = 1\nserials = 0\n');
    world.define('alpha', 'consoles = 1\nserials = 0\n');
    // Panics at once (no init), before its console driver is up: crashed, fast.
    world.define('broken', 'consoles = 1\nserials = 0\ninit = "/nonexistent"\nargs = ["initcall_blacklist=stdio_init"]\n');
    await world.ok(['start', 'alpha']);
    expect((await world.umux(['start', 'broken'])).code).not.toBe(0);
    await world.waitForShell('alpha');
    const env = { UMUX_SOCKET_DIR: world.socketDir, UMUX_STATE_DIR: world.stateDir, UMUX_CONFIG_DIR: world.configDir, UMUX_UML_DIRS: world.handDir, TERM: 'xterm-256color', LANG: 'C.UTF-8' };
    term = new TmuxTerminal(`${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)}; echo EXIT=$?`, { width: 80, height: 24, env });
  }, 60_000);
  afterAll(async () => {
    term?.dispose();
    await world.dispose();
  });

  it('shows the guest that needs attention first, as many guests as fit and how many more', async () => {
    await term.waitFor(/↓ \d+ more/);
    const side = sidebarOf(await term.waitFor(/guests 24/));
    expect(side).toMatch(/^│!PANIC broken 64M/m);
    expect(side).not.toMatch(/↑ \d+ more/);
    const below = Number(/↓ (\d+) more/.exec(side)![1]);
    const shown = side.split('\n').filter((l) => /^│[ !*•](RUN|OFF|PANIC)/.test(l)).length;
    expect(shown + below).toBe(24);
    expect(shown).toBeGreaterThanOrEqual(12);
  });

  it('jumps to a guest by name with :goto (Tab completes) and scrolls the sidebar to it', async () => {
    prefix(':');
    await term.waitFor(/^:\s*$/m);
    term.type('goto we', 'Tab');
    // Tab completes what all the candidates share and lists them.
    await term.waitFor(/^:goto web\s*$/m);
    await term.waitFor(/web08\s+guest/);
    term.type('11', 'Enter');
    const screen = await term.waitFor(/─ web11 \| stopped/);
    const side = sidebarOf(screen);
    // web11 is further down than fits: the sidebar scrolled to it and says what is out of sight above and below.
    expect(side).toMatch(/↑ 8 more/);
    expect(side).not.toMatch(/↓/);
    expect(side).toMatch(/^│\s*OFF\s+web11 64M/m);
  });

  it('filters as the admin types, shows the count, and clears with Esc', async () => {
    prefix('f');
    await term.waitFor(/^filter:/m);
    term.type('web1');
    let side = sidebarOf(await term.waitFor(/\/web1\s+3\/24/));
    expect(side.match(/OFF\s+web1\d/g)).toEqual(['OFF   web10', 'OFF   web11', 'OFF   web12']);
    expect(side).not.toMatch(/db09|more/);
    term.type('', 'Escape');
    side = sidebarOf(await term.waitFor(/guests 24/));
    expect(side).not.toMatch(/\/web1/);
    prefix('f');
    await term.waitFor(/^filter:/m);
    term.type('panic', 'Enter');
    // Enter keeps the filter; the focused guest (db09) is hidden, so the pane shows the first found.
    const screen = await term.waitFor(/broken:con0/);
    expect(sidebarOf(screen)).toMatch(/\/panic\s+1\/24/);
    prefix('f');
    await term.waitFor(/^filter: panic/m);
    term.type('', 'Escape');
    await term.waitFor(/guests 24/);
  });

  it('groups by state with a header and a count per group', async () => {
    prefix('G');
    const screen = await term.waitFor(/guests 24 by state/);
    const side = sidebarOf(screen);
    expect(side).toMatch(/── crashed 1 ─+/);
    expect(side).toMatch(/── running 1 ─+/);
    expect(side).toMatch(/── stopped 22 ─+/);
  });

  it('groups by owner (the host user each guest runs as) and by the directory of its definition', async () => {
    prefix('G');
    const byOwner = sidebarOf(await term.waitFor(/guests 24 by owner/));
    expect(byOwner).toContain(`── ${os.userInfo().username} 24 `);
    prefix(':');
    await term.waitFor(/^:\s*$/m);
    term.type('group dir', 'Enter');
    const byDir = sidebarOf(await term.waitFor(/guests 24 by dir/));
    // The definitions' directory, cut at the left to fit: its end shows.
    expect(byDir).toMatch(/── …\S*\/cfg 24 ─*│/);
  });
});
