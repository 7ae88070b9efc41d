// Fault injection against the MConsole client with a fake server: silence, a reply missing its last packet,
// garbage, oversized len, late replies, stale and missing sockets, queueing. Real guests are in other files.

import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MconsoleError } from '../../src/core/errors.js';
import { MconsoleClient } from '../../src/mconsole/client.js';
import { DgramSocket } from '../../src/mconsole/dgram-socket.js';
import { NotifyListener } from '../../src/mconsole/notify.js';
import { encodeNotification, encodeReplyPacket } from '../../src/protocol/mconsole-codec.js';
import { encodeUtf8 } from '../../src/core/utf8.js';
import { FakeMconsole, clientDir } from '../helpers/fake-mconsole.js';

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

function setup(handler: Parameters<typeof FakeMconsole.start>[0], timeoutMs = 300) {
  const fake = FakeMconsole.start(handler);
  const dir = clientDir();
  const client = new MconsoleClient({ dir, timeoutMs, packetGapMs: 200 });
  cleanups.push(() => {
    client.dispose();
    fake.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { fake, client, dir };
}

async function failure(p: Promise<unknown>): Promise<MconsoleError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(MconsoleError);
    return err as MconsoleError;
  }
  throw new Error('expected the call to fail');
}

const bytes = (s: string) => encodeUtf8(s);

describe('mconsole client against a fake server', () => {
  it('answers a plain request with the reply text', async () => {
    const { fake, client } = setup((cmd) => ({ reply: `you said ${cmd}` }));
    const reply = await client.call(fake.socketPath, 'version');
    expect(reply).toMatchObject({ ok: true, text: 'you said version', packets: 1 });
    expect(fake.requests[0]).toMatchObject({ command: 'version', magic: 0xcafebabe, version: 2 });
  });

  it('times out with a one-line error when the guest never answers', async () => {
    const { fake, client } = setup(() => ({ silent: true }), 250);
    const t0 = Date.now();
    const err = await failure(client.call(fake.socketPath, 'version', { name: 'g1' }));
    const took = Date.now() - t0;
    expect(err.code).toBe('timeout');
    expect(err.message).toBe('no reply from g1 in 250 ms to "version": the guest may be wedged or SIGSTOPped');
    expect(err.message).not.toContain('\n');
    expect(took).toBeGreaterThanOrEqual(240);
    expect(took).toBeLessThan(2000);
  });

  it('reports a reply whose last packet never comes, with the count of packets that did', async () => {
    const { fake, client } = setup(() => ({
      packets: [encodeReplyPacket(0, true, bytes('part one ')), encodeReplyPacket(0, true, bytes('part two '))],
    }), 3000);
    const t0 = Date.now();
    const err = await failure(client.call(fake.socketPath, 'sysrq m', { name: 'g1' }));
    expect(err.code).toBe('incomplete-reply');
    expect(err.message).toBe('reply from g1 to "sysrq" is incomplete: 2 packets arrived, the last never came');
    // The gap between packets gives it away long before the overall timeout.
    expect(Date.now() - t0).toBeLessThan(1500);
  });

  it('reassembles a reply of many packets', async () => {
    const long = 'x'.repeat(511 * 5 + 17);
    const { fake, client } = setup(() => ({ reply: long }));
    const reply = await client.call(fake.socketPath, 'help');
    expect(reply.packets).toBe(6);
    expect(reply.text).toBe(long);
  });

  it('refuses a datagram shorter than a reply header as garbage', async () => {
    const { fake, client } = setup(() => ({ packets: [bytes('garbage')] }));
    const err = await failure(client.call(fake.socketPath, 'version', { name: 'g1' }));
    expect(err.code).toBe('bad-reply');
    expect(err.message).toContain('g1: reply of 7 bytes is shorter than the 12-byte header');
  });

  it('refuses the bare text UML sends to a request without the magic', async () => {
    const { fake, client } = setup(() => ({ packets: [bytes('ERR Version 0 mconsole clients are not supported by this driver')] }));
    const err = await failure(client.call(fake.socketPath, 'version'));
    expect(err.code).toBe('bad-reply');
  });

  it('refuses a reply whose len is larger than the data field', async () => {
    const packet = encodeReplyPacket(0, false, bytes('hello'));
    new DataView(packet.buffer).setUint32(8, 4096, true);
    const { fake, client } = setup(() => ({ packets: [packet] }));
    const err = await failure(client.call(fake.socketPath, 'version'));
    expect(err.code).toBe('bad-reply');
    expect(err.message).toContain('reply len 4096 exceeds the 512-byte data field');
  });

  it('never hands a late reply to the next request', async () => {
    let n = 0;
    const { fake, client } = setup(() => (n++ === 0 ? { reply: 'LATE answer to the first', afterMs: 400 } : { reply: 'second' }), 150);
    const first = await failure(client.call(fake.socketPath, 'version'));
    expect(first.code).toBe('timeout');
    const second = await client.call(fake.socketPath, 'proc uptime');
    expect(second.text).toBe('second');
    // Wait for the late answer: it went to the abandoned socket address and was lost there.
    await new Promise((r) => setTimeout(r, 400));
    expect(fake.sendErrors.length).toBeGreaterThan(0);
    const third = await client.call(fake.socketPath, 'version');
    expect(third.text).toBe('second');
    expect(fake.requests[0]!.from).not.toBe(fake.requests[1]!.from);
  });

  it('keeps one request in flight per guest and answers queued ones in order', async () => {
    const { fake, client } = setup((cmd) => ({ reply: cmd, afterMs: 30 }), 2000);
    const replies = await Promise.all(['log a', 'version', 'log b', 'proc uptime'].map((c) => client.call(fake.socketPath, c)));
    expect(replies.map((r) => r.text)).toEqual(['log a', 'version', 'log b', 'proc uptime']);
    for (let i = 1; i < fake.requests.length; i++) {
      expect(fake.requests[i]!.at - fake.requests[i - 1]!.at).toBeGreaterThanOrEqual(25);
    }
  });

  it('times out a request still queued behind a wedged one, saying so', async () => {
    const { fake, client } = setup(() => ({ silent: true }), 200);
    const a = failure(client.call(fake.socketPath, 'version', { name: 'g1' }));
    const b = failure(client.call(fake.socketPath, 'help', { name: 'g1', timeoutMs: 100 }));
    expect((await b).message).toContain('still queued behind an earlier request');
    expect((await a).code).toBe('timeout');
    expect(fake.requests).toHaveLength(1);
  });

  it('keeps the signed errno of an ERR reply', async () => {
    const { fake, client } = setup(() => ({ reply: "Device doesn't exist", err: -19 >>> 0 }));
    const reply = await client.call(fake.socketPath, 'remove ubdb');
    expect(reply).toMatchObject({ ok: false, err: 4294967277, errSigned: -19, text: "Device doesn't exist" });
  });

  it('callOk turns an ERR reply into a guest-error that quotes the kernel', async () => {
    const { fake, client } = setup(() => ({ reply: 'Device is already open', err: -22 >>> 0 }));
    const err = await failure(client.callOk(fake.socketPath, 'remove con2', { name: 'g1' }));
    expect(err.code).toBe('guest-error');
    expect(err.message).toBe('g1 refused "remove con2": Device is already open (errno 22)');
    const ok = setup(() => ({ reply: 'fd:0,fd:1' }));
    expect((await ok.client.callOk(ok.fake.socketPath, 'config con0')).text).toBe('fd:0,fd:1');
  });

  it('says a stale socket belongs to a guest that is not running', async () => {
    const dir = clientDir();
    const stale = DgramSocket.bind(path.join(dir, 'mconsole'));
    // Close without unlinking: what a dead guest leaves behind.
    (stale as unknown as { socket: { close(): void } }).socket.close();
    const client = new MconsoleClient({ dir, timeoutMs: 300 });
    cleanups.push(() => {
      client.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const err = await failure(client.call(path.join(dir, 'mconsole'), 'version'));
    expect(err.code).toBe('not-running');
    expect(err.message).toBe(`guest not running: stale mconsole socket at ${path.join(dir, 'mconsole')}`);
  });

  it('refuses a command that does not fit the 512-byte data field before sending anything', async () => {
    const { fake, client } = setup(() => ({ reply: 'x' }));
    const err = await failure(client.call(fake.socketPath, `log ${'y'.repeat(600)}`));
    expect(err.code).toBe('too-long');
    expect(fake.requests).toHaveLength(0);
  });

  it('fails a request with a cancelled AbortSignal at once', async () => {
    const { fake, client } = setup(() => ({ silent: true }), 5000);
    const ac = new AbortController();
    const p = failure(client.call(fake.socketPath, 'version', { signal: ac.signal }));
    setTimeout(() => ac.abort(), 50);
    const t0 = Date.now();
    expect((await p).message).toContain('was cancelled');
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

describe('notification listener', () => {
  it('decodes notifications and counts garbage without losing the next good one', async () => {
    const dir = clientDir();
    const listener = NotifyListener.bind(path.join(dir, 'notify.sock'));
    const sender = DgramSocket.bind(path.join(dir, 'sender.sock'));
    cleanups.push(() => {
      sender.dispose();
      listener.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const seen: string[] = [];
    listener.onNotification((n) => seen.push(`${n.type}:${n.data}`));
    const wrongMagic = encodeNotification('user', bytes('x'));
    new DataView(wrongMagic.buffer).setUint32(0, 0xdeadbeef, true);
    await sender.send(wrongMagic, listener.path);
    await sender.send(bytes('short'), listener.path);
    const good = listener.waitFor((n) => n.type === 'panic', 2000, 'panic');
    await sender.send(encodeNotification('panic', bytes('Segfault with no mm\0')), listener.path);
    await sender.send(encodeNotification('user', bytes('hi\n')), listener.path);
    expect((await good).data).toBe('Segfault with no mm');
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual(['panic:Segfault with no mm', 'user:hi\n']);
    expect(listener.stats).toMatchObject({ received: 2, garbage: 2 });
    expect(listener.stats.lastGarbage).toContain('notification');
  });
});

describe('permission denied', () => {
  it('names the socket owner and mode when the admin may not write to the socket', async () => {
    const fake = FakeMconsole.start(() => ({ reply: 'should not be reached' }));
    const dir = clientDir();
    cleanups.push(() => {
      fake.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    fs.chmodSync(fake.socketPath, 0o600);
    let result: { ok: boolean; code?: string; message?: string; hint?: string };
    if (process.getuid!() === 0) {
      // Root passes every permission check: ask a child that drops to nobody what it sees.
      fs.chmodSync(path.dirname(fake.socketPath), 0o755);
      fs.chmodSync(fake.dir, 0o755);
      fs.chownSync(dir, 65534, 65534);
      const { execFileSync } = await import('node:child_process');
      const out = execFileSync(process.execPath, [path.resolve(__dirname, '../fixtures/call-as-user.mjs'), '65534', '65534', dir, fake.socketPath, 'version'], {
        encoding: 'utf8',
        timeout: 10000,
      });
      result = JSON.parse(out.trim());
    } else {
      const client = new MconsoleClient({ dir, timeoutMs: 1000 });
      fs.chmodSync(fake.socketPath, 0o000);
      try {
        await client.call(fake.socketPath, 'version');
        result = { ok: true };
      } catch (err) {
        const e = err as MconsoleError;
        result = { ok: false, code: e.code, message: e.message, hint: e.hint ?? '' };
      } finally {
        client.dispose();
      }
    }
    expect(result.ok).toBe(false);
    expect(result.code).toBe('permission');
    expect(result.message).toMatch(new RegExp(`^permission denied sending to ${fake.socketPath} \\(owner uid \\d+, mode 0[0-7]{3}\\)$`));
    expect(result.hint).toBe("run as the guest's owner or as root");
    expect(fake.requests).toHaveLength(0);
  });
});
