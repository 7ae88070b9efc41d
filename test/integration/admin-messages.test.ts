// Issue 13 items 2, 12 and 13, on real guests: tty: lines are never opened beside the guest; a relaunched adopted
// guest gets its consoles on lines umux holds and is called crashed (not stale) when it panics; messages that used to
// mislead: a lost console of a running guest, offers for a line umux holds, a slot already configured, uptime after
// a server restart.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';

interface LsGuest {
  name: string;
  state: string;
  pid: number | null;
  uptimeMs: number | null;
  consoles: Array<{ name: string; status?: string; note?: string; lost: boolean }>;
}

describe.skipIf(umlSkip())('what an admin is told', { timeout: 120_000 }, () => {
  let world: UmuxWorld;
  let pty: ChildProcess | undefined;
  const ls = async (): Promise<LsGuest[]> => (JSON.parse(await world.ok(['ls', '--json'])) as { guests: LsGuest[] }).guests;
  const guest = async (name: string) => (await ls()).find((g) => g.name === name);
  type Boot = { how: string; pid: number | null; end: { kind: string } | null; consoles: string[] };
  const boots = async (name: string): Promise<Boot[]> => (JSON.parse(await world.ok(['boots', name, '--json'])) as { boots: Boot[] }).boots;

  beforeAll(async () => {
    world = new UmuxWorld({ UMUX_PING_MS: '500' });
    await world.ok(['ls']);
  });
  afterAll(async () => {
    pty?.kill('SIGKILL');
    await world.dispose();
  });

  it('never opens a tty: line beside the guest, and says why in ls, attach and send', async () => {
    pty = spawn('python3', ['-c', 'import os,pty,time; m,s=pty.openpty(); print(os.ttyname(s), flush=True); time.sleep(300)'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const dev = await new Promise<string>((resolve) => pty!.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
    await world.startByHand('ttyg', ['con0=fd:0,fd:1', `con1=tty:${dev}`]);
    const line = await waitUntil('con1 looked at', async () => (await guest('ttyg'))?.consoles.find((c) => c.name === 'con1'), 30_000);
    expect(line.status).toBe('elsewhere');
    expect(line.note).toContain(`con1 is tty:${dev}: the guest reads that host device itself`);
    const server = world.serverPid()!;
    const fds = fs.readdirSync(`/proc/${server}/fd`).map((fd) => {
      try {
        return fs.readlinkSync(`/proc/${server}/fd/${fd}`);
      } catch {
        return '';
      }
    });
    expect(fds).not.toContain(dev);
    const send = await world.umux(['send', 'ttyg:con1', 'hello']);
    expect(send.code).not.toBe(0);
    expect(send.stderr.toString()).toContain('ttyg:con1 cannot be used: con1 is tty:');
    const log = await world.umux(['log', 'ttyg:con0']);
    expect(log.code).not.toBe(0);
    expect(log.stderr.toString()).toContain('ttyg:con0 has no log: umux has not held it (con0 is fd:0');
  });

  it('relaunches an adopted guest with con0 on a pts umux holds, and types into it', async () => {
    await world.startByHand('relo', ['con0=fd:0,fd:1']);
    await waitUntil('relo running', async () => ((await guest('relo'))?.state === 'running' ? true : undefined), 30_000);
    const r = await world.ok(['restart', 'relo', '--force']);
    expect(r).toMatch(/^relo: restarted from its recorded command line, pid \d+\n$/);
    const pid = (await guest('relo'))!.pid!;
    expect(fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0')).toContain('con0=pts');
    await waitUntil('relo:con0 held', async () => ((await guest('relo'))?.consoles.find((c) => c.name === 'con0')?.status === 'held' ? true : undefined), 30_000);
    const s = await world.session();
    try {
      const stream = await s.attach('relo', 'con0', { readOnly: false });
      let seen = '';
      stream.onData((b) => (seen += Buffer.from(b).toString('latin1')));
      await waitUntil('the echo on the relaunched con0', async () => {
        stream.write(new TextEncoder().encode('echo relo-$((6*7))\r'));
        await new Promise((res) => setTimeout(res, 700));
        return seen.includes('relo-42') ? true : undefined;
      }, 30_000);
    } finally {
      s.dispose();
    }
    expect(await world.ok(['events', 'relo'])).toContain('con0 now on pts lines umux holds');
    // Two boots: the one umux found (stopped for the restart), then the relaunch, marked in con0's log once held.
    expect((await boots('relo')).map((b) => [b.how, b.end?.kind ?? null, b.consoles])).toEqual([
      ['adopted', 'stopped', []],
      ['relaunch', null, ['con0']],
    ]);
    const current = await world.ok(['log', 'relo', '--boot', '0', '-n', '1000']);
    expect(current).toMatch(/^\[umux \S+\] boot: started by relaunch \(pid \d+\); previous boot: stopped by umux/);
    expect(current).toContain('relo-42');
  });

  it('calls a relaunched guest that panics crashed, never stale on the way', async () => {
    await world.startByHand('pani', ['con0=fd:0,fd:1'], { root: { commands: ['sleep 6'], panic: true } });
    await waitUntil('pani gone', async () => (['stale', 'crashed'].includes((await guest('pani'))?.state ?? '') ? true : undefined), 60_000);
    const before = (await world.ok(['events', 'pani'])).split('\n').length;
    await world.ok(['restart', 'pani']);
    await waitUntil('pani crashed again', async () => {
      const after = (await world.ok(['events', 'pani'])).split('\n').slice(before - 1).join('\n');
      return /-> (crashed|stale)/.test(after) ? after : undefined;
    }, 60_000).then((after) => {
      expect(after).toMatch(/-> crashed: kernel panic/);
      expect(after).not.toMatch(/-> stale/);
    });
    // umux is the relaunched guest's parent: its SIGABRT says panic.
    expect((await boots('pani')).at(-1)).toMatchObject({ how: 'relaunch', end: { kind: 'panic' } });
  });

  it('keeps a guest\'s uptime and console across a server restart, and the restarted server types into it', async () => {
    world.define('lostg', 'consoles = 0\nserials = 0\n');
    await world.ok(['start', 'lostg']);
    await new Promise((r) => setTimeout(r, 2500));
    process.kill(world.serverPid()!, 'SIGKILL');
    await waitUntil('server gone', () => (world.serverPid() === undefined ? true : undefined));
    const g = await waitUntil('lostg re-adopted', async () => {
      const x = await guest('lostg');
      return x?.state === 'running' ? x : undefined;
    });
    expect(g.uptimeMs).toBeGreaterThan(2000);
    await world.ok(['send', 'lostg', 'echo hi-$((40+2))']);
    await waitUntil('the echo after the restart', () => (world.logText('lostg').includes('hi-42') ? true : undefined));
    const hand = await guest('ttyg');
    expect(hand?.uptimeMs ?? 0).toBeGreaterThan(2000);
    // The new server goes on with the boot the first one began.
    expect((await boots('lostg')).map((b) => [b.how, b.end])).toEqual([['umux start', null]]);
    await world.ok(['stop', '--force', 'lostg']);
    expect((await boots('lostg')).map((b) => [b.how, b.end?.kind])).toEqual([['umux start', 'stopped']]);
  });

  it('explains a device slot that is taken, not a busy device', async () => {
    const disk = path.join(world.dir, 'slot.img');
    fs.writeFileSync(disk, '');
    fs.truncateSync(disk, 1024 * 1024);
    await world.ok(['config', 'relo', `ubdb=${disk}`]);
    const again = await world.umux(['config', 'relo', `ubdb=${disk}`]);
    expect(again.code).not.toBe(0);
    expect(again.stderr.toString()).toMatch(/already configured/i);
    expect(again.stderr.toString()).toContain('ubdb is in use already');
    expect(again.stderr.toString()).not.toMatch(/unmount/i);
  });
});
