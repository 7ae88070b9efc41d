// umux mconsole's interactive prompt in a real terminal (tmux), on a real guest: the (umid) prompt, history with
// the Up key, the confirmation before int, and Ctrl-D leaving the guest running.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootGuest, killAllGuests, umlSkip, type Guest } from '../helpers/uml.js';
import { hasTmux, shellQuote, TmuxTerminal } from '../helpers/tmux.js';
import { UMUX_BIN, umuxEnv } from '../helpers/run-tool.js';

describe.skipIf(umlSkip() || (!hasTmux && process.env['CI'] !== 'true'))('umux mconsole in a terminal', () => {
  let guest: Guest;
  let term: TmuxTerminal;
  let stateDir: string;

  beforeAll(async () => {
    guest = await bootGuest({ umid: 'tty1', waitForShell: true });
    const env = umuxEnv();
    stateDir = env['XDG_STATE_HOME']!;
    term = new TmuxTerminal(`${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)} mconsole ${shellQuote(guest.socket)}`, {
      width: 200,
      env: { UMUX_SOCKET_DIR: env['UMUX_SOCKET_DIR']!, XDG_STATE_HOME: env['XDG_STATE_HOME']! },
    });
  });
  afterAll(async () => {
    term?.dispose();
    await killAllGuests();
  });

  it('shows the (umid) prompt and answers a command', async () => {
    await term.waitFor(/^\(tty1\)$/m); // capture-pane drops trailing spaces
    term.type('version', 'Enter');
    const screen = await term.waitFor(/\(tty1\) version\nOK Linux \S+ 6\.1\.\d+ [^\n]*\n\(tty1\)$/m);
    expect(screen).not.toContain('umux:');
  });

  it('recalls the last command with the Up key', async () => {
    term.type('config con0', 'Enter');
    await term.waitFor('OK fd:0,fd:1');
    term.type('', 'Up', 'Up', 'Enter');
    const screen = await term.waitFor(/OK fd:0,fd:1\n\(tty1\) version\nOK Linux[^\n]*\n\(tty1\)$/m);
    expect(screen.match(/OK Linux/g)).toHaveLength(2);
  });

  it('asks before int sends SIGINT, and sends nothing on no', async () => {
    term.type('int', 'Enter');
    await term.waitFor(`int sends SIGINT to tty1 (pid ${guest.pid}): the guest shuts down without userspace cleanup. Send it? [y/N]`);
    term.type('n', 'Enter');
    await term.waitFor(/^not sent\n\(tty1\)$/m);
    expect(guest.isAlive()).toBe(true);
  });

  it('explains a refused verb on one line and keeps the session', async () => {
    term.type('stopwatch', 'Enter');
    const screen = await term.waitFor(/umux: unknown mconsole verb "stopwatch": the kernel matches by prefix and would run "stop"\n\s+hint: [^\n]+\n\(tty1\)$/m);
    expect(screen).not.toMatch(/at .*\.js:\d+/);
  });

  it('ends on Ctrl-D and leaves the guest running', async () => {
    term.type('', 'C-d');
    const deadline = Date.now() + 5000;
    while (term.currentCommand() !== 'sleep' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(term.currentCommand()).toBe('sleep');
    // The history outlives the session, newest last.
    const history = fs.readFileSync(path.join(stateDir, 'umux', 'mconsole_history'), 'utf8').trim().split('\n');
    expect(history.slice(-3)).toEqual(['version', 'int', 'stopwatch']);
    expect(guest.isAlive()).toBe(true);
  });
});
