// Synchronized output (DECSET 2026) from the TUI on a real pty (node-pty as the admin's terminal): a terminal that
// answers the DECRQM query gets each frame between ESC[?2026h and ESC[?2026l, and its answer never reaches the
// guest; a terminal that answers nothing (tmux 3.3a) gets plain frames.

import * as pty from 'node-pty';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';

const QUERY = '\x1b[?2026$p';
const BEGIN = '\x1b[?2026h';
const END = '\x1b[?2026l';

/** The TUI on a pty; `answer` is what the terminal replies to the query (nothing when undefined). */
function openTui(world: UmuxWorld, answer: string | undefined) {
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', TERM: 'xterm-256color', LANG: 'C.UTF-8' };
  for (const k of ['UMUX_SOCKET_DIR', 'UMUX_STATE_DIR', 'UMUX_CONFIG_DIR', 'UMUX_UML_DIRS']) env[k] = world.env[k]!;
  const p = pty.spawn(process.execPath, [UMUX_BIN], { cols: 100, rows: 30, env });
  let out = '';
  p.onData((d) => {
    out += d;
    if (answer !== undefined && d.includes(QUERY)) p.write(answer);
  });
  return { p, output: () => out, leave: () => p.write('\x1dd') };
}

describe.skipIf(umlSkip())('the TUI and synchronized output', () => {
  let world: UmuxWorld;

  beforeAll(async () => {
    world = new UmuxWorld();
    world.define('sy', 'consoles = 0\nserials = 0\n');
    await world.ok(['start', 'sy']);
    await world.waitForShell('sy', 60_000);
  }, 120_000);

  afterAll(async () => {
    await world?.dispose();
  });

  it('wraps every frame in 2026h … 2026l once the terminal says it has the mode; the answer is not typed', async () => {
    const tui = openTui(world, '\x1b[?2026;2$y');
    try {
      await waitUntil('the TUI on sy', () => (tui.output().includes('sy:con0') ? true : undefined), 30_000);
      const from = tui.output().length;
      tui.p.write('echo sync-$((6*7))\r');
      await waitUntil('the echo in a synchronized frame', () => (/\x1b\[\?2026h[^]*?sync-42[^]*?\x1b\[\?2026l/.test(tui.output().slice(from)) ? true : undefined), 15_000);
      // Every byte after the first frame lies inside a frame: BEGIN and END alternate, nothing outside them.
      const after = tui.output().slice(tui.output().indexOf(BEGIN, from));
      const outside = after.split(BEGIN).map((part) => part.slice(part.indexOf(END) + END.length)).join('');
      expect(outside).toBe('');
      expect(world.logText('sy')).not.toMatch(/2026;2|\$y/);
    } finally {
      tui.leave();
      tui.p.kill();
    }
  }, 60_000);

  it('draws plain frames for a terminal that answers nothing', async () => {
    const tui = openTui(world, undefined);
    try {
      await waitUntil('the TUI on sy', () => (tui.output().includes('sy:con0') ? true : undefined), 30_000);
      tui.p.write('echo plain-$((6*7))\r');
      await waitUntil('the echo', () => (tui.output().includes('plain-42') ? true : undefined), 15_000);
      await new Promise((r) => setTimeout(r, 700));
      tui.p.write('echo late-$((6*7))\r');
      await waitUntil('the echo after the wait for an answer', () => (tui.output().includes('late-42') ? true : undefined), 15_000);
      expect(tui.output()).toContain(QUERY);
      expect(tui.output()).not.toContain(BEGIN);
    } finally {
      tui.leave();
      tui.p.kill();
    }
  }, 60_000);
});
