// Guest-controlled text printed by the CLI in a real terminal (tmux with set-clipboard on): a guest's OSC 52
// clipboard write and OSC 0/2 title changes in a /proc/mconsole user notification (`umux events`), and a umid
// directory named with escape sequences (`umux ls`), must reach the terminal as visible text, never as sequences.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { hasTmux, shellQuote, TmuxTerminal } from '../helpers/tmux.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';
import { processExists } from '../../src/guests/process-group.js';

/** A base64 payload ("hacked-by-guest") that tmux would put in a paste buffer. */
const CLIPBOARD = 'aGFja2VkLWJ5LWd1ZXN0';
/** A umid directory name that sets the clipboard and the title when printed raw (no '/': it is one path part). */
const EVIL_UMID = `evil\x1b]52;c;${CLIPBOARD}\x07\x1b]2;HACKED-LS\x07\x1b[2J\u009d0;C1-TITLE\u009c`;

describe.skipIf(umlSkip() || (!hasTmux && process.env['CI'] !== 'true'))('guest text printed by the CLI in a terminal', () => {
  let world: UmuxWorld;
  let term: TmuxTerminal;
  const umux = (args: string) => `${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)} ${args}`;

  beforeAll(async () => {
    world = new UmuxWorld();
    world.define('g1', 'consoles = 0\nserials = 0\n');
    await world.ok(['start', 'g1']);
    await world.waitForShell('g1');
    // Each line waits for Enter, so the test reads the pane's title before the command runs.
    const script = [
      'echo READY',
      'read go',
      umux('events g1'),
      'echo EVENTS-DONE',
      'read go',
      umux('ls'),
      'echo LS-DONE',
      'read go',
      umux('ls --json'),
      'echo JSON-DONE',
    ].join('; ');
    // One shell for the whole script, so every command gets this world's environment.
    term = new TmuxTerminal(`sh -c ${shellQuote(script)}`, {
      width: 200,
      height: 40,
      env: { UMUX_SOCKET_DIR: world.socketDir, UMUX_STATE_DIR: world.stateDir, UMUX_CONFIG_DIR: world.configDir, UMUX_UML_DIRS: world.handDir, TERM: 'xterm-256color' },
      config: ['set -g set-clipboard on'],
    });
  });
  afterAll(async () => {
    term?.dispose();
    await world?.dispose();
  });

  it('shows a user notification with OSC 52 and OSC 0/2 visibly in umux events, leaving clipboard and title alone', async () => {
    await world.ok(['send', 'g1', `printf '\\033]52;c;${CLIPBOARD}\\007' > /proc/mconsole`]);
    await world.ok(['send', 'g1', "printf '\\033]0;HACKED-0\\007\\033]2;HACKED-2\\007\\302\\2350;HACKED-C1\\302\\234' > /proc/mconsole"]);
    const piped = await waitUntil('both user notifications in the event log', async () => {
      const out = await world.ok(['events', 'g1']);
      return (out.match(/user notification/g) ?? []).length >= 2 ? out : undefined;
    });
    await term.waitFor(/^READY$/m);
    const title = term.paneTitle();
    expect(term.buffers()).toBe('');
    term.type('', 'Enter');
    const screen = await term.waitFor(/^EVENTS-DONE$/m);
    expect(term.buffers()).toBe('');
    expect(term.paneTitle()).toBe(title);
    expect(screen).toContain(`user notification: ^[]52;c;${CLIPBOARD}^G`);

    // Piped or not, the text of `umux events` shows the sequences as characters.
    expect(piped).toContain(`user notification: ^[]52;c;${CLIPBOARD}^G`);
    expect(piped).toContain('user notification: ^[]0;HACKED-0^G^[]2;HACKED-2^G\\x9d0;HACKED-C1\\x9c');
    expect(piped).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
  });

  it('shows a umid directory named with escape sequences visibly in umux ls and keeps it exact in --json', async () => {
    let deadPid = 4_000_000;
    while (processExists(deadPid)) deadPid--;
    const dir = path.join(world.handDir, EVIL_UMID);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'pid'), `${deadPid}\n`);
    const json = await waitUntil('the server to list the umid directory', async () => {
      const out = await world.ok(['ls', '--json']);
      return out.includes('evil') ? out : undefined;
    });
    const title = term.paneTitle();
    const buffers = term.buffers();
    term.type('', 'Enter');
    const screen = await term.waitFor(/^LS-DONE$/m);
    expect(term.buffers()).toBe(buffers);
    expect(term.paneTitle()).toBe(title);
    expect(screen).toContain(`evil^[]52;c;${CLIPBOARD}^G^[]2;HACKED-LS^G^[[2J\\x9d0;C1-TITLE\\x9c`);
    expect(screen).toContain('EVENTS-DONE'); // ESC [2J did not clear the screen

    // JSON carries the exact name, with every control character escaped (C1 too: \u009d, not the raw character).
    expect(json).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]/);
    expect(json).toContain('\\u009d0;C1-TITLE\\u009c');
    expect((JSON.parse(json) as { guests: Array<{ name: string }> }).guests.map((g) => g.name)).toContain(EVIL_UMID);

    term.type('', 'Enter');
    await term.waitFor(/^JSON-DONE$/m);
    expect(term.buffers()).toBe(buffers);
    expect(term.paneTitle()).toBe(title);
  });
});
