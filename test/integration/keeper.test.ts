// Consoles that outlive the server (issue 11): a managed guest flooding con0 while its server is killed -9 three
// times and started again by a client; an upgrade (kill-server, then a server of another build); the keeper's death.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { runTool } from '../helpers/run-tool.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';
import { processExists } from '../../src/guests/process-group.js';
import { findKeeperPid } from '../../src/guests/keeper-process.js';
import { freePort } from '../helpers/ports.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


interface Ls {
  guests: Array<{ name: string; state: string; pid: number; adopted: boolean; consoles: Array<{ name: string; lost: boolean }> }>;
}

const keeperPid = findKeeperPid;

/** A copy of this build whose version says `version`: what an upgraded umux looks like to the running keeper. */
function otherBuild(dir: string, version: string): string {
  const repo = path.resolve(__dirname, '../..');
  fs.cpSync(path.join(repo, 'dist'), path.join(dir, 'dist'), { recursive: true });
  fs.cpSync(path.join(repo, 'bin'), path.join(dir, 'bin'), { recursive: true });
  fs.copyFileSync(path.join(repo, 'package.json'), path.join(dir, 'package.json'));
  fs.symlinkSync(path.join(repo, 'node_modules'), path.join(dir, 'node_modules'));
  const v = path.join(dir, 'dist', 'core', 'version.js');
  fs.writeFileSync(v, fs.readFileSync(v, 'utf8').replace(/UMUX_VERSION = '[^']*'/, `UMUX_VERSION = '${version}'`));
  return path.join(dir, 'bin', 'umux');
}

describe.skipIf(umlSkip())('consoles outlive the server', () => {
  let world: UmuxWorld;

  beforeAll(async () => {
    world = new UmuxWorld();
    world.define('kf', 'consoles = 1\nserials = 0\n', { root: { consoleGetty: true } }); // a controlling tty: Ctrl-C stops the flood
    await world.ok(['start', 'kf']);
    await waitUntil('the getty shell prompt', () => (fs.existsSync(path.join(world.stateDir, 'logs', 'kf', 'con0.log')) && world.logText('kf').includes('/# ') ? true : undefined), 60_000);
  }, 90_000);
  afterAll(async () => {
    const keeper = keeperPid(world.socketDir);
    await world.dispose();
    if (keeper) process.kill(keeper, 'SIGKILL');
  });

  it('loses no byte and doubles none when the server is killed -9 three times during a flood', async () => {
    const guestPid = world.guestPid('kf')!;
    // As fast as the guest can print, until Ctrl-C: the kills land inside the flood whatever the machine's speed.
    await world.ok(['send', 'kf', 'seq 1 999999999']);
    await waitUntil('the flood to begin', () => (/^\d+\r?$/m.test(world.logText('kf')) ? true : undefined));
    const logged: number[] = [];
    for (let i = 0; i < 3; i++) {
      const server = world.serverPid()!;
      process.kill(server, 'SIGKILL');
      logged.push(world.logText('kf').length);
      await waitUntil('the old server gone', () => (!processExists(server) ? true : undefined));
      await sleep(400); // output piles up in the keeper meanwhile
      await world.ok(['ls']); // any client starts a new server
      await sleep(1000);
    }
    await world.ok(['send', '-n', 'kf', '\x03']);
    await world.ok(['send', 'kf', 'echo flood-$((40+2))-done']);
    await waitUntil('the flood to end in the log', () => (world.logText('kf').includes('flood-42-done') ? true : undefined), 120_000);
    const numbers = world.logText('kf').split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => /^\d+$/.test(l)).map(Number);
    // Every number once, in order: a loss or a repeat shows as a mismatch at its place.
    const firstWrong = numbers.findIndex((n, i) => n !== i + 1);
    expect(firstWrong).toBe(-1);
    expect(logged[0]).toBeLessThan(logged[1]!); // the flood ran on through every kill
    expect(logged[1]).toBeLessThan(logged[2]!);
    expect(world.logText('kf').length).toBeGreaterThan(logged[2]!);
    expect(world.guestPid('kf')).toBe(guestPid);
    const ls = JSON.parse(await world.ok(['ls', '--json'])) as Ls;
    const kf = ls.guests.find((g) => g.name === 'kf')!;
    expect(kf.state).toBe('running');
    expect(kf.consoles.map((c) => [c.name, c.lost])).toEqual([['con0', false], ['con1', false]]);
    // Typing reaches the same console of the same guest.
    await world.ok(['send', 'kf', 'echo typed-$((6*7))-after']);
    await waitUntil('the echo after the kills', () => (world.logText('kf').includes('typed-42-after') ? true : undefined));
    const events = await world.ok(['events', 'kf']);
    expect(events.match(/took back running guest pid \d+ from the console keeper/g)?.length).toBe(3);
    console.log(`keeper test: ${numbers.length} numbered lines through 3 kill -9s, none lost or twice`);
  }, 240_000);

  it('a server of another build (an upgrade) takes the consoles back after umux kill-server', async () => {
    const tmp = fs.mkdtempSync(path.join(world.dir, 'upgrade-'));
    const bin = otherBuild(tmp, '0.1.0-upgraded');
    const keeper = keeperPid(world.socketDir);
    expect(keeper).toBeDefined();
    await world.ok(['kill-server']);
    await waitUntil('the server gone', () => (world.serverPid() === undefined ? true : undefined));
    await world.ok(['send', 'kf:con1', 'echo while-no-server']); // no server: this start one, of the old build
    await world.ok(['kill-server']);
    await waitUntil('the server gone again', () => (world.serverPid() === undefined ? true : undefined));
    const env = { ...world.env, UMUX_BIN: bin }; // the server it starts is of its build too
    const r = await runTool(process.execPath, [bin, 'version'], { env, timeoutMs: 30_000 });
    expect(r.stdout.toString()).toContain('0.1.0-upgraded');
    const ls = JSON.parse((await runTool(process.execPath, [bin, 'ls', '--json'], { env, timeoutMs: 30_000 })).stdout.toString()) as Ls;
    expect(ls.guests.find((g) => g.name === 'kf')!.consoles.every((c) => !c.lost)).toBe(true);
    expect(keeperPid(world.socketDir)).toBe(keeper); // the same keeper, never restarted
    const serverLog = fs.readFileSync(path.join(world.stateDir, 'server.log'), 'utf8');
    expect(serverLog).toMatch(/umux server 0\.1\.0-upgraded listening/);
    expect(serverLog).toMatch(new RegExp(`console keeper pid ${keeper} \\(build 0\\.1\\.0,`));
    await runTool(process.execPath, [bin, 'send', 'kf', 'echo upgraded-$((6*7))'], { env, timeoutMs: 30_000 });
    await waitUntil('the echo through the upgraded server', () => (world.logText('kf').includes('upgraded-42') ? true : undefined));
    await runTool(process.execPath, [bin, 'kill-server'], { env, timeoutMs: 30_000 });
  }, 90_000);

  it("keeps an adopted guest's pts line open across a server kill -9: the same shell answers afterwards (no hangup)", async () => {
    // A getty without a respawn loop: a hangup would end its shell, and nothing would answer on con1 again.
    await world.startByHand('kpts', ['con1=pts'], { root: { gettys: ['tty1'] } });
    const held = async () => {
      const ls = JSON.parse(await world.ok(['ls', '--json'])) as { guests: Array<{ name: string; consoles: Array<{ name: string; status?: string }> }> };
      return ls.guests.find((g) => g.name === 'kpts')?.consoles.find((c) => c.name === 'con1' && c.status === 'held') ? true : undefined;
    };
    await waitUntil('con1 held', held, 60_000);
    await world.ok(['send', 'kpts:con1', 'echo shell-$$']);
    const shell = await waitUntil('the shell pid', () => /shell-(\d+)/.exec(world.logText('kpts', 'con1'))?.[1], 30_000);
    process.kill(world.serverPid()!, 'SIGKILL');
    await waitUntil('con1 held by the new server', held, 60_000);
    await world.ok(['send', 'kpts:con1', 'echo again-$$']);
    await waitUntil('the same shell answering', () => (world.logText('kpts', 'con1').includes(`again-${shell}`) ? true : undefined), 30_000);
    expect(await world.ok(['events', 'kpts'])).toMatch(/con1: took back \/dev\/pts\/\d+ from the console keeper/);
  }, 120_000);

  it("keeps an adopted guest's port line connected across a server kill -9: its telnetd session and shell go on", async () => {
    // In this world UML answered `config ssl0` with a bare "port" (no number) until the port was taken from the
    // guest's command line; the line was never held before that.
    const port = await freePort();
    // umux's own in.telnetd shim (what the README tells an admin to put on a hand-started guest's PATH). A closed
    // connection would end its telnetd session and with it the shell: the getty's next shell has another pid.
    const shim = path.resolve(__dirname, '../../libexec/uml');
    const getty = '(while :; do setsid getty -n -l /bin/sh 0 /dev/ttyS0 vt100; sleep 1; done) &';
    await world.startByHand('kport', ['con=null', 'ssl=null', 'con0=fd:0,fd:1', `ssl0=port:${port}`], { root: { commands: [getty] }, pathPrefix: shim });
    const held = async () => {
      const ls = JSON.parse(await world.ok(['ls', '--json'])) as { guests: Array<{ name: string; consoles: Array<{ name: string; status?: string }> }> };
      return ls.guests.find((g) => g.name === 'kport')?.consoles.find((c) => c.name === 'ssl0' && c.status === 'held') ? true : undefined;
    };
    await waitUntil('ssl0 held', held, 60_000);
    const shell = await waitUntil('the shell pid over the port', async () => {
      await world.ok(['send', 'kport:ssl0', 'echo shell-$$']);
      await sleep(700);
      return /shell-(\d+)/.exec(world.logText('kport', 'ssl0'))?.[1];
    }, 30_000);
    process.kill(world.serverPid()!, 'SIGKILL');
    await waitUntil('ssl0 held by the new server', held, 60_000);
    await world.ok(['send', 'kport:ssl0', 'echo again-$$']);
    await waitUntil('the same shell answering', () => (world.logText('kport', 'ssl0').includes(`again-${shell}`) ? true : undefined), 30_000);
    expect(await world.ok(['events', 'kport'])).toMatch(/ssl0: took back port:\d+ from the console keeper/);
  }, 150_000);

  it('says which consoles were lost when the keeper itself dies, and a restart gives the guest new ones', async () => {
    await world.ok(['ls']);
    const keeper = keeperPid(world.socketDir)!;
    process.kill(keeper, 'SIGKILL');
    await waitUntil('the loss in the events', async () => ((await world.ok(['events', 'kf'])).includes('are lost: the keeper closed its connection') ? true : undefined));
    const ls = JSON.parse(await world.ok(['ls', '--json'])) as Ls;
    expect(ls.guests.find((g) => g.name === 'kf')!.consoles.every((c) => c.lost)).toBe(true);
    const send = await world.umux(['send', 'kf', 'echo nobody']);
    expect(send.code).not.toBe(0);
    expect(send.stderr.toString()).toMatch(/lost/);
    const before = world.logText('kf').length;
    await world.ok(['restart', 'kf']);
    await waitUntil('the new shell prompt', () => (world.logText('kf').slice(before).includes('/# ') ? true : undefined), 60_000);
    await world.ok(['send', 'kf', 'echo renewed-$((6*7))']);
    await waitUntil('the echo on the new console', () => (world.logText('kf').includes('renewed-42') ? true : undefined));
    expect(keeperPid(world.socketDir)).not.toBe(keeper);
  }, 90_000);
});
