// Clients ride through the server going away (issue 11, item 4), with a real guest started by hand whose pts
// consoles a new server holds again: an `umux attach` and the TUI (in real terminals, tmux) and a `log -f` stay open
// across a kill -9 of the server, a client starts a new one, and they carry on (the echo of what is typed after it,
// every numbered line once); after `umux kill-server` they wait and start none, until `umux ls` starts one.

import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { hasTmux, shellQuote, TmuxTerminal } from '../helpers/tmux.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The numbers of `n=N` lines in a text, in order. */
const numbers = (text: string) => [...text.matchAll(/^n=(\d+)$/gm)].map((m) => Number(m[1]));

describe.skipIf(umlSkip() || (!hasTmux && process.env['CI'] !== 'true'))('clients ride through the server going away', () => {
  let world: UmuxWorld;
  let attach: TmuxTerminal;
  let tui: TmuxTerminal;
  let follower: ChildProcess;
  let followed = '';
  let followErr = '';
  const envOf = (w: UmuxWorld) => ({
    UMUX_SOCKET_DIR: w.socketDir,
    UMUX_STATE_DIR: w.stateDir,
    UMUX_CONFIG_DIR: w.configDir,
    UMUX_UML_DIRS: w.handDir,
    UMUX_PING_MS: '500',
    TERM: 'xterm-256color',
  });
  const umuxCmd = (args: string) => `${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)} ${args}; echo EXIT=$?`;
  const heldLines = async () => {
    const r = await world.umux(['ls', '--json']);
    if (r.code !== 0) return undefined;
    const g = (JSON.parse(r.stdout.toString()) as { guests: Array<{ name: string; consoles: Array<{ name: string; status?: string }> }> }).guests.find((x) => x.name === 'ride1');
    return g?.consoles.filter((c) => c.status === 'held').map((c) => c.name) ?? [];
  };
  const serverBack = (old: number) => waitUntil('a new server', () => {
    const pid = world.serverPid();
    return pid !== undefined && pid !== old ? pid : undefined;
  }, 20_000);

  /** The attach's status line back to normal (its notice, "reconnected", may already be replaced by another). */
  const attachedAgain = () => waitUntil('the attach attached again', () => {
    const screen = attach.screen();
    return /umux ride1:con1 · .* · C-\] detach/.test(screen) && !/server gone|waiting/.test(screen) ? true : undefined;
  }, 30_000);

  beforeAll(async () => {
    world = new UmuxWorld({ UMUX_PING_MS: '500', UMUX_PING_TIMEOUT_MS: '1000' });
    await world.ok(['ls']);
    // con1: a shell on a getty that comes back after a hangup (the server's death closes the line it held);
    // con2: numbered lines, ten a second, for log -f (the writer opens the line again after a hangup too).
    await world.startByHand('ride1', ['con=null', 'ssl=null', 'con0=fd:0,fd:1', 'con1=pts', 'con2=pts'], {
      root: {
        shell: false,
        commands: [
          '(while :; do setsid getty -n -l /bin/sh 0 /dev/tty1 vt100; sleep 1; done) &',
          // The line is held open (fd 3) and opened again after a hangup, when the writes fail.
          '(i=0; while :; do exec 3>/dev/tty2; while echo "n=$((i+1))" >&3; do i=$((i+1)); sleep 0.1; done; exec 3>&-; sleep 0.5; done) 2>/dev/null &',
        ],
      },
    });
    await waitUntil('con1 and con2 held', async () => ((await heldLines())?.length === 2 ? true : undefined), 20_000).catch(async (err: Error) => {
      throw new Error(`${err.message}; umux ls says:\n${(await world.umux(['ls', '--json'])).stdout.toString()}`);
    });
  });
  afterAll(async () => {
    attach?.dispose();
    tui?.dispose();
    if (follower && follower.exitCode === null) follower.kill('SIGKILL');
    await world.dispose();
  });

  it('an attach, the TUI and a log -f stay open across a kill -9; a client starts a server; they carry on', async () => {
    attach = new TmuxTerminal(umuxCmd('attach ride1:con1'), { width: 140, height: 30, env: envOf(world) });
    await attach.waitFor(/umux ride1:con1 · nobody else attached · C-\] detach/);
    attach.type('', 'Enter');
    attach.type('echo before-$((40+2))', 'Enter');
    await attach.waitFor(/^before-42/m);
    tui = new TmuxTerminal(umuxCmd(''), { width: 110, height: 30, env: envOf(world) });
    await tui.waitFor(/ride1:con1 \| held pts/);
    follower = spawn(process.execPath, [UMUX_BIN, 'log', '-f', '-n', '0', 'ride1:con2'], { env: world.env, stdio: ['ignore', 'pipe', 'pipe'] });
    follower.stdout!.on('data', (b: Buffer) => (followed += b.toString('latin1')));
    follower.stderr!.on('data', (b: Buffer) => (followErr += b.toString('latin1')));
    await waitUntil('log -f printing', () => (numbers(followed).length >= 5 ? true : undefined));

    const old = world.serverPid()!;
    const killedAt = Date.now();
    process.kill(old, 'SIGKILL');
    await attach.waitFor(/server gone \(the umux server closed the connection\); reconnecting · C-\] leaves/);
    await tui.waitFor(/server gone/);
    await waitUntil('log -f saying so', () => (followErr.includes('server gone') ? true : undefined));
    // log -f sleeps through the restart, so the new server logs lines before it asks again: it must ask for them.
    process.kill(follower.pid!, 'SIGSTOP');
    expect(attach.screen()).toMatch(/^before-42/m); // the guest's screen stays
    const pid = await serverBack(old);
    const serverUpAt = Date.now();
    expect(pid).not.toBe(old);
    const logged = numbers(world.logText('ride1', 'con2')).length;
    await waitUntil('the new server logging con2', () => (numbers(world.logText('ride1', 'con2')).length >= logged + 10 ? true : undefined), 20_000);
    process.kill(follower.pid!, 'SIGCONT');

    // The attach is back on the same console: what is typed reaches the guest's new shell and its echo comes back.
    await attachedAgain();
    attach.type('', 'Enter');
    attach.type('echo after-$((6*7))', 'Enter');
    await attach.waitFor(/^after-42/m, 15_000);
    // The figure for the report: from the kill to the echo of what was typed after it (guest getty respawn included).
    console.log(`ride-through: kill -9 to a new server ${serverUpAt - killedAt} ms, to the echo in attach ${Date.now() - killedAt} ms`);
    // The TUI too: its pane attached again, and shows the guest's new output.
    await tui.waitFor(/ride1:con1 \| held pts/, 30_000);
    await tui.waitFor(/after-42/);
    tui.type('echo tui-$((7*6))x', 'Enter');
    await tui.waitFor(/tui-42x/);

    const before = numbers(followed).length;
    await waitUntil('log -f going on', () => (numbers(followed).length >= before + 10 ? true : undefined), 20_000);
    const seen = numbers(followed);
    expect(new Set(seen).size).toBe(seen.length); // no line twice
    // None lost: what log -f printed is exactly a stretch of the log file (the file is the truth).
    const log = world.logText('ride1', 'con2');
    const printed = followed.slice(0, followed.lastIndexOf('\n') + 1);
    expect(log.replace(/\r/g, '')).toContain(printed.replace(/\r/g, ''));
    expect(followErr).toMatch(/reconnected to umux server pid \d+; log -f goes on/);
  }, 120_000);

  it('after umux kill-server they wait and start no server; umux ls starts one and they carry on', async () => {
    const old = world.serverPid()!;
    const r = await world.umux(['kill-server']);
    expect(r.code).toBe(0);
    await attach.waitFor(/server stopped by umux kill-server; waiting for a new one — any umux command starts it/);
    await tui.waitFor(/server stopped by umux kill-server/);
    await waitUntil('log -f saying so', () => (followErr.includes('server stopped by umux kill-server') ? true : undefined));
    // Well past the grace after which a crashed server is replaced: nobody started one.
    await sleep(4000);
    expect(world.serverPid()).toBeUndefined();
    expect(attach.screen()).toMatch(/waiting for a new one/);

    await world.ok(['ls']);
    const pid = await serverBack(old);
    expect(pid).not.toBe(old);
    await attachedAgain();
    attach.type('', 'Enter');
    attach.type('echo again-$((5*5))', 'Enter');
    await attach.waitFor(/^again-25/m, 15_000);
    await tui.waitFor(/again-25/, 30_000);
    const before = numbers(followed).length;
    await waitUntil('log -f going on', () => (numbers(followed).length >= before + 5 ? true : undefined), 20_000);
    const seen = numbers(followed);
    expect(new Set(seen).size).toBe(seen.length);
    follower.kill('SIGINT');
    await waitUntil('log -f leaving on Ctrl-C', () => (follower.exitCode !== null ? true : undefined), 5000);
    expect(follower.exitCode).toBe(0);
    attach.type('', 'C-]');
    await attach.waitFor(/umux: detached from ride1:con1\nEXIT=0/);
  }, 120_000);
});
