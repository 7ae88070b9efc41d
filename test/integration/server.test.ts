// The umux server with real guests: several managed guests, consoles shared by clients (one read-only), a client
// killed mid-stream, the server killed and re-adopting its guests, restart on panic, a 20 MB flood kept complete
// in the log, and bad guest definitions that start nothing.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerSession, type ConsoleStream } from '../../src/client/session.js';
import { encodeJsonFrame, FrameDecoder } from '../../src/protocol/wire-framing.js';
import { umlSkip } from '../helpers/uml.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';
import { NEIGHBOUR_RATE } from '../../src/server/read-pacer.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const text = (chunks: Uint8Array[]) => Buffer.concat(chunks).toString('latin1');

function collect(stream: ConsoleStream): { chunks: Uint8Array[]; notices: string[] } {
  const out = { chunks: [] as Uint8Array[], notices: [] as string[] };
  stream.onData((b) => out.chunks.push(b));
  stream.onNotice((n) => out.notices.push(n.text));
  return out;
}

describe.skipIf(umlSkip())('umux server with real guests', () => {
  let world: UmuxWorld;

  beforeAll(() => {
    world = new UmuxWorld();
  });
  afterAll(async () => {
    await world.dispose();
  });

  it('starts three managed guests at once and lists them', async () => {
    for (const name of ['g1', 'g2', 'g3']) world.define(name, 'consoles = 1\n');
    const starts = await Promise.all(['g1', 'g2', 'g3'].map((n) => world.umux(['start', n])));
    for (const r of starts) expect(r.code, r.stderr).toBe(0);
    for (const name of ['g1', 'g2', 'g3']) await world.waitForShell(name);
    const ls = JSON.parse(await world.ok(['ls', '--json'])) as { guests: Array<{ name: string; state: string; pid: number; consoles: Array<{ name: string }> }> };
    expect(ls.guests.map((g) => [g.name, g.state])).toEqual([
      ['g1', 'running'],
      ['g2', 'running'],
      ['g3', 'running'],
    ]);
    for (const g of ls.guests) {
      expect(world.guestPid(g.name)).toBe(g.pid);
      expect(g.consoles.map((c) => c.name)).toEqual(['con0', 'con1', 'ssl0']);
    }
    const table = await world.ok(['ls']);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+STATE\s+KIND\s+OWNER\s+PID\s+MEM\s+CONSOLES\s+CLIENTS\s+UPTIME$/);
    expect(table).toMatch(/^g2\s+running\s+managed\s+\S+\s+\d+\s+64M\s+con0,con1,ssl0\s+0\s+\d+s$/m);
  });

  it('shares a console between a writer and a read-only watcher; both see what the writer typed', async () => {
    const a = await world.session();
    const b = await world.session();
    try {
      const rw = await a.attach('g1', 'con0', { readOnly: false });
      const ro = await b.attach('g1', 'con0', { readOnly: true });
      expect(ro.others.map((c) => c.readOnly)).toEqual([false]);
      const seenRw = collect(rw);
      const seenRo = collect(ro);
      rw.write(new TextEncoder().encode('echo shared-$((20+22))\r'));
      await waitUntil('both clients see the echo', () => text(seenRw.chunks).includes('shared-42') && text(seenRo.chunks).includes('shared-42'));
      ro.write(new TextEncoder().encode('echo sneaky-$((1+1))\r'));
      await waitUntil('a read-only notice', () => seenRo.notices.find((n) => n.startsWith('read-only:')));
      await sleep(300);
      expect(world.logText('g1')).not.toContain('sneaky');
      const ls = JSON.parse(await world.ok(['ls', '--json'])) as { guests: Array<{ name: string; clients: number }> };
      expect(ls.guests.find((g) => g.name === 'g1')!.clients).toBe(2);
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('a client killed mid-stream disturbs neither the guest nor other clients', async () => {
    const watcher = await world.session();
    try {
      const stream = await watcher.attach('g2', 'con0', { readOnly: true });
      const seen = collect(stream);
      const child = spawn(process.execPath, [UMUX_BIN, 'log', '-f', 'g2'], { env: world.env, stdio: ['ignore', 'pipe', 'ignore'] });
      let got = '';
      child.stdout.on('data', (b: Buffer) => (got += b.toString('latin1')));
      await world.ok(['send', 'g2', 'i=0; while [ $i -lt 400 ]; do i=$((i+1)); echo line-$i; done']);
      await waitUntil('the follower to see output', () => got.includes('line-'));
      child.kill('SIGKILL');
      await waitUntil('the watcher to see the loop end', () => text(seen.chunks).includes('line-400'));
      await world.ok(['send', 'g2', 'echo still-$((40+2))']);
      await waitUntil('the guest to answer after the kill', () => text(seen.chunks).includes('still-42'));
    } finally {
      watcher.dispose();
    }
  });

  it('types with umux send and reads it back with umux log', async () => {
    await world.ok(['send', 'g3', 'echo sent-$((7*6))']);
    await waitUntil('the log to show the echo', () => world.logText('g3').includes('sent-42') || undefined);
    const tail = await world.ok(['log', 'g3', '-n', '3']);
    expect(tail).toContain('sent-42');
  });

  it('keeps guests, logs and consoles across a kill -9 of the server: the keeper held them', async () => {
    await world.ok(['send', 'g3', 'echo before-kill-$((3*3))']);
    await waitUntil('the echo in the log', () => world.logText('g3').includes('before-kill-9') || undefined);
    const pids = ['g1', 'g2', 'g3'].map((g) => world.guestPid(g));
    const server = world.serverPid()!;
    process.kill(server, 'SIGKILL');
    await sleep(300);
    for (const pid of pids) expect(pid && fs.existsSync(`/proc/${pid}`)).toBeTruthy();
    const ls = JSON.parse(await world.ok(['ls', '--json'])) as { guests: Array<{ name: string; state: string; pid: number; adopted: boolean; consoles: Array<{ lost: boolean }> }> };
    expect(world.serverPid()).not.toBe(server);
    expect(ls.guests.map((g) => [g.state, g.adopted, g.pid])).toEqual(pids.map((p) => ['running', false, p]));
    expect(ls.guests.every((g) => g.consoles.every((c) => !c.lost))).toBe(true);
    const s = await world.session();
    try {
      const stream = await s.attach('g3', 'con0', { readOnly: false });
      const seen = collect(stream);
      stream.write(new TextEncoder().encode('echo after-kill-$((4*4))\r'));
      await waitUntil('the echo through the new server', () => text(seen.chunks).includes('after-kill-16') || undefined);
    } finally {
      s.dispose();
    }
    const log = world.logText('g3');
    expect(log.match(/before-kill-9/g)?.length).toBe(1); // the output, once (the command line says $((3*3)))
    const events = await world.ok(['events', 'g3']);
    expect(events).toMatch(/took back running guest pid \d+ from the console keeper; consoles con0, con1, ssl0 go on where their logs stand/);
  });

  it('stops a guest through the ladder and says which step ended it', async () => {
    const r = await world.ok(['stop', 'g1']);
    expect(r).toMatch(/^g1: stopped\n {2}cad \(Ctrl-Alt-Del, the clean shutdown\): (guest exited|still running after 1500 ms)\n/);
    expect(world.guestPid('g1')).toBeUndefined();
    const forced = await world.ok(['stop', '--force', 'g2']);
    expect(forced).toBe('g2: stopped\n  SIGKILL to the process group: guest exited\n');
    await world.ok(['stop', 'g3']);
  });

  it('restarts a panicking guest whose policy is on-panic', async () => {
    world.define('pan', 'restart = "on-panic"\nrestart_delay_ms = 300\nconsoles = 0\nserials = 0\n', { root: { commands: ['sleep 2'], panic: true } });
    await world.ok(['start', 'pan']);
    const first = world.guestPid('pan');
    const restarted = await waitUntil(
      'a restart after the panic',
      async () => {
        const ls = JSON.parse(await world.ok(['ls', '--json'])) as { guests: Array<{ name: string; state: string; pid: number | null; restarts: number }> };
        const g = ls.guests.find((x) => x.name === 'pan')!;
        return g.restarts >= 1 && g.state === 'running' && g.pid !== first ? g : undefined;
      },
      20_000,
    );
    expect(restarted.pid).not.toBe(first);
    const events = await world.ok(['events', 'pan']);
    expect(events).toMatch(/panic: Attempted to kill init!/);
    expect(events).toMatch(/running -> crashed: kernel panic/);
    expect(events).toMatch(/restart policy on-panic: restarting in 300 ms/);
    await world.ok(['stop', '--force', 'pan']);
  });

  it('keeps a 20 MB flood complete in the log while a client attaches during it', async () => {
    // The flood file is written on the host, into the guest's hostfs root: a file the guest writes itself is
    // written back for about 10 s, and everything run from hostfs waits for that; seq straight to the console
    // makes one guest syscall per line (about 60k lines/s). cat of a host-written file runs at several MB/s.
    const N = 2_200_000; // about 17 MB; about 19.6 MB on the console once the guest's tty adds \r
    const root = world.root({ shell: true, commands: [] });
    fs.writeFileSync(path.join(root, 'flood.txt'), Array.from({ length: N }, (_, i) => `${i + 1}\n`).join(''));
    world.define('flood', 'consoles = 0\nserials = 0\nscrollback = 2000\nlog_max_bytes = "64M"\n', { root: { shell: true, commands: [] } });
    await world.ok(['start', 'flood']);
    await world.waitForShell('flood');
    const s = await world.session();
    try {
      await world.ok(['send', 'flood', 'cat /flood.txt; echo flood-$((1+1))-done']);
      await waitUntil('the flood to start', () => world.logText('flood').includes('\n100000\r') || undefined, 30_000);
      const stream = await s.attach('flood', 'con0', { readOnly: true });
      const seen = collect(stream);
      // A client that falls behind (this process reads the 20 MB log again and again meanwhile) is sent a fresh
      // snapshot in place of the bytes it missed (console-hub.ts): the end comes in the bytes or in a snapshot.
      const snapshots: string[] = [];
      stream.onSnapshot((snap) => snapshots.push(snap.data));
      await waitUntil('the flood to end', () => world.logText('flood').includes('flood-2-done\r') || undefined, 60_000);
      const log = world.logText('flood');
      const numbers = log.split('\n').filter((l) => /^\d+\r?$/.test(l)).map((l) => Number(l));
      expect(numbers.length).toBe(N);
      expect(numbers[0]).toBe(1);
      expect(numbers[N - 1]).toBe(N);
      expect(stream.snapshot.data.length).toBeGreaterThan(0);
      const sawEnd = () => text(seen.chunks.slice(-50)).includes('flood-2-done') || (snapshots.at(-1)?.includes('flood-2-done') ?? false);
      await waitUntil('the client to see the end', () => sawEnd() || undefined, 30_000);
    } finally {
      s.dispose();
      await world.ok(['stop', '--force', 'flood']);
    }
  }, 120_000);

  it('reads a flooding neighbour at a capped rate while a client types into another guest, and loses none of it', async () => {
    const N = 500_000; // 40 MB: 80-byte lines, as a log
    const rootOpts = { shell: true, commands: [] as string[] };
    const root = world.root(rootOpts);
    const pad = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(2);
    fs.writeFileSync(path.join(root, 'nb.txt'), Array.from({ length: N }, (_, i) => `${String(i + 1).padStart(9, '0')} ${pad}\n`).join(''));
    for (const n of ['nb', 'typist']) world.define(n, 'consoles = 0\nserials = 0\nlog_max_bytes = "64M"\n', { root: rootOpts });
    await Promise.all(['nb', 'typist'].map((n) => world.ok(['start', n])));
    for (const n of ['nb', 'typist']) await world.waitForShell(n);
    const logSize = () => fs.statSync(path.join(world.stateDir, 'logs', 'nb', 'con0.log')).size;
    const s = await world.session();
    try {
      const typist = await s.attach('typist', 'con0', { readOnly: false });
      const seen = collect(typist);
      await world.ok(['send', 'nb', 'cat /nb.txt; echo nb-$((1+1))-done']);
      await waitUntil('the flood to start', () => world.logText('nb').includes('\n000010000 ') || undefined, 30_000);
      // Keys into the typist every 50 ms for 1.5 s: the neighbour is read at NEIGHBOUR_RATE meanwhile (uncapped it
      // runs at 15-30 MB/s here, and would be through in well under a second).
      typist.write(new TextEncoder().encode('#'));
      await sleep(200);
      const b0 = logSize();
      const t0 = performance.now();
      for (let i = 0; i < 30; i++) {
        typist.write(new TextEncoder().encode('K'));
        await sleep(50);
      }
      const rate = (logSize() - b0) / ((performance.now() - t0) / 1000);
      expect(rate).toBeLessThan(NEIGHBOUR_RATE * 1.25);
      expect(text(seen.chunks)).toContain('#' + 'K'.repeat(30));
      // Typing stopped: the rest comes at full speed, every line once and in order.
      await waitUntil('the flood to end', () => world.logText('nb').includes('nb-2-done\r') || undefined, 60_000);
      const numbers = world.logText('nb').split('\n').filter((l) => /^\d{9} [a-z0-9]{72}\r?$/.test(l)).map((l) => Number(l.slice(0, 9)));
      expect(numbers.length).toBe(N);
      expect(numbers.every((v, i) => v === i + 1)).toBe(true);
    } finally {
      s.dispose();
      await world.ok(['stop', '--force', 'nb']);
      await world.ok(['stop', '--force', 'typist']);
    }
  }, 120_000);
});

describe.skipIf(umlSkip())('a client that stops reading', () => {
  it('is given a fresh snapshot instead of an unbounded queue, and the guest never waits for it', async () => {
    const world = new UmuxWorld();
    try {
      const N = 1_000_000; // about 6.9 MB of lines
      const root = world.root({ shell: true, commands: [] });
      fs.writeFileSync(path.join(root, 'lag.txt'), Array.from({ length: N }, (_, i) => `${i + 1}\n`).join(''));
      world.define('lag', 'consoles = 0\nserials = 0\nlog_max_bytes = "64M"\n', { root: { shell: true, commands: [] } });
      await world.ok(['start', 'lag']);
      await world.waitForShell('lag');
      // A raw client: hello, attach, then it stops reading its socket.
      const sock = net.createConnection(path.join(world.socketDir, 'server.sock'));
      await new Promise((r) => sock.once('connect', r));
      sock.write(encodeJsonFrame({ t: 'hello', version: 1, pid: process.pid, user: 'lagger', program: 'test' }));
      sock.write(encodeJsonFrame({ t: 'attach', id: 1, guest: 'lag', console: 'con0', readOnly: true }));
      await sleep(300);
      sock.pause();
      const t0 = Date.now();
      await world.ok(['send', 'lag', 'cat /lag.txt; echo lag-$((1+1))-done']);
      await waitUntil('the guest to finish while the client sleeps', () => world.logText('lag').includes('lag-2-done\r') || undefined, 60_000);
      const guestMs = Date.now() - t0;
      // Now the client reads what was kept for it.
      const dec = new FrameDecoder();
      const kinds: string[] = [];
      let dataBytes = 0;
      let lastSnapshot = '';
      let after = '';
      sock.on('data', (b: Buffer) => {
        for (const f of dec.push(new Uint8Array(b))) {
          if (f.kind === 'data') {
            dataBytes += f.bytes.length;
            after = (after + Buffer.from(f.bytes).toString('latin1')).slice(-200);
          } else {
            const m = f.value as { t: string; snapshot?: { data: string } };
            kinds.push(m.t);
            if (m.t === 'snapshot') {
              lastSnapshot = m.snapshot!.data;
              after = '';
            }
          }
        }
      });
      sock.resume();
      await waitUntil('the client to catch up', () => ((lastSnapshot + after).includes('lag-2-done') ? true : undefined), 30_000);
      sock.destroy();
      expect(kinds.slice(0, 2)).toEqual(['welcome', 'attached']);
      expect(kinds).toContain('snapshot');
      // It got far less than the guest printed: the backlog was dropped for a snapshot, not queued.
      expect(dataBytes).toBeLessThan(N * 7 * 0.8);
      expect(guestMs).toBeLessThan(30_000);
      const numbers = world.logText('lag').split('\n').filter((l) => /^\d+\r?$/.test(l));
      expect(numbers.length).toBe(N);
    } finally {
      await world.dispose();
    }
  }, 120_000);
});

describe.skipIf(umlSkip())('bad guest definitions', () => {
  let world: UmuxWorld;
  beforeAll(() => {
    world = new UmuxWorld();
  });
  afterAll(async () => {
    await world.dispose();
  });

  it('explain themselves in one line each and start nothing', async () => {
    world.define('nokernel', 'kernel = "/nonexistent/linux"\n');
    world.define('dup1', 'umid = "same"\n');
    world.define('dup2', 'umid = "same"\n');
    world.define('unknown', 'memory = "64M"\n', { raw: true });
    world.define('wrongtype', 'consoles = "two"\n', { raw: true });
    const cases: Array<[string, RegExp]> = [
      ['nokernel', /^umux: cannot start \/nonexistent\/linux|^umux: .*\/nonexistent\/linux/],
      ['dup2', /^umux: dup2\.toml: umid: expected a umid of its own, got "same" \(dup1\.toml has it in /],
      ['unknown', /^umux: unknown\.toml: memory: unknown key \(did you mean mem\?\)/],
      ['wrongtype', /^umux: wrongtype\.toml: consoles: expected a whole number from 0 to 15, got "two" \(string\)/],
    ];
    for (const [name, message] of cases) {
      const r = await world.umux(['start', name]);
      expect(r.code, name).not.toBe(0);
      expect(r.stderr.split('\n')[0], name).toMatch(message);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    }
    expect(fs.existsSync(world.umlDir) ? fs.readdirSync(world.umlDir).filter((f) => !f.endsWith('.notify')) : []).toEqual([]);
    const ls = await world.ok(['ls']);
    expect(ls).toMatch(/^problem: dup2\.toml: umid:/m);
    expect(ls).toMatch(/^problem: unknown\.toml: memory: unknown key/m);
  });
});

describe('server and client protocol', () => {
  it('two clients starting the server at once make exactly one server', async () => {
    const world = new UmuxWorld();
    try {
      const [a, b] = await Promise.all([world.umux(['ls']), world.umux(['ls'])]);
      expect([a.code, b.code]).toEqual([0, 0]);
      const pid = world.serverPid()!;
      expect(pid).toBeGreaterThan(0);
      const servers = () =>
        fs
          .readdirSync('/proc')
          .filter((p) => /^\d+$/.test(p))
          .filter((p) => {
            try {
              const cmd = fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0');
              const env = fs.readFileSync(`/proc/${p}/environ`, 'utf8');
              const state = fs.readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]?.[0];
              return cmd.includes('server') && env.includes(`UMUX_SOCKET_DIR=${world.socketDir}\0`) && state !== 'Z';
            } catch {
              return false;
            }
          })
          .map(Number);
      // The second client may have started a server too: it finds the lock taken and exits by itself.
      await waitUntil('one server left', () => (servers().length === 1 ? true : undefined), 5000);
      expect(servers()).toEqual([pid]);
      expect((fs.statSync(world.socketDir).mode & 0o777).toString(8)).toBe('700');
      const r = await world.umux(['kill-server']);
      expect(r.stdout.toString()).toBe('umux server stopping; guests keep running\n');
      await waitUntil('the server to exit', () => (world.serverPid() === undefined ? true : undefined));
    } finally {
      await world.dispose();
    }
  });

  it('says so in one line when client and server speak different protocol versions', async () => {
    const dir = fs.mkdtempSync('/tmp/umx-v-');
    const sock = path.join(dir, 'server.sock');
    const fake = net.createServer((c) => {
      const dec = new FrameDecoder();
      c.on('data', (b) => {
        for (const f of dec.push(new Uint8Array(b))) {
          if (f.kind === 'json') c.write(encodeJsonFrame({ t: 'welcome', version: 99, serverPid: 1, serverVersion: '9.9', clientId: 1 }));
        }
      });
    });
    await new Promise<void>((r) => fake.listen(sock, r));
    try {
      await expect(ServerSession.connect({ env: { ...process.env, UMUX_SOCKET_DIR: dir }, autostart: false })).rejects.toThrow(
        'umux server speaks protocol 99, this client speaks 1',
      );
    } finally {
      fake.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(umlSkip())('autostart and host users', () => {
  it('autostarts once per host boot: a server started again leaves a guest the admin stopped stopped', async () => {
    const world = new UmuxWorld({ UMUX_AUTOSTART_DELAY_MS: '100' });
    try {
      world.define('auto1', 'autostart = true\nconsoles = 0\nserials = 0\n');
      await world.ok(['ls']); // starts the server, which autostarts auto1
      await waitUntil('auto1 running', async () => (/^auto1\s+running/m.test(await world.ok(['ls'])) ? true : undefined), 30_000);
      await world.ok(['stop', 'auto1']);
      const pid = world.serverPid()!;
      process.kill(pid, 'SIGKILL');
      await waitUntil('the old server gone', () => (world.serverPid() !== pid ? true : undefined), 10_000).catch(() => undefined);
      await world.ok(['ls']); // a new server, on the same boot
      await new Promise((r) => setTimeout(r, 2500));
      expect(await world.ok(['ls'])).toMatch(/^auto1\s+stopped/m);
      expect((await world.ok(['events', 'auto1'])).match(/stopped -> starting/g)).toHaveLength(1); // the first server's
      expect(fs.readFileSync(path.join(world.stateDir, 'server.log'), 'utf8')).toMatch(/autostart already ran on this host boot/);
    } finally {
      await world.dispose();
    }
  });

  it('autostarts guests one at a time, server.toml\'s delay apart, none the nostart file names', async () => {
    const world = new UmuxWorld();
    try {
      fs.writeFileSync(path.join(world.configDir, 'server.toml'), 'autostart_delay_ms = 700\n');
      fs.writeFileSync(path.join(world.configDir, 'nostart'), 'held # not at boot\n');
      world.define('a1', 'autostart = true\nconsoles = 0\nserials = 0\n');
      world.define('a2', 'autostart = true\nconsoles = 0\nserials = 0\n');
      world.define('held', 'autostart = true\nconsoles = 0\nserials = 0\n');
      world.define('manual', 'consoles = 0\nserials = 0\n');
      await world.ok(['ls']); // starts the server
      await waitUntil(
        'both autostart guests running',
        async () => {
          const ls = JSON.parse(await world.ok(['ls', '--json'])) as { guests: Array<{ name: string; state: string }> };
          const states = Object.fromEntries(ls.guests.map((g) => [g.name, g.state]));
          return states['a1'] === 'running' && states['a2'] === 'running' ? states : undefined;
        },
        20_000,
      );
      const when = async (name: string, what: RegExp) => {
        const line = (await world.ok(['events', name])).split('\n').find((l) => what.test(l));
        return Date.parse(line!.split(' ')[0]!);
      };
      const a1Running = await when('a1', /starting -> running/);
      const a2Starting = await when('a2', /stopped -> starting/);
      expect(a2Starting - a1Running).toBeGreaterThanOrEqual(650);
      expect(world.guestPid('manual')).toBeUndefined();
      expect(world.guestPid('held')).toBeUndefined();
      expect(await world.ok(['events', 'held'])).toMatch(/not autostarted: .*\/nostart names it/);
    } finally {
      await world.dispose();
    }
  });

  it.skipIf(process.getuid?.() !== 0)('runs a guest as the host user its definition names when the server runs as root', async () => {
    const world = new UmuxWorld();
    try {
      fs.chmodSync(world.dir, 0o755);
      world.define('asuser', 'user = "nobody"\nconsoles = 0\nserials = 0\n');
      await world.ok(['start', 'asuser']);
      const pid = world.guestPid('asuser')!;
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      expect(status).toMatch(/^Uid:\s+65534\s/m);
      await world.ok(['stop', '--force', 'asuser']);
    } finally {
      await world.dispose();
    }
  });
});
