// Guest-controlled text printed by the CLI in a real terminal (tmux with set-clipboard on): a guest's OSC 52
// clipboard write and OSC 0/2 title changes in a /proc/mconsole user notification (`umux events`), in its hostname
// (`umux mc` and `umux mconsole` replies), and a umid directory named with escape sequences (`umux ls`, an error
// quoting it) must reach the terminal as visible text, never as sequences; in the TUI too (sidebar, event log).

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { hasTmux, shellQuote, TmuxTerminal } from '../helpers/tmux.js';
import { umlMconsole, UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';
import { processExists } from '../../src/guests/process-group.js';

/** A base64 payload ("hacked-by-guest") that tmux would put in a paste buffer. */
const CLIPBOARD = 'aGFja2VkLWJ5LWd1ZXN0';
/** A umid directory name that sets the clipboard and the title when printed raw (no '/': it is one path part). */
const EVIL_UMID = `evil\x1b]52;c;${CLIPBOARD}\x07\x1b]2;HACKED-LS\x07\x1b[2J\u009d0;C1-TITLE\u009c`;
/** What a terminal could act on: C0 but tab and newline, DEL, C1. */
const ACTIONABLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe.skipIf(umlSkip() || (!hasTmux && process.env['CI'] !== 'true'))('guest text printed by the CLI in a terminal', () => {
  let world: UmuxWorld;
  let term: TmuxTerminal;
  let socket: string;
  const umux = (args: string) => `${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)} ${args}`;

  beforeAll(async () => {
    world = new UmuxWorld();
    world.define('g1', 'consoles = 0\nserials = 0\n');
    await world.ok(['start', 'g1']);
    await world.waitForShell('g1');
    socket = path.join(world.umlDir, 'g1', 'mconsole');
    // Step N waits for Enter after READY-N, so the test reads title and buffers before the command runs.
    const steps = [
      umux('events g1'),
      umux('ls'),
      umux('ls --json'),
      umux('mc g1 proc sys/kernel/hostname'),
      umux(`mconsole ${shellQuote(socket)} proc sys/kernel/hostname`),
      umux(`mc ${shellQuote(EVIL_UMID)} version`),
    ];
    const script = steps.map((cmd, i) => `echo READY-${i + 1}; read go; ${cmd}; echo DONE-${i + 1}`).join('; ');
    // One shell for the whole script, so every command gets this world's environment.
    term = new TmuxTerminal(`sh -c ${shellQuote(script)}`, {
      width: 200,
      height: 60,
      env: { UMUX_SOCKET_DIR: world.socketDir, UMUX_STATE_DIR: world.stateDir, UMUX_CONFIG_DIR: world.configDir, UMUX_UML_DIRS: world.handDir, TERM: 'xterm-256color' },
      config: ['set -g set-clipboard on'],
    });
  });
  let tui: TmuxTerminal | undefined;
  afterAll(async () => {
    tui?.dispose();
    term?.dispose();
    await world?.dispose();
  });

  let ran = 0;
  async function run(n: number): Promise<string> {
    await term.waitFor(new RegExp(`^READY-${n}$`, 'm'));
    term.type('', 'Enter');
    ran = n;
    return term.waitFor(new RegExp(`^DONE-${n}$`, 'm'));
  }

  /** Runs step N in the pane; its output must leave tmux's paste buffers and the pane's title as they were. */
  async function step(n: number): Promise<string> {
    // Steps a failed test left unrun go first, so each test checks its own step.
    while (ran < n - 1) await run(ran + 1);
    await term.waitFor(new RegExp(`^READY-${n}$`, 'm'));
    const title = term.paneTitle();
    const buffers = term.buffers();
    const screen = await run(n);
    expect(term.buffers()).toBe(buffers);
    expect(term.paneTitle()).toBe(title);
    return screen;
  }

  /** A stale umid directory named with escape sequences in the watched uml_dir; resolves with `umux ls --json` once listed. */
  async function evilUmidDir(): Promise<string> {
    const dir = path.join(world.handDir, EVIL_UMID);
    if (!fs.existsSync(dir)) {
      let deadPid = 4_000_000;
      while (processExists(deadPid)) deadPid--;
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'pid'), `${deadPid}\n`);
    }
    return waitUntil('the server to list the umid directory', async () => {
      const out = await world.ok(['ls', '--json']);
      return out.includes('evil') ? out : undefined;
    });
  }

  it('shows a user notification with OSC 52 and OSC 0/2 visibly in umux events, leaving clipboard and title alone', async () => {
    await world.ok(['send', 'g1', `printf '\\033]52;c;${CLIPBOARD}\\007' > /proc/mconsole`]);
    await world.ok(['send', 'g1', "printf '\\033]0;HACKED-0\\007\\033]2;HACKED-2\\007\\302\\2350;HACKED-C1\\302\\234' > /proc/mconsole"]);
    const piped = await waitUntil('both user notifications in the event log', async () => {
      const out = await world.ok(['events', 'g1']);
      return (out.match(/user notification/g) ?? []).length >= 2 ? out : undefined;
    });
    await term.waitFor(/^READY-1$/m);
    expect(term.buffers()).toBe(''); // set-clipboard on: a raw OSC 52 would make one
    const screen = await step(1);
    expect(screen).toContain(`user notification: ^[]52;c;${CLIPBOARD}^G`);

    // Piped or not, the text of `umux events` shows the sequences as characters.
    expect(piped).toContain(`user notification: ^[]52;c;${CLIPBOARD}^G`);
    expect(piped).toContain('user notification: ^[]0;HACKED-0^G^[]2;HACKED-2^G\\x9d0;HACKED-C1\\x9c');
    expect(piped).not.toMatch(ACTIONABLE);
  });

  it('shows a umid directory named with escape sequences visibly in umux ls and keeps it exact in --json', async () => {
    const json = await evilUmidDir();
    const screen = await step(2);
    expect(screen).toContain(`evil^[]52;c;${CLIPBOARD}^G^[]2;HACKED-LS^G^[[2J\\x9d0;C1-TITLE\\x9c`);
    expect(screen).toContain('DONE-1'); // ESC [2J did not clear the screen

    // JSON carries the exact name, with every control character escaped (C1 too: \u009d, not the raw character).
    expect(json).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]/);
    expect(json).toContain('\\u009d0;C1-TITLE\\u009c');
    expect((JSON.parse(json) as { guests: Array<{ name: string }> }).guests.map((g) => g.name)).toContain(EVIL_UMID);
    await step(3);
  });

  it('shows MConsole replies holding guest text visibly: umux mc, and umux mconsole on a terminal', async () => {
    await world.ok(['send', 'g1', `printf '\\033]52;c;${CLIPBOARD}\\007\\033]2;HACKED-HOST\\007' > /proc/sys/kernel/hostname`]);
    const hostname = `\x1b]52;c;${CLIPBOARD}\x07\x1b]2;HACKED-HOST\x07`;
    await waitUntil('the guest to take the hostname', async () => ((await world.umux(['mc', 'g1', 'proc', 'sys/kernel/hostname'])).stdout.toString().includes('HACKED-HOST') ? true : undefined));
    // `proc` replies start with a newline after OK.
    expect(await step(4)).toContain(`DONE-3\nREADY-4\n\nOK\n^[]52;c;${CLIPBOARD}^G^[]2;HACKED-HOST^G\nDONE-4`);
    expect(await step(5)).toContain(`READY-5\n\nOK\n^[]52;c;${CLIPBOARD}^G^[]2;HACKED-HOST^G\n`);
    // Piped, umux mconsole prints the reply byte for byte, as uml_mconsole does (a script gets the guest's bytes).
    const ours = await world.umux(['mconsole', socket, 'proc', 'sys/kernel/hostname']);
    const theirs = await umlMconsole([socket, 'proc', 'sys/kernel/hostname']);
    expect(ours.stdout.toString()).toContain(hostname);
    expect(ours.stdout.equals(theirs.stdout)).toBe(true);
  });

  it('shows an error quoting a guest-controlled name visibly', async () => {
    const screen = await step(6);
    expect(screen).toContain(`umux: evil^[]52;c;${CLIPBOARD}^G^[]2;HACKED-LS^G^[[2J\\x9d0;C1-TITLE\\x9c is stale`);
    const piped = await world.umux(['mc', EVIL_UMID, 'version']);
    expect(piped.code).not.toBe(0);
    expect(piped.stderr.toString()).not.toMatch(ACTIONABLE);
  });

  it('shows the same texts visibly in the TUI: the sidebar and the event log (blessed applied ESC [ 8 m and passed C1)', async () => {
    await world.ok(['send', 'g1', `printf '\\033]52;c;${CLIPBOARD}\\007ok\\033[8mCONCEALED\\033[0m\\302\\233' > /proc/mconsole`]);
    await evilUmidDir();
    await waitUntil('the third user notification', async () => ((await world.ok(['events', 'g1'])).includes('CONCEALED') ? true : undefined));
    tui = new TmuxTerminal(`${umux('')}; echo EXIT=$?`, {
      width: 120,
      height: 40,
      env: { UMUX_SOCKET_DIR: world.socketDir, UMUX_STATE_DIR: world.stateDir, UMUX_CONFIG_DIR: world.configDir, UMUX_UML_DIRS: world.handDir, TERM: 'xterm-256color', LANG: 'C.UTF-8' },
      config: ['set -g set-clipboard on'],
    });
    const sidebar = await tui.waitFor(/RUN\s+g1 64M/);
    const title = tui.paneTitle();
    const buffers = tui.buffers();
    // The first pane shows the first guest (the stale one); focus g1, then open its event log.
    tui.type('', 'C-]');
    tui.type('n');
    await tui.waitFor(/g1:con0 \| socketpair/);
    tui.type('', 'C-]');
    tui.type('e');
    const events = await tui.waitFor(/g1: events/);
    expect(tui.screenWithColors()).not.toContain('\x1b[8m');
    expect(tui.buffers()).toBe(buffers);
    expect(tui.paneTitle()).toBe(title);
    expect(events).toContain(`user notification: ^[]52;c;${CLIPBOARD}^Gok^[[8mCONCEALED^[[0m\\x9b`);
    expect(sidebar).toContain('evil^[]52;c;a'); // the name as shown, cut to the sidebar's width
  });
});
