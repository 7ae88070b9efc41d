// `umux log --times` against real guests: every line the server received has the time it came (boot lines too),
// the log file stays as the guest wrote it, a follow stamps new lines, a guest restart keeps the times, and after a
// kill -9 of the server lines it cannot know show `--` unless the guest logs with log_timestamps = true.

import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatLineTime, type LogTimesReply } from '../../src/protocol/log-times.js';
import { umlSkip } from '../helpers/uml.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';

const PREFIX = /^(\d\d:\d\d:\d\d\.\d{3}|-- {10}) /;
const ISO_PREFIX = /^\[\d{4}-\d\d-\d\dT[\d:.]+Z\] /m;

describe.skipIf(umlSkip())('umux log --times with real guests', () => {
  let world: UmuxWorld;
  let bootedFrom = 0;
  let echoedAt = 0;
  const children: ChildProcess[] = [];

  const timedLog = async (target: string, lines = 5000): Promise<LogTimesReply['lines']> => {
    const s = await world.session();
    try {
      const reply = await s.request(['log', target, '--lines', String(lines), '--times']);
      return (reply.data as LogTimesReply).lines;
    } finally {
      s.dispose();
    }
  };
  const lineWith = (lines: LogTimesReply['lines'], text: string) => lines.find((l) => l.text === text);

  beforeAll(() => {
    world = new UmuxWorld();
    world.define('lt1', 'consoles = 0\nserials = 0\n');
    world.define('lt2', 'consoles = 0\nserials = 0\nlog_timestamps = true\n');
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await world.dispose();
  });

  it('times every line the server received, boot lines included, and leaves the log file unstamped', async () => {
    bootedFrom = Date.now();
    await world.ok(['start', 'lt1']);
    await world.waitForShell('lt1');
    echoedAt = Date.now();
    await world.ok(['send', 'lt1', 'echo marker-$((6*7))']);
    await waitUntil('the echo in the log', () => world.logText('lt1').includes('marker-42\r\n') || undefined);

    const lines = await timedLog('lt1:con0');
    const done = Date.now();
    expect(lines.length).toBeGreaterThan(20);
    const boot = lines.find((l) => l.text.startsWith('INIT: up'));
    const marker = lineWith(lines, 'marker-42');
    expect(boot?.at, 'a boot line has a time').toBeTypeOf('string');
    expect(marker?.at, 'the echoed line has a time').toBeTypeOf('string');
    for (const l of lines) {
      expect(l.at, `every line came while this server held the console: ${JSON.stringify(l.text)}`).not.toBeNull();
      const at = Date.parse(l.at!);
      expect(at).toBeGreaterThanOrEqual(bootedFrom);
      expect(at).toBeLessThanOrEqual(done);
      expect(l.text).not.toMatch(/\n|\r$/);
    }
    const ats = lines.map((l) => Date.parse(l.at!));
    expect(ats).toEqual([...ats].sort((a, b) => a - b));
    expect(Date.parse(marker!.at!)).toBeGreaterThanOrEqual(echoedAt);
    expect(Date.parse(boot!.at!)).toBeLessThan(echoedAt);
    expect(world.logText('lt1')).not.toMatch(ISO_PREFIX);

    // The CLI prints the same lines with the local time before each.
    const out = await world.ok(['log', 'lt1:con0', '--times', '-n', '3']);
    const printed = out.split('\n').filter((l) => l !== '');
    expect(printed).toHaveLength(3);
    for (const l of printed) expect(l).toMatch(PREFIX);
    expect(printed).toContain(`${formatLineTime(Date.parse(marker!.at!))} marker-42`);
    // Without --times, the log is what the guest wrote.
    expect(await world.ok(['log', 'lt1', '-n', '3'])).toContain('marker-42\r\n');
  });

  it('follows with times: the tail with its times, then new lines stamped as they come', async () => {
    const child = spawn(process.execPath, [UMUX_BIN, 'log', 'lt1', '--follow', '--times', '-n', '2'], { env: world.env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    child.stdout!.on('data', (b: Buffer) => (out += b.toString('utf8')));
    await waitUntil('the followed tail', () => (out.split('\n').length >= 2 ? true : undefined));
    const sentAt = Date.now();
    await world.ok(['send', 'lt1', 'echo follow-$((5*5))']);
    const line = await waitUntil('the followed echo', () => out.split('\n').find((l) => /^\S+ follow-25\r?$/.test(l)));
    child.kill('SIGINT');
    const stamp = line.slice(0, 12);
    // The stamp is the time the server read the line: after we sent it, within a few seconds.
    const [h, m, s] = stamp.split(':').map(Number);
    const seconds = (h! * 3600 + m! * 60 + s!) * 1000;
    const sent = new Date(sentAt);
    const sentOfDay = (sent.getHours() * 3600 + sent.getMinutes() * 60 + sent.getSeconds()) * 1000 + sent.getMilliseconds();
    const delta = (seconds - sentOfDay + 86_400_000) % 86_400_000;
    expect(delta, `stamp ${stamp} vs sent ${formatLineTime(sentAt)}`).toBeLessThan(5000);
    // The tail came first, with prefixes on every line.
    const printed = out.split('\n').filter((l) => l !== '');
    for (const l of printed) expect(l).toMatch(PREFIX);
  });

  it('keeps the times of the last run across a guest restart', async () => {
    const before = await timedLog('lt1:con0');
    const markerAt = lineWith(before, 'marker-42')!.at;
    await world.ok(['restart', 'lt1']);
    // The run restart started begins at its boot marker. Before it, the stop's Ctrl-Alt-Del may boot the kernel
    // again in its own process (a boot marked "started by reboot", with its own INIT: up) that the stop's halt then
    // ends, sometimes before its prompt: CI saw a wait for the prompt after the second INIT: up time out so.
    const restarted = () => world.logText('lt1').split('] boot: started by umux restart')[1] ?? '';
    await waitUntil('the restarted run\'s prompt', () => (/INIT: up[\s\S]*\/ # /.test(restarted()) ? true : undefined)).catch(async (err: Error) => {
      const events = await world.ok(['events', 'lt1']).catch((e: Error) => e.message);
      throw new Error(`${err.message}; after the restart's marker: ${JSON.stringify(restarted().slice(-600))}; events:\n${events}`);
    });
    await world.ok(['send', 'lt1', 'echo second-$((2+2))']);
    await waitUntil('the echo in the log', () => world.logText('lt1').includes('second-4\r\n') || undefined);
    const after = await timedLog('lt1:con0');
    expect(lineWith(after, 'marker-42')?.at).toBe(markerAt);
    expect(Date.parse(lineWith(after, 'second-4')!.at!)).toBeGreaterThan(Date.parse(markerAt!));
    expect(after.every((l) => l.at !== null)).toBe(true);
  });

  it('after a kill -9 of the server: -- for what it cannot know, the file\'s own times with log_timestamps', async () => {
    await world.ok(['start', 'lt2']);
    await world.waitForShell('lt2');
    await world.ok(['send', 'lt2', 'echo stamped-$((3*3))']);
    await waitUntil('the echo in the log', () => world.logText('lt2').includes('stamped-9\r\n') || undefined);
    expect(world.logText('lt2')).toMatch(ISO_PREFIX);
    const live = await timedLog('lt2:con0');
    const stampedAt = lineWith(live, 'stamped-9')?.at;
    expect(stampedAt).toBeTypeOf('string');
    expect(live.some((l) => ISO_PREFIX.test(l.text))).toBe(false);

    // The server records its commit point (what the keeper may drop) within 10 ms of an append (kept-stream.ts):
    // output of the last 10 ms before a kill -9 comes again from the keeper and is logged with the new server's time.
    // Past that window, the file's times are the first server's.
    await new Promise((r) => setTimeout(r, 200));
    process.kill(world.serverPid()!, 'SIGKILL');
    await waitUntil('the server gone', () => (world.serverPid() === undefined ? true : undefined));
    await world.ok(['ls']); // a new server, which takes both guests' consoles back from the keeper
    await world.ok(['send', 'lt1', 'echo after-$((2*2))']);
    await waitUntil('the echo through the new server', () => world.logText('lt1').includes('after-4\r\n') || undefined);

    const plain = await timedLog('lt1:con0');
    expect(lineWith(plain, 'marker-42')).toEqual({ at: null, text: 'marker-42' });
    expect(lineWith(plain, 'after-4')?.at, 'a line the new server read has its time').toBeTypeOf('string');
    const out = await world.ok(['log', 'lt1', '-t', '-n', '5000']);
    expect(out).toContain(`${'--'.padEnd(12)} marker-42\n`);

    const stamped = await timedLog('lt2:con0');
    expect(lineWith(stamped, 'stamped-9')?.at).toBe(stampedAt);
    expect(stamped.some((l) => ISO_PREFIX.test(l.text))).toBe(false);
  });
});
