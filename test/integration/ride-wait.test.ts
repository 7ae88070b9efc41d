// How a riding client waits for a server (src/client/ride.ts): after a crash it starts one once the grace is over;
// after a deliberate stop (kill-server) it starts none; either way the wait ends at its bound, or at once when the
// client leaves. The "server" started is a stand-in program that only records that it was started.

import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awayText, waitForServer, type RideTimes } from '../../src/client/ride.js';

let dir: string;
let env: NodeJS.ProcessEnv;
const times: RideTimes = { graceMs: 200, minRetryMs: 20, maxRetryMs: 100, giveUpMs: 1200 };
const started = () => fs.existsSync(path.join(dir, 'started'));

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-ride-'));
  const bin = path.join(dir, 'fake-umux.mjs');
  fs.writeFileSync(bin, `import fs from 'node:fs';\nfs.writeFileSync(${JSON.stringify(path.join(dir, 'started'))}, process.argv.slice(2).join(' '));\n`);
  env = { ...process.env, UMUX_SOCKET_DIR: path.join(dir, 'sock'), UMUX_BIN: bin };
  fs.mkdirSync(path.join(dir, 'sock'), { mode: 0o700 });
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('waiting for a server', () => {
  it('after a crash starts one once the grace is over, and gives up at its bound', async () => {
    const t0 = Date.now();
    await expect(waitForServer({ env, times, signal: new AbortController().signal })).rejects.toThrow(/no umux server came back within 1 s/);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1200);
    expect(Date.now() - t0).toBeLessThan(3000);
    await expect.poll(() => started()).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'started'), 'utf8')).toBe('server');
  });

  it('after kill-server starts none, and connects once someone else has started one', async () => {
    const stop = waitForServer({ env, stop: 'kill-server', times: { ...times, giveUpMs: 10_000 }, signal: new AbortController().signal });
    await new Promise((r) => setTimeout(r, 600)); // three graces
    expect(started()).toBe(false);
    const server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(path.join(dir, 'sock', 'server.sock'), r));
    try {
      const sock = await stop;
      expect(sock).toBeDefined();
      sock!.destroy();
    } finally {
      server.close();
    }
    expect(started()).toBe(false);
  });

  it('ends at once when the client leaves', async () => {
    const leaving = new AbortController();
    const wait = waitForServer({ env, stop: 'kill-server', times: { ...times, minRetryMs: 5000, maxRetryMs: 5000 }, signal: leaving.signal });
    await new Promise((r) => setTimeout(r, 50));
    const t0 = Date.now();
    leaving.abort();
    await expect(wait).resolves.toBeUndefined();
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it('says why it waits, in umux words', () => {
    expect(awayText('umux server stopping (kill-server)', 'kill-server')).toBe('server stopped by umux kill-server; waiting for a new one — any umux command starts it');
    expect(awayText('umux server stopping (SIGTERM)', 'signal')).toBe('server stopped (SIGTERM); waiting for a new one — any umux command starts it');
    expect(awayText('the umux server closed the connection', undefined)).toBe('server gone (the umux server closed the connection); reconnecting');
  });
});
