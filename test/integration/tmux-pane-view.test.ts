// umux's tmux control-mode view of one pane, against a real tmux server (no guest needed): every attach shows the
// pane and takes typing. tmux answers the attach on the command line and the view's first command in either order,
// which ended about half the views at once before replies were matched by their %begin flags.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TmuxPaneView } from '../../src/consoles/multiplexer-view.js';
import { hasTmux } from '../helpers/tmux.js';
import { waitUntil } from '../helpers/server.js';

describe.skipIf(!hasTmux && process.env['CI'] !== 'true')('TmuxPaneView on a real tmux pane', () => {
  let dir = '';
  let socket = '';
  const tmux = (...args: string[]) => execFileSync('tmux', ['-S', socket, ...args], { encoding: 'utf8', timeout: 5000 });

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-tpv-'));
    socket = path.join(dir, 'tmux.sock');
    tmux('-f', '/dev/null', 'new-session', '-d', '-s', 'v', '-x', '100', '-y', '30', 'sh');
    tmux('send-keys', '-t', 'v', '-l', 'echo pane-marker-$((40+2))');
    tmux('send-keys', '-t', 'v', 'Enter');
  });
  afterAll(() => {
    try {
      tmux('kill-server');
    } catch {
      // gone
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('shows the pane on every one of 12 attaches in a row, and types into it', async () => {
    const [pane, tty] = tmux('display-message', '-p', '-t', 'v', '#{pane_id} #{pane_tty}').trim().split(' ') as [string, string];
    await waitUntil('the marker in the pane', () => (tmux('capture-pane', '-p', '-t', pane).includes('pane-marker-42') ? true : undefined));
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const view = new TmuxPaneView({ socket, pane, tty });
      let seen = '';
      let exit = '';
      view.onData((b) => (seen += Buffer.from(b).toString('latin1')));
      view.onExit((why) => (exit = why));
      try {
        await waitUntil(`view ${i + 1} shows the pane or ends`, () => (seen.includes('pane-marker-42') || exit ? true : undefined), 20_000);
        if (i === 0 && !exit) {
          view.write(new TextEncoder().encode(`echo typed-$((6*7))\r`));
          await waitUntil('the typed command echoed through the view', () => (/typed-42\r\n/.test(seen) || exit ? true : undefined), 20_000);
        }
        outcomes.push(exit ? `ended: ${exit}` : 'shown');
      } finally {
        view.dispose();
      }
      await waitUntil('the control client gone', () => (tmux('list-clients').trim() === '' ? true : undefined), 10_000);
    }
    expect(outcomes).toEqual(Array(12).fill('shown'));
    expect(tmux('capture-pane', '-p', '-t', pane)).toMatch(/^typed-42$/m);
  }, 120_000);
});
