// Defects an admin met on real guests (issue 13), each reproduced: a relative disk name in config, mem= as a target
// size, sysrq c answering with the crash it asked for, clean of a directory already gone, events kept across a
// server restart, and a start that over-commits the memory-file filesystem warned about.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { runTool, UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';

interface LsGuest {
  name: string;
  state: string;
  pid: number | null;
}

const MiB = 2 ** 20;

describe.skipIf(umlSkip())('admin defects on real guests', () => {
  let world: UmuxWorld;
  const ls = async (): Promise<LsGuest[]> => (JSON.parse(await world.ok(['ls', '--json'])) as { guests: LsGuest[] }).guests;
  const stateOf = async (name: string) => (await ls()).find((g) => g.name === name)?.state;
  const waitState = (name: string, state: string, timeoutMs = 15_000) => waitUntil(`${name} ${state}`, async () => ((await stateOf(name)) === state ? state : undefined), timeoutMs);

  beforeAll(async () => {
    world = new UmuxWorld({ UMUX_PING_MS: '500', UMUX_PING_TIMEOUT_MS: '1000' });
    // 96M: room to unplug 16M above the 16 MiB umux keeps available (a 64M guest has only 23-30 MiB available).
    world.define('delta', `mem = "96M"\numl_dir = "${world.umlDir}"\nhostfs_root = "${world.root()}"\nconsoles = 0\nserials = 0\n`, { raw: true });
    await world.ok(['start', 'delta']);
    await world.waitForShell('delta', 60_000);
  }, 90_000);
  afterAll(async () => {
    await world.dispose();
  });

  it('config NAME ubdc=disk2.img takes the name relative to the working directory, options anywhere', async () => {
    fs.writeFileSync(path.join(world.dir, 'disk2.img'), Buffer.alloc(4 * MiB));
    fs.writeFileSync(path.join(world.dir, 'disk3.img'), Buffer.alloc(4 * MiB));
    const run = (...args: string[]) => runTool(process.execPath, [UMUX_BIN, ...args], { env: world.env, cwd: world.dir, timeoutMs: 30_000 });
    for (const [args, device, file] of [
      [['config', 'delta', 'ubdc=disk2.img'], 'ubdc', 'disk2.img'],
      [['config', '--yes', 'delta', 'ubdd=./disk3.img'], 'ubdd', 'disk3.img'],
    ] as const) {
      const r = await run(...args);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.toString()).toContain(`config ${device} now: ${path.join(world.dir, file)}`);
    }
  });

  it('config NAME mem=SIZE sets the size against the mem= it booted with', async () => {
    expect(await world.ok(['config', 'delta', 'mem=96M'])).toMatch(/^delta: memory is already 96 MiB; nothing sent$/m);
    expect(await world.ok(['config', 'delta', 'mem=80M'])).toMatch(/^delta: config mem=-16384K: OK$/m);
    expect(await world.ok(['config', 'delta', 'mem=96M'])).toMatch(/^delta: config mem=\+16384K: OK$/m);
    const over = await world.umux(['config', 'delta', 'mem=128M']);
    expect(over.code).not.toBe(0);
    expect(over.stderr).toMatch(/expected at most the boot size 96 MiB of memory, got a request for 128 MiB/);
  });

  it('keeps the events across a server restart', async () => {
    const before = await world.ok(['events', 'delta']);
    expect(before).toMatch(/starting -> running: booted, pid \d+/);
    const lines = fs.readFileSync(path.join(world.stateDir, 'events', 'delta.log'), 'utf8').trim().split('\n').length;
    await world.ok(['kill-server']);
    await waitUntil('the server gone', () => (world.serverPid() === undefined ? true : undefined));
    const after = await world.ok(['events', 'delta']);
    // The old ones, then what the new server added (the re-adoption).
    expect(after.startsWith(before)).toBe(true);
    expect(after).toMatch(/took back running guest pid \d+ from the console keeper/);
    expect(after.trim().split('\n').length).toBeGreaterThanOrEqual(lines);
  });

  it('sysrq --yes NAME c: the guest crashed as asked, exit 0', async () => {
    await world.ok(['restart', 'delta']);
    await world.waitForShell('delta', 60_000);
    const r = await world.umux(['sysrq', '--yes', 'delta', 'c']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(/^delta: sysrq c: the guest crashed as asked/m);
    await waitUntil('delta down', async () => ((await ls()).find((g) => g.name === 'delta')?.pid === null ? true : undefined));
    expect(await world.ok(['events', 'delta'])).toMatch(/sysrq c \(crash the guest \(panic\)\): the guest crashed as asked/);
  });

  it('clean NAME when the umid directory is already gone: says so, forgets the guest', async () => {
    const pid = await world.startByHand('gone1', ['con=null', 'ssl=null', 'con0=fd:0,fd:1']);
    await waitState('gone1', 'running');
    process.kill(pid, 'SIGKILL');
    await waitState('gone1', 'stale');
    fs.rmSync(path.join(world.handDir, 'gone1'), { recursive: true, force: true });
    await new Promise((r) => setTimeout(r, 1500)); // a rescan sees the directory gone
    const r = await world.umux(['clean', 'gone1']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toMatch(/^gone1: \S+gone1 is already gone: nothing to remove/m);
    expect((await ls()).map((g) => g.name)).not.toContain('gone1');
  });
});

const guestState = async (w: UmuxWorld, name: string) =>
  (JSON.parse(await w.ok(['ls', '--json'])) as { guests: LsGuest[] }).guests.find((g) => g.name === name)?.state;

// Mounting a tmpfs needs root: CI runs as root; elsewhere this part skips with the other real-guest tests.
const isRoot = process.getuid?.() === 0;

describe.skipIf(umlSkip() || (!isRoot && process.env['CI'] !== 'true'))('a start that over-commits the memory-file filesystem', () => {
  let world: UmuxWorld;
  let mnt: string;

  beforeAll(() => {
    mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-memfs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64m,mode=1777', 'umux-test-memfiles', mnt]);
    // The server, and so its guests, keep their memory files on the small tmpfs.
    world = new UmuxWorld({ TMPDIR: mnt });
    for (const name of ['small1', 'small2']) {
      world.define(name, `mem = "48M"\numl_dir = "${world.umlDir}"\nhostfs_root = "${world.root()}"\nconsoles = 0\nserials = 0\n`, { raw: true });
    }
  });
  afterAll(async () => {
    await world.dispose();
    execFileSync('umount', ['-l', mnt]);
    fs.rmdirSync(mnt);
  });

  it('starts the first 48M guest on a 64 MiB tmpfs quietly and warns about the second, in the reply and the events', async () => {
    const first = await world.ok(['start', 'small1']);
    expect(first).not.toMatch(/warning/);
    // small1's memory file counts from its start: what it holds so far, and all of its mem= to come.
    expect(await guestState(world, 'small1')).toBe('running');
    const r = await world.umux(['start', 'small2']);
    const said = `${r.stdout.toString()}${r.stderr}`;
    console.log(`umux start small2 (exit ${r.code}):\n${said}`);
    expect(said).toMatch(new RegExp(`warning: small2's mem=48 MiB does not fit on ${mnt} \\(64 MiB tmpfs\\): \\d+(\\.\\d)? \\w+ is left for it .* it dies with SIGBUS when the filesystem fills`));
    expect(await world.ok(['events', 'small2'])).toMatch(/warning: small2's mem=48 MiB does not fit on /);
  }, 120_000);
});
