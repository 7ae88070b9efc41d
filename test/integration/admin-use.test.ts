// Defects an admin met on real guests (issue 13): the harddog's real uml_watchdog heard on the notify socket and
// undecodable datagrams logged, console logs rotated at line ends with a configurable number kept, a daemon
// network device refused while its control socket is missing, progress during a backup, and --json everywhere.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DgramSocket } from '../../src/mconsole/dgram-socket.js';
import type { ProgressWire } from '../../src/protocol/progress.js';
import { runTool, UMUX_BIN } from '../helpers/run-tool.js';
import { umlSkip } from '../helpers/uml.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';

const WATCHDOG = '/usr/bin/uml_watchdog';
const SWITCH = '/usr/bin/uml_switch';

/** Kills a helper process this test started, by its pid, and waits for it. */
async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await gone;
}

describe.skipIf(umlSkip())('an admin using umux on real guests', { timeout: 90_000 }, () => {
  let world: UmuxWorld;

  beforeAll(async () => {
    world = new UmuxWorld();
    world.define('adm1', 'consoles = 0\nserials = 0\nlog_max_bytes = "4K"\nlog_keep = 5\nlog_timestamps = true\n');
    await world.ok(['start', 'adm1']);
    await world.waitForShell('adm1', 90_000);
  }, 120_000);
  afterAll(async () => {
    await world.dispose();
  });

  it("hears the hang notification of the real uml_watchdog, started as the harddog starts it, and logs what it cannot decode", async () => {
    const notify = path.join(world.umlDir, 'adm1.notify');
    expect(fs.statSync(notify).isSocket()).toBe(true);
    // arch/um/drivers/harddog_user.c: uml_watchdog -mconsole SOCKET, pinged through a pipe on its stdin; it answers
    // one byte on stdout when ready, and notifies when 60 s pass without a ping (its SIGALRM, sent here at once).
    const dog = spawn(WATCHDOG, ['-mconsole', notify], { stdio: ['pipe', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        dog.stdout!.once('data', () => resolve());
        dog.once('error', reject);
      });
      dog.stdin!.write('x');
      await new Promise((r) => setTimeout(r, 200));
      dog.kill('SIGALRM');
      await waitUntil('the hang event', async () => ((await world.ok(['events', 'adm1'])).includes('hang notification (watchdog)') ? true : undefined), 10_000);
    } finally {
      await stopChild(dog);
    }
    const sender = DgramSocket.bind(path.join(world.dir, 'sender.sock'));
    try {
      await sender.send(Uint8Array.from([0xbe, 0xba, 0xfe]), notify);
    } finally {
      sender.dispose();
    }
    const events = await waitUntil('the garbage event', async () => {
      const text = await world.ok(['events', 'adm1']);
      return text.includes('undecodable') ? text : undefined;
    });
    expect(events).toContain('notify socket: undecodable datagram (3 bytes: be ba fe): notification of 3 bytes is shorter than its 16-byte header');
  });

  it('rotates console logs at line ends and keeps log_keep old files', async () => {
    const logs = path.join(world.stateDir, 'logs', 'adm1');
    await world.ok(['send', 'adm1', 'seq 100000 103000']);
    // con0.log is missing for a moment while it rotates (renamed to .1, then made again): that is no answer yet.
    const current = () => {
      try {
        return world.logText('adm1');
      } catch {
        return '';
      }
    };
    await waitUntil('.6 rotations', () => (fs.existsSync(path.join(logs, 'con0.log.5')) && current().includes('103000') ? true : undefined), 30_000);
    const files = fs.readdirSync(logs).sort();
    // .con0.kept: the commit point of the keeper's console (log-commit.ts), one 64-byte record; boots: the boot
    // records (boot-book-file.ts), which rotation leaves alone.
    expect(files).toEqual(['.con0.kept', 'boots', 'con0.log', 'con0.log.1', 'con0.log.2', 'con0.log.3', 'con0.log.4', 'con0.log.5']);
    for (const f of files.filter((x) => /^con0\.log\.\d+$/.test(x))) {
      const text = fs.readFileSync(path.join(logs, f), 'latin1');
      expect(text.length, f).toBeLessThanOrEqual(4096);
      // Every line whole, each with its time: the file begins at a line start and ends at a line end.
      expect(text, f).toMatch(/^(\[\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\] [^\n]*\n)+$/);
    }
  });

  it("refuses a daemon network device whose control socket is missing or no socket, and takes uml_switch's", async () => {
    const missing = await world.umux(['config', 'adm1', 'eth2=daemon,,unix,/nonexistent.ctl']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.toString()).toContain("hot-plug: expected an existing control socket (uml_switch's), got /nonexistent.ctl (ENOENT)");
    expect(missing.stderr.toString()).toContain('hint: start the switch first: uml_switch -unix /nonexistent.ctl');
    const plain = path.join(world.dir, 'plain.ctl');
    fs.writeFileSync(plain, '');
    const notSocket = await world.umux(['config', 'adm1', `eth2=daemon,,unix,${plain}`]);
    expect(notSocket.code).toBe(2);
    expect(notSocket.stderr.toString()).toContain(`expected a unix socket (uml_switch's control socket), got ${plain} (not a socket)`);
    expect(await world.ok(['events', 'adm1'])).not.toContain('eth2');

    const ctl = path.join(world.dir, 'switch.ctl');
    const sw = spawn(SWITCH, ['-unix', ctl], { stdio: ['pipe', 'ignore', 'ignore'] });
    try {
      await waitUntil('uml_switch listening', () => (fs.existsSync(ctl) ? true : undefined));
      const ok = await world.umux(['config', 'adm1', `eth2=daemon,,unix,${ctl}`]);
      expect(ok.stderr.toString()).not.toContain('control socket');
    } finally {
      await stopChild(sw);
    }
  });

  it('gives events, log, send, mc, mconsole and the recovery commands one JSON document each, and errors as JSON', async () => {
    const events = JSON.parse(await world.ok(['events', '--json', 'adm1'])) as Array<{ at: string; text: string }>;
    expect(events.some((e) => e.text.includes('booted'))).toBe(true);
    const sent = JSON.parse(await world.ok(['send', '--json', 'adm1', 'echo json-$((6*7))'])) as { bytes: number };
    expect(sent).toEqual({ bytes: 19 });
    const log = await waitUntil('the echo in log --json', async () => {
      const doc = JSON.parse(await world.ok(['log', '--json', '-n', '5', 'adm1'])) as { guest: string; console: string; lines: Array<{ at: string | null; text: string }> };
      return doc.lines.some((l) => l.text === 'json-42') ? doc : undefined;
    });
    expect(log).toMatchObject({ guest: 'adm1', console: 'con0' });
    const mc = JSON.parse(await world.ok(['mc', '--json', 'adm1', 'version'])) as { text: string };
    expect(mc.text).toMatch(/^Linux \S+ \d/);
    const mconsole = JSON.parse(await world.ok(['mconsole', '--json', '--uml-dir', world.umlDir, 'adm1', 'version'])) as { reply: string };
    expect(mconsole.reply).toMatch(/^OK Linux \S+ \d/);
    const paused = JSON.parse(await world.ok(['pause', '--json', 'adm1'])) as object;
    expect(paused).toBeTypeOf('object');
    await world.ok(['go', '--json', 'adm1']);

    const missing = await world.umux(['events', '--json', 'nosuch']);
    expect(missing.code).toBe(3);
    expect(missing.stdout.toString()).toBe('');
    expect(JSON.parse(missing.stderr.toString())).toMatchObject({ error: { code: 'no-such-guest', message: expect.stringContaining('nosuch') as string }, exit: 3 });
    const refused = await world.umux(['halt', '--json', 'adm1']);
    expect(refused.code).toBe(2);
    expect(JSON.parse(refused.stderr.toString())).toMatchObject({ error: { code: 'usage', hint: 'umux halt --json adm1 --yes' }, exit: 2 });
    const session = await world.umux(['attach', '--json', 'adm1']);
    expect(JSON.parse(session.stderr.toString())).toMatchObject({ error: { message: 'attach: an interactive session has no JSON form' }, exit: 2 });
  });

  it('sends backup progress on the wire at most every 250 ms, draws it in place on a terminal, and adds nothing when piped', async () => {
    const disk = path.join(world.dir, 'data.img');
    const fd = fs.openSync(disk, 'w');
    for (let i = 0; i < 24; i++) fs.writeSync(fd, randomBytes(8 * 1024 * 1024)); // 192 MiB that cp cannot skip
    fs.closeSync(fd);
    const size = fs.statSync(disk).size;
    await world.ok(['config', 'adm1', `ubdb=${disk}`]);

    const s = await world.session();
    const seen: Array<{ at: number; p: ProgressWire }> = [];
    const t0 = Date.now();
    try {
      await s.request(['backup', 'adm1', '--to', path.join(world.dir, 'bk1')], undefined, (p) => seen.push({ at: Date.now(), p }));
    } finally {
      s.dispose();
    }
    const took = Date.now() - t0;
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[0]!.p).toMatchObject({ what: 'backup ubdb', done: 0, total: size });
    expect(seen.at(-1)!.p).toMatchObject({ what: 'backup of adm1', done: size, total: size });
    for (const { p } of seen) expect(p.pausedMs).toBeGreaterThanOrEqual(0);
    for (let i = 1; i < seen.length; i++) {
      expect(seen[i]!.p.done).toBeGreaterThanOrEqual(seen[i - 1]!.p.done);
      expect(seen[i]!.p.pausedMs!).toBeGreaterThanOrEqual(seen[i - 1]!.p.pausedMs!);
    }
    // The bound: the timer's 250 ms ticks, plus the start and the end.
    expect(seen.length).toBeLessThanOrEqual(Math.floor(took / 250) + 3);
    expect(fs.statSync(path.join(world.dir, 'bk1', `ubdb-data.img`)).size).toBe(size);

    const piped = await world.umux(['backup', 'adm1', '--to', path.join(world.dir, 'bk2')]);
    expect(piped.code).toBe(0);
    expect(piped.stdout.toString()).toBe(`adm1: backup into ${path.join(world.dir, 'bk2')}\n  ubdb: ${disk} -> ${path.join(world.dir, 'bk2')}/ubdb-data.img\n`);
    expect(piped.stderr.toString()).toBe('');

    // On a terminal (script(1) gives the command a pty): the line is drawn in place and cleared before the reply.
    const typescript = path.join(world.dir, 'typescript');
    const cmd = `${process.execPath} ${UMUX_BIN} backup adm1 --to ${path.join(world.dir, 'bk3')}`;
    const onTty = await runTool('/usr/bin/script', ['-qfec', cmd, typescript], { env: world.env, timeoutMs: 120_000 });
    expect(onTty.code).toBe(0);
    const screen = fs.readFileSync(typescript, 'latin1');
    expect(screen).toMatch(/\r\x1b\[Kbackup ubdb: 0 B of 192 MiB \(0%\), [\d.]+ \S+\/s, guest paused \d+ms/);
    expect(screen).toMatch(/\r\x1b\[Kbackup of adm1: 192 MiB of 192 MiB \(100%\)/);
    expect(screen).toMatch(/\r\x1b\[Kadm1: backup into /);
  });
});
