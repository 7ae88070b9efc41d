// `umux attach` in real terminals (tmux), on a real guest behind the server: typing and the echo, a second
// read-only client refused with a message, the notice of who else is attached, C-] to detach, and hostile
// escape sequences from the guest that must not reach the outer terminal.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { hasTmux, shellQuote, TmuxTerminal } from '../helpers/tmux.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld } from '../helpers/server.js';

describe.skipIf(umlSkip() || (!hasTmux && process.env['CI'] !== 'true'))('umux attach in a terminal', () => {
  let world: UmuxWorld;
  let writer: TmuxTerminal;
  let watcher: TmuxTerminal;
  const envOf = (w: UmuxWorld) => ({
    UMUX_SOCKET_DIR: w.socketDir,
    UMUX_STATE_DIR: w.stateDir,
    UMUX_CONFIG_DIR: w.configDir,
    TERM: 'xterm-256color',
  });
  const attachCmd = (args: string) => `${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)} attach ${args}; echo EXIT=$?`;

  beforeAll(async () => {
    world = new UmuxWorld();
    world.define('web', 'consoles = 0\nserials = 0\n');
    await world.ok(['start', 'web']);
    await world.waitForShell('web');
    writer = new TmuxTerminal(attachCmd('web'), { width: 100, height: 30, env: envOf(world) });
  });
  afterAll(async () => {
    writer?.dispose();
    watcher?.dispose();
    await world.dispose();
  });

  it('shows the console with a status line, and echoes what is typed', async () => {
    await writer.waitFor(/umux web:con0 · nobody else attached · C-\] detach/);
    writer.type('echo typed-$((40+2))', 'Enter');
    const screen = await writer.waitFor(/^typed-42$/m);
    expect(screen).toMatch(/^\/ # echo typed-\$\(\(40\+2\)\)$/m);
  });

  it('lets a read-only watcher see the same console and refuses its typing with a message', async () => {
    watcher = new TmuxTerminal(attachCmd('--read-only web'), { width: 100, height: 30, env: envOf(world) });
    await watcher.waitFor(/umux web:con0 \[read-only\] · also attached: \S+ · C-\] detach/);
    await writer.waitFor(/attached to web:con0/);
    watcher.type('echo sneaky', 'Enter');
    await watcher.waitFor(/read-only: web:con0 does not take your typing/);
    writer.type('echo seen-by-both-$((2*3))', 'Enter');
    await watcher.waitFor(/^seen-by-both-6$/m);
    expect(writer.screen()).not.toContain('sneaky');
  });

  it('keeps hostile escape sequences from the guest out of the outer terminal', async () => {
    const before = writer.paneTitle();
    writer.type(
      "printf '\\033]2;HACKED-TITLE\\007\\033]52;c;aGFja2Vk\\007\\033[?1049h\\033P+q544e\\033\\\\'; echo; echo safe-$((5+5))",
      'Enter',
    );
    await writer.waitFor(/^safe-10/m);
    expect(writer.paneTitle()).toBe(before);
    expect(writer.paneTitle()).not.toContain('HACKED');
    // The outer terminal never entered the alternate screen for the guest: tmux reports the pane's mode.
    expect(writer.altScreen()).toBe(true); // umux attach itself uses the alternate screen
    expect(writer.screen()).toMatch(/umux web:con0/);
  });

  it('detaches with C-] and leaves the guest running', async () => {
    writer.type('', 'C-]');
    await writer.waitFor(/umux: detached from web:con0\nEXIT=0/);
    expect(world.guestPid('web')).toBeGreaterThan(0);
    await watcher.waitFor(/detached from web:con0/);
  });
});
