// Guests started by hand the way the seeds do it, their con0 the guest's own stdio in a `screen -d -m` session or a
// tmux pane: umux finds the session from the process tree, lists the console as screen / tmux, shows it live (typed
// into, watched read-only, in umux attach), logs what it shows, and leaves the session exactly as it was (screen -ls,
// tmux ls).

import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleStream } from '../../src/client/session.js';
import { umlSkip } from '../helpers/uml.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';
import { shellQuote, TmuxTerminal } from '../helpers/tmux.js';
import { UMUX_BIN } from '../helpers/run-tool.js';

interface LsGuest {
  name: string;
  state: string;
  consoles: Array<{ name: string; status?: string; note?: string }>;
}

const enc = (s: string) => new TextEncoder().encode(s);
const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('latin1');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function collect(stream: ConsoleStream): { chunks: Uint8Array[]; notices: string[] } {
  const out = { chunks: [] as Uint8Array[], notices: [] as string[] };
  stream.onData((b) => out.chunks.push(b));
  stream.onNotice((n) => out.notices.push(n.text));
  return out;
}

const hasScreen = spawnSync('screen', ['-v']).status !== null;

describe.skipIf(umlSkip())('consoles held by screen or tmux', () => {
  let world: UmuxWorld;
  const screenName = `umx${process.pid}`;
  let tmuxSocket = '';
  const ls = async (): Promise<LsGuest[]> => (JSON.parse(await world.ok(['ls', '--json'])) as { guests: LsGuest[] }).guests;
  const umlArgs = (umid: string) => [
    '/usr/bin/linux', `umid=${umid}`, `uml_dir=${world.handDir}`, 'mem=64M', 'rootfstype=hostfs', `hostfs=${world.root()}`, 'root=/dev/root', 'rw',
    'init=/init', 'con0=fd:0,fd:1', 'con1=none', 'con=null', 'ssl=null',
  ];
  const screenLs = () => spawnSync('screen', ['-ls'], { encoding: 'utf8' }).stdout;
  const tmux = (...args: string[]) => execFileSync('tmux', ['-S', tmuxSocket, ...args], { encoding: 'utf8' });

  // A world (server, uml_dir, tmux socket) per test.
  beforeEach(async () => {
    expect(hasScreen, 'screen is installed (.ci/run installs it)').toBe(true);
    world = new UmuxWorld({ UMUX_PING_MS: '500' });
    tmuxSocket = path.join(world.dir, 'tmux.sock');
    await world.ok(['ls']);
  });
  afterEach(async () => {
    spawnSync('screen', ['-S', screenName, '-X', 'quit']);
    if (tmuxSocket) spawnSync('tmux', ['-S', tmuxSocket, 'kill-server']);
    await world.dispose();
  });

  it('shows a con0 held by a screen -d -m session: typed into, watched read-only, the session left detached', async () => {
    // The seeds' way: screen -d -m -S NAME linux ... con0=fd:0,fd:1 (inventory §5.1).
    execFileSync('screen', ['-d', '-m', '-S', screenName, ...umlArgs('scr1')], { cwd: world.dir });
    const g = await waitUntil('scr1 adopted with con0 in screen', async () => {
      const x = (await ls()).find((y) => y.name === 'scr1');
      return x?.consoles.find((c) => c.name === 'con0')?.status === 'screen' ? x : undefined;
    }, 120_000);
    const con0 = g.consoles.find((c) => c.name === 'con0')!;
    expect(con0.note).toMatch(new RegExp(`con0 is fd:0(,fd:1)?: the guest's own stdio on /dev/pts/\\d+, in screen session \\d+\\.${screenName} \\(window 0\\) of root; umux shows it live through screen -x \\d+\\.${screenName} -p 0`));
    expect(await world.ok(['ls'])).toMatch(/^scr1\s+running\s+adopted\s.*con0\(screen\)/m);
    expect(screenLs()).toMatch(new RegExp(`\\d+\\.${screenName}\\s.*\\(Detached\\)`));

    const s = await world.session();
    const ro = await world.session();
    try {
      const stream = await s.attach('scr1', 'con0', { readOnly: false });
      const seen = collect(stream);
      stream.resize(100, 30);
      await waitUntil('the guest booted to its shell', async () => {
        stream.write(enc('\r'));
        await sleep(500);
        return text(seen.chunks).includes('/ # ') ? true : undefined;
      }, 120_000);
      // While umux shows it, screen counts one more display: the session says Attached.
      expect(screenLs()).toMatch(new RegExp(`\\d+\\.${screenName}\\s.*\\(Attached\\)`));
      const watcher = await ro.attach('scr1', 'con0', { readOnly: true });
      const watched = collect(watcher);
      stream.write(enc('echo screen-$((6*7))-typed; stty size\r'));
      // Timed out once in CI (unexplained: in runs here screen sends exactly these bytes, at the bottom of the window
      // too): it says what the client saw.
      await waitUntil('the typed command in the screen window', () => (/screen-42-typed\r\n30 100\r\n/.test(text(seen.chunks)) ? true : undefined), 20_000).catch((err: Error) => {
        throw new Error(`${err.message}; the client saw last: ${JSON.stringify(text(seen.chunks).slice(-600))}`);
      });
      await waitUntil('the read-only client to see it', () => (text(watched.chunks).includes('screen-42-typed') ? true : undefined), 10_000);
      watcher.write(enc('echo must-not-arrive\r'));
      await waitUntil('the refusal', () => (watched.notices.some((n) => n.startsWith('read-only: scr1:con0 does not take your typing')) ? true : undefined));
      await sleep(1000);
      expect(text(seen.chunks)).not.toContain('must-not-arrive');
    } finally {
      s.dispose();
      ro.dispose();
    }
    expect(await world.ok(['log', 'scr1'])).toContain('screen-42-typed');
    // Leaving: the display goes, the session is Detached again with the guest still in it.
    await waitUntil('the session detached again', () => (new RegExp(`\\d+\\.${screenName}\\s.*\\(Detached\\)`).test(screenLs()) ? true : undefined), 10_000);
    expect((await ls()).find((x) => x.name === 'scr1')?.state).toBe('running');
    const events = await world.ok(['events', 'scr1']);
    expect(events).toMatch(new RegExp(`con0: showing screen session \\d+\\.${screenName} \\(window 0\\) \\(screen -x\\)`));
    expect(events).toMatch(/con0: stopped showing screen session .*; the session is left as it was/);
  }, 300_000);

  it('shows a con0 in a tmux pane through control mode: that pane only, typed into, read-only, in umux attach, the session unchanged', async () => {
    tmux('new-session', '-d', '-s', 'umxpane', '-x', '120', '-y', '40', umlArgs('tmx1').join(' '));
    const g = await waitUntil('tmx1 adopted with con0 in tmux', async () => {
      const x = (await ls()).find((y) => y.name === 'tmx1');
      return x?.consoles.find((c) => c.name === 'con0')?.status === 'tmux' ? x : undefined;
    }, 120_000);
    const pane = tmux('list-panes', '-t', 'umxpane', '-F', '#{pane_id} #{pane_start_command}').split('\n').find((l) => l.includes('umid=tmx1'))!.split(' ')[0]!;
    expect(g.consoles.find((c) => c.name === 'con0')!.note).toContain(`in tmux pane ${pane} (socket ${tmuxSocket}) of root; umux shows it live through tmux control mode on ${pane}`);
    expect(await world.ok(['ls'])).toMatch(/^tmx1\s+running\s+adopted\s.*con0\(tmux\)/m);

    let before = '';
    const s = await world.session();
    const ro = await world.session();
    try {
      const stream = await s.attach('tmx1', 'con0', { readOnly: false });
      const seen = collect(stream);
      let closed = '';
      stream.onClosed((why) => (closed = why));
      stream.resize(70, 15); // a tmux pane keeps the admin's size
      await waitUntil('the guest booted to its shell', async () => {
        if (closed) throw new Error(`umux's view of the pane closed: ${closed}`);
        stream.write(enc('\r'));
        await sleep(500);
        return text(seen.chunks).includes('/ # ') ? true : undefined;
      }, 120_000);
      // A second pane printing something else, which must not show up in umux's view.
      tmux('split-window', '-d', '-t', 'umxpane', 'sh -c "while :; do echo other-pane-noise; sleep 0.5; done"');
      const watcher = await ro.attach('tmx1', 'con0', { readOnly: true });
      const watched = collect(watcher);
      before = tmux('list-sessions', '-F', '#{session_name} #{window_width}x#{window_height}');
      stream.write(enc('echo tmux-$((6*7))-typed; stty size\r'));
      const size = tmux('display-message', '-p', '-t', pane, '#{pane_height} #{pane_width}').trim();
      await waitUntil('the typed command in the pane', () => (text(seen.chunks).includes(`tmux-42-typed\r\n${size}\r\n`) ? true : undefined), 20_000);
      await waitUntil('the read-only client to see it', () => (text(watched.chunks).includes('tmux-42-typed') ? true : undefined), 10_000);
      watcher.write(enc('echo must-not-arrive\r'));
      await waitUntil('the refusal', () => (watched.notices.some((n) => n.startsWith('read-only: tmx1:con0')) ? true : undefined));
      await sleep(1000);
      const all = text(seen.chunks);
      expect(all).not.toContain('must-not-arrive');
      expect(all).not.toContain('other-pane-noise');
      // The admin's view: the typed line is in the pane, the refused one is not.
      expect(tmux('capture-pane', '-p', '-t', pane)).toContain('tmux-42-typed');
      expect(tmux('capture-pane', '-p', '-t', pane)).not.toContain('must-not-arrive');
      // umux's control client is listed while it shows the pane, and sizes nothing.
      expect(tmux('list-clients', '-F', '#{client_control_mode} #{client_flags}')).toMatch(/^1 .*ignore-size/m);
    } finally {
      s.dispose();
      ro.dispose();
    }
    expect(await world.ok(['log', 'tmx1'])).toContain('tmux-42-typed');
    await waitUntil('umux’s control client gone', () => (tmux('list-clients').trim() === '' ? true : undefined), 10_000);

    // The same pane in `umux attach`, in a terminal of its own: shown, typed into, and left.
    const attach = new TmuxTerminal(`${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)} attach tmx1; echo EXIT=$?`, {
      width: 100, height: 30, env: { UMUX_SOCKET_DIR: world.socketDir, UMUX_STATE_DIR: world.stateDir, UMUX_CONFIG_DIR: world.configDir, TERM: 'xterm-256color' },
    });
    try {
      await attach.waitFor(/umux tmx1:con0 · nobody else attached · C-\] detach/, 20_000);
      await attach.waitFor('tmux-42-typed', 20_000);
      attach.type('echo via-attach-$((2*4))', 'Enter');
      await attach.waitFor(/^via-attach-8\s*$/m, 20_000);
      expect(tmux('capture-pane', '-p', '-t', pane)).toMatch(/^via-attach-8$/m);
      attach.type('', 'C-]');
      await attach.waitFor(/umux: detached from tmx1:con0\nEXIT=0/, 10_000);
    } finally {
      attach.dispose();
    }
    await waitUntil('umux’s control client gone again', () => (tmux('list-clients').trim() === '' ? true : undefined), 10_000);
    // Nothing about the session changed: same windows, same size, and no client left attached.
    expect(tmux('list-sessions', '-F', '#{session_name} #{window_width}x#{window_height}')).toBe(before);
    expect(tmux('list-sessions', '-F', '#{session_attached}').trim()).toBe('0');
    expect((await ls()).find((x) => x.name === 'tmx1')?.state).toBe('running');
    const events = await world.ok(['events', 'tmx1']);
    expect(events).toMatch(new RegExp(`con0: showing tmux pane ${pane} \\(socket .*\\) \\(tmux control mode\\)`));
    expect(events).toMatch(/con0: stopped showing tmux pane .*; the session is left as it was/);
  }, 300_000);

  it('keeps a stdio console that is a plain file explained, not shown', async () => {
    await world.startByHand('plain1', ['con0=fd:0,fd:1', 'con=null', 'ssl=null']);
    // Adoption waits for the guest's console scan, which took over 15 s on a loaded two-core host.
    const g = await waitUntil('plain1 adopted', async () => (await ls()).find((y) => y.name === 'plain1' && y.consoles.some((c) => c.name === 'con0')), 60_000);
    expect(g.consoles.find((c) => c.name === 'con0')!.status).toBe('elsewhere');
    expect(fs.existsSync(path.join(world.dir, 'plain1.out'))).toBe(true);
  }, 120_000);
});
