// One client connection attached to two consoles, one flooding while the client reads slowly: the quiet console's
// bytes still come as live bytes, promptly and not behind megabytes of the flood, while the flooding one lags and is
// resynced with a snapshot; the log keeps every byte. Real unix socket, real ServerClient and ConsoleHubs, no guest.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConsoleLog } from '../../src/consoles/logfile.js';
import { encodeJsonFrame, FrameDecoder } from '../../src/protocol/wire-framing.js';
import { ConsoleHub } from '../../src/server/console-hub.js';
import { ServerClient, type ServerContext } from '../../src/server/server-client.js';
import { Screen } from '../../src/term/screen.js';

const MB = 1024 * 1024;
const turn = () => new Promise((r) => setImmediate(r));

function hub(name: string): { hub: ConsoleHub; logged: () => number } {
  let logged = 0;
  const log = { append: (b: Uint8Array) => void (logged += b.length), dispose: () => undefined } as unknown as ConsoleLog;
  return { hub: new ConsoleHub({ guest: name, name: 'con0', log, screen: new Screen({ cols: 80, rows: 24, scrollback: 100 }), toGuest: () => undefined }), logged: () => logged };
}

type Seen = { kind: 'data'; stream: number; text: string; before: number } | { kind: 'json'; t: string; stream?: number; before: number };

describe('a flooding console and a quiet one on one slow client connection', () => {
  const cleanup: Array<() => void> = [];
  afterEach(() => {
    for (const fn of cleanup.splice(0)) fn();
  });

  it('delivers the quiet console’s bytes live and early; the flood lags and gets a snapshot; the log has all', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-lag-'));
    const flood = hub('flood');
    const quiet = hub('quiet');
    const ctx = {
      version: 'test',
      frameTimeoutMs: 10_000,
      findConsole: (guest: string) => (guest === 'flood' ? flood.hub : quiet.hub),
      log: () => undefined,
      changed: () => undefined,
    } as unknown as ServerContext;
    const clients: ServerClient[] = [];
    const server = net.createServer((sock) => clients.push(new ServerClient(sock, ctx)));
    const sockPath = path.join(dir, 's.sock');
    await new Promise<void>((r) => server.listen(sockPath, r));
    const sock = net.createConnection(sockPath);
    cleanup.push(() => {
      sock.destroy();
      for (const c of clients) c.dispose();
      server.close();
      flood.hub.dispose();
      quiet.hub.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    });
    const seen: Seen[] = [];
    let bytes = 0;
    const decoder = new FrameDecoder();
    sock.on('data', (b: Buffer) => {
      for (const f of decoder.push(new Uint8Array(b))) {
        if (f.kind === 'data') seen.push({ kind: 'data', stream: f.stream, text: Buffer.from(f.bytes).toString('latin1'), before: bytes });
        else seen.push({ kind: 'json', t: (f.value as { t: string }).t, stream: (f.value as { stream?: number }).stream, before: bytes });
        bytes += f.kind === 'data' ? f.bytes.length : 0;
      }
    });
    await new Promise((r) => sock.once('connect', r));
    sock.write(encodeJsonFrame({ t: 'hello', version: 1, pid: process.pid, user: 'u', program: 'test' }));
    sock.write(encodeJsonFrame({ t: 'attach', id: 1, guest: 'flood', console: 'con0', readOnly: true }));
    sock.write(encodeJsonFrame({ t: 'attach', id: 2, guest: 'quiet', console: 'con0', readOnly: true }));
    const deadline = Date.now() + 5000;
    while (seen.filter((s) => s.kind === 'json' && s.t === 'attached').length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const streams = seen.filter((s): s is Extract<Seen, { kind: 'json' }> => s.kind === 'json' && s.t === 'attached').map((s) => s.stream!);
    expect(streams).toHaveLength(2);
    const [floodStream, quietStream] = streams as [number, number];

    // The client stops reading; 8 MB of flood come in 64 KiB reads, one I/O turn each, then the quiet console echoes.
    sock.pause();
    const line = Buffer.from('flood line of eighty bytes, lowercase only, no echo in it at all 0123456789ab\r\n');
    const chunk = Buffer.concat(Array.from({ length: 840 }, () => line)).subarray(0, 64 * 1024);
    for (let i = 0; i < (8 * MB) / chunk.length; i++) {
      flood.hub.feed(new Uint8Array(chunk));
      await turn();
    }
    quiet.hub.feed(new TextEncoder().encode('ECHO'));
    await turn();
    await new Promise((r) => setTimeout(r, 50));
    sock.resume();
    const until = Date.now() + 10_000;
    while (!seen.some((s) => s.kind === 'json' && s.t === 'snapshot' && s.stream === floodStream) && Date.now() < until) await new Promise((r) => setTimeout(r, 20));

    const echo = seen.find((s) => s.kind === 'data' && s.stream === quietStream);
    expect(echo, 'the quiet console’s bytes came as live data').toBeDefined();
    expect((echo as { text: string }).text).toBe('ECHO');
    expect(seen.some((s) => s.kind === 'json' && s.t === 'snapshot' && s.stream === quietStream)).toBe(false);
    // Behind at most the flood's own queue and what the kernel holds, not megabytes of it.
    expect(echo!.before).toBeLessThan(MB);
    // The flood lagged: a snapshot, and far fewer of its bytes than it wrote.
    expect(seen.some((s) => s.kind === 'json' && s.t === 'snapshot' && s.stream === floodStream)).toBe(true);
    expect(bytes).toBeLessThan(4 * MB);
    expect(flood.logged()).toBe(8 * MB);
    expect(quiet.logged()).toBe(4);
  }, 30_000);
});
