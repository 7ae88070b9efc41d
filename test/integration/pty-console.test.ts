// A managed guest with console_transport = "pty", with real guests: the guest's `stty size` is the size of the client
// that typed last (sent with the wire protocol's resize message), a resize reaches its tty, a read-only client
// never sets it, and a flood through the pty keeps flowing (the stall guard) with nothing lost; UML's winch helpers
// (in sessions of their own) end with the guest, also when a new server adopted it and kills it.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleStream } from '../../src/client/session.js';
import { umlSkip } from '../helpers/uml.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';

const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('latin1');
const enc = (s: string) => new TextEncoder().encode(s);

function collect(stream: ConsoleStream): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  stream.onData((b) => chunks.push(b));
  return chunks;
}

/** Types `stty size` with a fresh marker and resolves with the "ROWS COLS" the guest printed after it. */
async function sttySize(stream: ConsoleStream, seen: Uint8Array[], tag: string): Promise<string> {
  stream.write(enc(`echo ${tag}-$(stty size)-end\r`));
  const m = await waitUntil(`stty size for ${tag}`, () => new RegExp(`${tag}-(\\d+ \\d+)-end\\r`).exec(text(seen)) ?? undefined, 10_000);
  return m[1]!;
}

/**
 * The size the guest's tty reaches after a change: UML takes a new host window size to the guest's tty in its own
 * time (a SIGWINCH on the host side, then an interrupt in the guest), so a command typed at once may still see the
 * old one; asked again until it shows `want` or 10 s pass (the last answer is returned either way).
 */
async function sttySizeBecomes(stream: ConsoleStream, seen: Uint8Array[], tag: string, want: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  let got = '';
  for (let n = 0; Date.now() < deadline; n++) {
    got = await sttySize(stream, seen, `${tag}.${n}`);
    if (got === want) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return got;
}

describe.skipIf(umlSkip())('a managed guest on the pty transport', () => {
  let world: UmuxWorld;

  beforeAll(async () => {
    world = new UmuxWorld({ UMUX_PING_MS: '5000' });
    world.define('pt', 'consoles = 0\nserials = 0\nconsole_transport = "pty"\nlog_max_bytes = "64M"\n', { root: { shell: true, commands: [] } });
    await world.ok(['start', 'pt']);
    await world.waitForShell('pt', 60_000);
  }, 120_000);
  afterAll(async () => {
    await world.ok(['stop', '--force', 'pt']).catch(() => undefined);
    await world.dispose();
  });

  const guestProcesses = (umid: string) =>
    spawnSync('ps', ['-eo', 'pid=,stat=,args='], { encoding: 'utf8' }).stdout.split('\n').filter((l) => l.includes(` umid=${umid} `) && !/^\s*\d+\s+Z/.test(l));

  it('gives the guest the size of the client that typed last, and follows its resizes', async () => {
    const s1 = await world.session();
    const s2 = await world.session();
    const s3 = await world.session();
    try {
      const a = await s1.attach('pt', 'con0', { readOnly: false });
      const seenA = collect(a);
      a.resize(100, 30);
      expect(await sttySizeBecomes(a, seenA, 'a1', '30 100')).toBe('30 100');
      // The server's model (and every client's snapshot) takes the size too.
      await waitUntil('the console model at 100x30', async () => {
        const ls = JSON.parse(await world.ok(['ls', '--json'])) as { guests: Array<{ name: string; consoles: Array<{ transport?: string }> }> };
        return ls.guests.find((g) => g.name === 'pt')?.consoles[0]?.transport === 'pty' ? true : undefined;
      });

      a.resize(132, 43);
      expect(await sttySizeBecomes(a, seenA, 'a2', '43 132')).toBe('43 132');

      // A second writable client with another size: its size wins only once it types.
      const b = await s2.attach('pt', 'con0', { readOnly: false });
      const seenB = collect(b);
      b.resize(90, 20);
      expect(await sttySize(a, seenA, 'a3')).toBe('43 132');
      expect(await sttySizeBecomes(b, seenB, 'b1', '20 90')).toBe('20 90');
      expect(b.snapshot.cols).toBe(132); // it attached while a's size was the console's

      // A read-only client's size is never the console's, and it cannot type.
      const r = await s3.attach('pt', 'con0', { readOnly: true });
      r.resize(40, 10);
      expect(await sttySize(b, seenB, 'b2')).toBe('20 90');

      // Back to a: typing makes its size the console's again.
      expect(await sttySizeBecomes(a, seenA, 'a4', '43 132')).toBe('43 132');
    } finally {
      s1.dispose();
      s2.dispose();
      s3.dispose();
    }
  }, 60_000);

  it('keeps a flood through the pty flowing and complete (stall guard)', async () => {
    const N = 1_000_000; // about 6.9 MB of lines, 7.9 MB on the console
    const root = world.root({ shell: true, commands: [] });
    fs.writeFileSync(path.join(root, 'ptyflood.txt'), Array.from({ length: N }, (_, i) => `${i + 1}\n`).join(''));
    const s = await world.session();
    try {
      // A client watching the flood times the gaps: without the guard the pty stops after 30-160 KB and only the
      // health ping (every 5 s here) lets a little more through (findings §5).
      const watcher = await s.attach('pt', 'con0', { readOnly: true });
      let last = 0;
      let longest = 0;
      let tail = '';
      watcher.onData((b) => {
        const now = Date.now();
        if (last > 0) longest = Math.max(longest, now - last);
        last = now;
        tail = (tail + Buffer.from(b).toString('latin1')).slice(-64);
      });
      await world.ok(['send', 'pt', 'cat /ptyflood.txt; echo pty-flood-$((2+2))-done']);
      await waitUntil('the flood to end', () => (tail.includes('pty-flood-4-done\r') ? true : undefined), 90_000);
      const numbers = world.logText('pt').split('\n').filter((l) => /^\d+\r$/.test(l)).map((l) => Number(l.slice(0, -1)));
      expect(numbers.length).toBe(N);
      expect(numbers[N - 1]).toBe(N);
      expect(longest).toBeLessThan(1500);
    } finally {
      s.dispose();
    }
  }, 120_000);

  it('leaves no process behind when the guest is killed (the winch helpers of UML sit in sessions of their own)', async () => {
    expect(guestProcesses('pt').length).toBeGreaterThan(0);
    await world.ok(['stop', '--force', 'pt']);
    await waitUntil('every process of pt gone', () => (guestProcesses('pt').length === 0 ? true : undefined), 10_000).catch(() => undefined);
    expect(guestProcesses('pt')).toEqual([]);
  }, 60_000);

  it('kills the winch helpers too when a guest taken back after a server crash is killed with kill --hard', async () => {
    if (world.guestPid('pt')) await world.ok(['stop', '--force', 'pt']);
    await world.ok(['start', 'pt']);
    // The winch helper: a process of pt's in a session other than the kernel's.
    const inOtherSession = () =>
      spawnSync('ps', ['-eo', 'pid=,sid=,stat=,args='], { encoding: 'utf8' }).stdout.split('\n')
        .filter((l) => l.includes(' umid=pt ') && !/^\s*\d+\s+\d+\s+Z/.test(l))
        .map((l) => l.trim().split(/\s+/).map(Number))
        .filter(([, sid]) => sid !== world.guestPid('pt'));
    await waitUntil('pt running with its winch helper', () => (world.guestPid('pt') && inOtherSession().length > 0 ? true : undefined), 60_000);
    process.kill(world.serverPid()!, 'SIGKILL');
    await waitUntil('pt taken back by a new server', async () => (/took back running guest pid \d+ from the console keeper/.test(await world.ok(['events', 'pt'])) ? true : undefined), 30_000);
    expect(await world.ok(['kill', '--hard', '--yes', 'pt'])).toMatch(/pt: pid \d+ and its helpers are gone/);
    await waitUntil('every process of pt gone', () => (guestProcesses('pt').length === 0 ? true : undefined), 10_000).catch(() => undefined);
    expect(guestProcesses('pt')).toEqual([]);
  }, 120_000);
});
