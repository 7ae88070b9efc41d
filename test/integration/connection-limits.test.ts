// One abusive client costs only itself: raw wire clients send oversized and half-sent frames, a huge hello,
// 10 000 attaches, 1000 requests at once, a log follow of 1e9 lines and one connection too many; each is told which
// limit it hit, while `umux ls` from a normal client keeps answering within 1 s and the server's RSS stays bounded.
// And umux's own client splits a large paste into frames the server takes.

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerSession } from '../../src/client/session.js';
import { encodeJsonFrame, FrameDecoder } from '../../src/protocol/wire-framing.js';
import { umlSkip } from '../helpers/uml.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';

const MB = 1024 * 1024;
/**
 * How far the server's RSS may rise over its idle baseline during one abuse. Measured after the limits: the peaks
 * stay within ~40 MB of the baseline (snapshots for 64 attaches, 30 stalled frames of 512 KiB); before them,
 * 30 half-sent 31 MiB frames alone added ~500 MB here and ~930 MB in the issue.
 */
const RSS_BUDGET = 200 * MB;
const FRAME_TIMEOUT_MS = 2000;

type Msg = { t: string; reason?: string; id?: number; ok?: boolean; error?: { message: string } };

/** A client that speaks the wire by hand: what it sends is up to the test, what it gets is decoded and kept. */
class RawClient {
  readonly messages: Msg[] = [];
  closed = false;
  private readonly decoder = new FrameDecoder();

  private constructor(readonly sock: net.Socket) {
    sock.on('data', (b: Buffer) => {
      for (const f of this.decoder.push(new Uint8Array(b))) if (f.kind === 'json') this.messages.push(f.value as Msg);
    });
    sock.on('error', () => undefined); // writes into a socket the server closed: expected here
    sock.on('close', () => (this.closed = true));
  }

  static async open(world: UmuxWorld, opts: { hello?: boolean } = {}): Promise<RawClient> {
    const sock = net.createConnection(path.join(world.socketDir, 'server.sock'));
    await new Promise((r) => sock.once('connect', r));
    const c = new RawClient(sock);
    if (opts.hello !== false) c.json({ t: 'hello', version: 1, pid: process.pid, user: 'abuser', program: 'test' });
    return c;
  }

  json(value: unknown): void {
    this.sock.write(encodeJsonFrame(value));
  }

  /** The header of a JSON frame whose body is `length` bytes long. */
  header(length: number): void {
    const h = Buffer.alloc(5);
    h.writeUInt32BE(length + 1, 0);
    h[4] = 1;
    this.sock.write(h);
  }

  get bye(): string | undefined {
    return this.messages.find((m) => m.t === 'bye')?.reason;
  }

  count(t: string): number {
    return this.messages.filter((m) => m.t === t).length;
  }

  destroy(): void {
    this.sock.destroy();
  }
}

function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m![1]) * 1024;
}

/** Samples a process's RSS every 50 ms until stopped; returns the peak. */
function watchRss(pid: number): { stop(): number } {
  let peak = rssBytes(pid);
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, rssBytes(pid));
    } catch {
      // the server died: the other checks say so
    }
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(umlSkip())('what one connection may cost the server', () => {
  let world: UmuxWorld;
  let pid: number;
  let baseline: number;

  /** A normal client: connect, hello, `ls`; the whole exchange in ms (5 s at most, then it counts as failed). */
  async function lsMs(): Promise<number> {
    const t0 = Date.now();
    const s = await world.session();
    try {
      const r = await s.request(['ls'], 5000);
      expect((r.data as { guests: Array<{ name: string }> }).guests.map((g) => g.name)).toEqual(['victim']);
    } finally {
      s.dispose();
    }
    return Date.now() - t0;
  }

  /** Runs an abuse while watching the server: `ls` times taken during it, and the peak RSS over the baseline. */
  async function during(abuse: () => Promise<void>): Promise<{ lsTimes: number[]; rssOver: number }> {
    const rss = watchRss(pid);
    const lsTimes: number[] = [];
    let running = true;
    const probe = (async () => {
      while (running) {
        // A failed `ls` (no answer in 5 s) counts as never answering.
        lsTimes.push(await lsMs().catch(() => Infinity));
        await sleep(100);
      }
    })();
    try {
      await abuse();
    } finally {
      running = false;
      await probe;
    }
    const rssOver = rss.stop() - baseline;
    console.log(`peak RSS ${(baseline / MB).toFixed(0)} MB + ${(rssOver / MB).toFixed(0)} MB; ls took ${lsTimes.join(', ')} ms`);
    return { lsTimes, rssOver };
  }

  beforeAll(async () => {
    world = new UmuxWorld({ UMUX_FRAME_TIMEOUT_MS: String(FRAME_TIMEOUT_MS) });
    world.define('victim', 'consoles = 0\nserials = 0\n');
    await world.ok(['start', 'victim']);
    await world.waitForShell('victim');
    pid = world.serverPid()!;
    await lsMs();
    baseline = rssBytes(pid);
  }, 60_000);
  afterAll(async () => {
    await world?.dispose();
  });

  it('30 connections each sending most of a 31 MiB frame are told the frame limit and closed', async () => {
    const body = Buffer.alloc(16 * MB, 0x20);
    const clients: RawClient[] = [];
    const seen = await during(async () => {
      for (let i = 0; i < 30; i++) {
        const c = await RawClient.open(world, { hello: false });
        c.header(31 * MB);
        c.sock.write(body);
        clients.push(c);
      }
      await waitUntil('every big sender to be let go', () => (clients.every((c) => c.closed) ? true : undefined), 5000).catch(() => undefined);
    });
    for (const c of clients) c.destroy();
    expect(clients.map((c) => c.bye)).toEqual(clients.map(() => expect.stringMatching(/wire frame of 32505857 bytes.*at most 1048576 bytes \(1 MiB\)/)));
    expect(Math.max(...seen.lsTimes)).toBeLessThan(1000);
    expect(seen.rssOver).toBeLessThan(RSS_BUDGET);
  }, 60_000);

  it('30 connections that stall or trickle inside a frame are let go after the frame timeout', async () => {
    const clients: RawClient[] = [];
    const t0 = Date.now();
    const seen = await during(async () => {
      for (let i = 0; i < 30; i++) {
        const c = await RawClient.open(world);
        c.header(900 * 1024);
        c.sock.write(Buffer.alloc(512 * 1024, 0x20));
        clients.push(c);
      }
      // Five of them go on sending a byte every 200 ms: slow is not the same as finishing.
      const trickle = setInterval(() => {
        for (const c of clients.slice(0, 5)) if (!c.closed) c.sock.write(' ');
      }, 200);
      await waitUntil('every staller to be let go', () => (clients.every((c) => c.closed) ? true : undefined), FRAME_TIMEOUT_MS + 4000).catch(() => undefined);
      clearInterval(trickle);
    });
    const ms = Date.now() - t0;
    for (const c of clients) c.destroy();
    expect(clients.map((c) => c.bye)).toEqual(clients.map(() => expect.stringMatching(/frame .*not finished within 2000 ms/)));
    expect(ms).toBeLessThan(FRAME_TIMEOUT_MS + 4000);
    expect(Math.max(...seen.lsTimes)).toBeLessThan(1000);
    expect(seen.rssOver).toBeLessThan(RSS_BUDGET);
  }, 60_000);

  it('a hello with a 30 MB user field is refused at once; one with a 300-character user too', async () => {
    // Encoded with Buffer, before the clock starts (the pure-JS encodeUtf8 takes seconds for 30 MB).
    const json = Buffer.from(JSON.stringify({ t: 'hello', version: 1, pid: process.pid, user: 'u'.repeat(30_000_000), program: 'test' }));
    const head = Buffer.alloc(5);
    head.writeUInt32BE(json.length + 1, 0);
    head[4] = 1;
    const hello = Buffer.concat([head, json]);
    let huge!: RawClient;
    let byeMs = Infinity;
    const seen = await during(async () => {
      huge = await RawClient.open(world, { hello: false });
      const t0 = Date.now();
      huge.sock.write(hello);
      await waitUntil('an answer to the huge hello', () => (huge.messages.length > 0 ? true : undefined), 15_000).catch(() => undefined);
      byeMs = Date.now() - t0;
    });
    huge.destroy();
    expect(huge.count('welcome')).toBe(0);
    expect(huge.bye).toMatch(/at most 1048576 bytes \(1 MiB\)/);
    expect(byeMs).toBeLessThan(1000);
    expect(Math.max(...seen.lsTimes)).toBeLessThan(1000);
    expect(seen.rssOver).toBeLessThan(RSS_BUDGET);

    const long = await RawClient.open(world, { hello: false });
    long.json({ t: 'hello', version: 1, pid: process.pid, user: 'u'.repeat(300), program: 'test' });
    await waitUntil('the long hello to be let go', () => (long.closed ? true : undefined), 5000).catch(() => undefined);
    long.destroy();
    expect(long.count('welcome')).toBe(0);
    expect(long.bye).toMatch(/hello: user is 300 characters: at most 256/);
  }, 60_000);

  it('10 000 attaches on one connection: the first ones attach, the rest are refused naming the limit', async () => {
    const N = 10_000;
    const attaches = Buffer.concat(Array.from({ length: N }, (_, i) => encodeJsonFrame({ t: 'attach', id: i + 1, guest: 'victim', console: 'con0', readOnly: true })));
    let c!: RawClient;
    const seen = await during(async () => {
      c = await RawClient.open(world);
      c.sock.write(attaches);
      await waitUntil('an answer to every attach', () => (c.count('attached') + c.count('reply') >= N ? true : undefined), 20_000).catch(() => undefined);
    });
    const refusals = c.messages.filter((m) => m.t === 'reply' && m.ok === false).map((m) => m.error!.message);
    const limit = Number(/at most (\d+) consoles and logs per connection/.exec(refusals[0] ?? '')?.[1]);
    expect(limit).toBeGreaterThan(0);
    expect(c.count('attached')).toBe(limit);
    expect(refusals.length).toBe(N - limit);
    expect(new Set(refusals).size).toBe(1);
    expect(Math.max(...seen.lsTimes)).toBeLessThan(1000);
    expect(seen.rssOver).toBeLessThan(RSS_BUDGET);
    // Detached streams free their places.
    c.json({ t: 'detach', stream: 1 });
    c.json({ t: 'attach', id: N + 1, guest: 'victim', console: 'con0', readOnly: true });
    await waitUntil('the attach after a detach', () => (c.messages.some((m) => m.t === 'attached' && m.id === N + 1) ? true : undefined), 5000);
    c.destroy();
  }, 60_000);

  it('1000 requests sent at once: a bounded number run, the rest are refused naming the limit', async () => {
    const N = 1000;
    const requests = Buffer.concat(Array.from({ length: N }, (_, i) => encodeJsonFrame({ t: 'request', id: i + 1, argv: ['ls'] })));
    let c!: RawClient;
    const seen = await during(async () => {
      c = await RawClient.open(world);
      c.sock.write(requests);
      await waitUntil('an answer to every request', () => (c.count('reply') >= N ? true : undefined), 20_000).catch(() => undefined);
    });
    c.destroy();
    const refusals = c.messages.filter((m) => m.t === 'reply' && m.ok === false).map((m) => m.error!.message);
    const limit = Number(/at most (\d+) requests in flight per connection/.exec(refusals[0] ?? '')?.[1]);
    expect(limit).toBeGreaterThan(0);
    expect(c.messages.filter((m) => m.t === 'reply' && m.ok === true).length).toBeGreaterThanOrEqual(limit);
    expect(c.count('reply')).toBe(N);
    expect(Math.max(...seen.lsTimes)).toBeLessThan(1000);
    expect(seen.rssOver).toBeLessThan(RSS_BUDGET);
  }, 60_000);

  it('follow-log with lines 1e9 is refused naming the limit, not followed', async () => {
    const c = await RawClient.open(world);
    c.json({ t: 'follow-log', id: 7, guest: 'victim', console: 'con0', lines: 1e9 });
    await waitUntil('an answer to the follow', () => (c.messages.some((m) => m.id === 7) ? true : undefined), 5000);
    await sleep(200);
    c.destroy();
    expect(c.count('attached')).toBe(0);
    const reply = c.messages.find((m) => m.id === 7)!;
    expect(reply.ok).toBe(false);
    expect(reply.error!.message).toMatch(/follow-log: lines is 1000000000: at most 1000000/);
    expect(await lsMs()).toBeLessThan(1000);
  }, 30_000);

  it('a connection past the server-wide limit is told so; a normal client gets in once others leave', async () => {
    const N = 300;
    const held = await Promise.all(Array.from({ length: N }, () => RawClient.open(world)));
    try {
      await waitUntil('an answer to every hello', () => (held.every((c) => c.messages.length > 0) ? true : undefined), 10_000);
      const refused = held.filter((c) => c.bye !== undefined);
      const limit = Number(/at most (\d+) at once/.exec(refused[0]?.bye ?? '')?.[1]);
      expect(limit).toBeGreaterThan(0);
      expect(refused.map((c) => c.bye)).toEqual(refused.map(() => `too many connections: the umux server holds at most ${limit} at once`));
      expect(refused.every((c) => c.count('welcome') === 0)).toBe(true);
      expect(held.filter((c) => c.count('welcome') === 1).length).toBe(limit);
      expect(refused.length).toBe(N - limit);
    } finally {
      for (const c of held) c.destroy();
    }
    await waitUntil('a normal client to get in again', () => lsMs().then((ms) => ms, () => undefined), 5000);
  }, 60_000);
});

describe('a umux client stays within what the server takes', () => {
  /** A fake server that welcomes, answers attach, and records the length of every frame it gets. */
  async function fakeServer(): Promise<{ env: NodeJS.ProcessEnv; frames: number[]; close(): void }> {
    const dir = fs.mkdtempSync('/tmp/umx-lim-');
    const frames: number[] = [];
    const server = net.createServer((c) => {
      const dec = new FrameDecoder({ maxFrame: 64 * MB });
      c.on('data', (b: Buffer) => {
        for (const f of dec.push(new Uint8Array(b))) {
          frames.push(f.kind === 'data' ? f.bytes.length : -1);
          if (f.kind !== 'json') continue;
          const m = f.value as { t: string; id: number };
          if (m.t === 'hello') c.write(encodeJsonFrame({ t: 'welcome', version: 1, serverPid: 1, serverVersion: 'fake', clientId: 1 }));
          if (m.t === 'attach') c.write(encodeJsonFrame({ t: 'attached', id: m.id, stream: 5, guest: 'g', console: 'con0', readOnly: false, snapshot: { cols: 80, rows: 24, data: '' }, others: [] }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(path.join(dir, 'server.sock'), r));
    return {
      env: { ...process.env, UMUX_SOCKET_DIR: dir },
      frames,
      close() {
        server.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  it('sends a 3 MiB paste as frames the server takes, and refuses a 2 MB request before sending it', async () => {
    const fake = await fakeServer();
    const session = await ServerSession.connect({ env: fake.env, autostart: false });
    try {
      const stream = await session.attach('g', 'con0', { readOnly: false });
      stream.write(new Uint8Array(3 * MB).fill(0x61));
      await waitUntil('the paste at the server', () => (fake.frames.filter((n) => n > 0).reduce((a, b) => a + b, 0) === 3 * MB ? true : undefined), 5000);
      const sizes = fake.frames.filter((n) => n > 0);
      expect(sizes.length).toBeGreaterThan(3);
      expect(Math.max(...sizes)).toBeLessThan(MB);
      await expect(session.request(['send', 'g', 'x'.repeat(2_000_000)])).rejects.toThrow(/a request of \d+ bytes is more than the umux server takes \(1 MiB\)/);
    } finally {
      session.dispose();
      fake.close();
    }
  });
});
