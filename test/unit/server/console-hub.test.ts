// ConsoleHub without a guest: a failing log (disk full) neither stops the console nor crashes the server; the log's
// tail with times holds every byte fed so far.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConsoleHub, MAX_INPUT_BACKLOG, QUIET_MS, type Subscriber } from '../../../src/server/console-hub.js';
import { ConsoleLog } from '../../../src/consoles/logfile.js';
import { fitLines } from '../../../src/server/timed-log.js';
import { Screen } from '../../../src/term/screen.js';

describe('ConsoleHub', () => {
  it('keeps serving clients when the log cannot be written, and says so once', async () => {
    let failing = true;
    const logged: Uint8Array[] = [];
    const log = {
      append(bytes: Uint8Array) {
        if (failing) throw new Error('ENOSPC');
        logged.push(bytes);
      },
      dispose() {},
    } as unknown as ConsoleLog;
    const errors: string[] = [];
    const hub = new ConsoleHub({ guest: 'g', name: 'con0', log, screen: new Screen(), toGuest: () => undefined, onLogError: (m) => errors.push(m) });
    const got: string[] = [];
    let synced = false;
    const sub: Subscriber = {
      client: { id: 1, pid: 1, user: 'u', readOnly: true },
      sendData: (b) => (got.push(Buffer.from(b).toString()), true),
      sendSnapshot: () => void (synced = true),
      notice: () => undefined,
      closed: () => undefined,
      whenDrained: (fn) => fn(),
    };
    hub.subscribe(sub, 0);
    // The snapshot barrier: live bytes follow once the first snapshot is out (a turn or more later; 2 s at most).
    for (let waited = 0; waited < 2000 && !synced; waited += 10) await new Promise((r) => setTimeout(r, 10));
    hub.feed(new TextEncoder().encode('one\r\n'));
    await new Promise((r) => setImmediate(r));
    hub.feed(new TextEncoder().encode('two\r\n'));
    await new Promise((r) => setImmediate(r));
    failing = false;
    hub.feed(new TextEncoder().encode('three\r\n'));
    await new Promise((r) => setImmediate(r));
    expect(got.join('')).toBe('one\r\ntwo\r\nthree\r\n');
    expect(errors).toEqual(['g:con0 log write failed: ENOSPC']);
    expect(Buffer.concat(logged).toString()).toBe('three\r\n');
    hub.dispose();
  });

  it('sends the first output after a quiet spell in the turn it came (an echo), and batches what follows it', async () => {
    const log = { append() {}, dispose() {} } as unknown as ConsoleLog;
    const hub = new ConsoleHub({ guest: 'g', name: 'con0', log, screen: new Screen(), toGuest: () => undefined });
    const got: string[] = [];
    const sub: Subscriber = {
      client: { id: 1, pid: 1, user: 'u', readOnly: true },
      sendData: (b) => (got.push(Buffer.from(b).toString()), true),
      sendSnapshot: () => undefined,
      notice: () => undefined,
      closed: () => undefined,
      whenDrained: (fn) => fn(),
    };
    hub.subscribe(sub, 0);
    await new Promise((r) => setTimeout(r, QUIET_MS + 5)); // the snapshot barrier, and a quiet spell
    hub.feed(new TextEncoder().encode('a'));
    expect(got).toEqual(['a']);
    hub.feed(new TextEncoder().encode('b'));
    hub.feed(new TextEncoder().encode('c'));
    expect(got).toEqual(['a']);
    await new Promise((r) => setImmediate(r));
    expect(got).toEqual(['a', 'bc']);
    hub.dispose();
  });

  it('refuses typing, with a notice, while over 1 MiB waits for a guest that does not read', () => {
    let backlog = 0;
    const sent: number[] = [];
    const log = { append() {}, dispose() {} } as unknown as ConsoleLog;
    const hub = new ConsoleHub({ guest: 'g', name: 'con0', log, screen: new Screen(), toGuest: (b) => sent.push(b.length), inputBacklog: () => backlog });
    const notices: string[] = [];
    const sub: Subscriber = {
      client: { id: 1, pid: 1, user: 'u', readOnly: false },
      sendData: () => true,
      sendSnapshot: () => undefined,
      notice: (_level, text) => notices.push(text),
      closed: () => undefined,
      whenDrained: (fn) => fn(),
    };
    hub.input(sub, new Uint8Array(10));
    backlog = MAX_INPUT_BACKLOG + 1;
    hub.input(sub, new Uint8Array(20));
    expect(hub.writeFromServer(new Uint8Array(5))).toBe(false);
    backlog = 0;
    expect(hub.writeFromServer(new Uint8Array(5))).toBe(true);
    expect(sent).toEqual([10, 5]);
    expect(notices).toEqual(['g:con0 is not reading its console (1024 KiB of typing wait): this input was not sent']);
    hub.dispose();
  });

  it('reads the log tail with times including bytes still waiting in the batch', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-hub-'));
    try {
      const t = Date.parse('2026-11-22T05:40:00.123Z');
      const log = ConsoleLog.open({ dir, console: 'con0', now: () => new Date(t) });
      const hub = new ConsoleHub({ guest: 'g', name: 'con0', log, screen: new Screen(), toGuest: () => undefined });
      hub.feed(new TextEncoder().encode('echo marker-A\r\nmarker-A\r\n# '));
      // No turn of the event loop: the bytes are still in the hub's batch, not yet in the file.
      expect(hub.readLogWithTimes(10)).toEqual([
        { at: t, text: 'echo marker-A' },
        { at: t, text: 'marker-A' },
        { at: t, text: '# ', open: true },
      ]);
      expect(hub.logPath).toBe(path.join(dir, 'con0.log'));
      hub.dispose();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ConsoleHub window size', () => {
  const tick = () => new Promise((r) => setTimeout(r, 20));
  function client(id: number, readOnly: boolean): Subscriber & { snapshots: Array<{ cols: number; rows: number }> } {
    const snapshots: Array<{ cols: number; rows: number }> = [];
    return {
      snapshots,
      client: { id, pid: id, user: 'u', readOnly },
      sendData: () => true,
      sendSnapshot: (s) => snapshots.push({ cols: s.cols, rows: s.rows }),
      notice: () => undefined,
      closed: () => undefined,
      whenDrained: (fn) => fn(),
    };
  }
  const log = { append() {}, dispose() {} } as unknown as ConsoleLog;

  it('takes the size of the client that typed last; a read-only client never sets it', async () => {
    const sizes: string[] = [];
    const hub = new ConsoleHub({ guest: 'g', name: 'con0', log, screen: new Screen(), toGuest: () => undefined, resize: (s) => sizes.push(`${s.cols}x${s.rows}`) });
    const a = client(1, false);
    const b = client(2, false);
    const r = client(3, true);
    hub.subscribe(a, 0);
    hub.subscribe(b, 0);
    hub.subscribe(r, 0);
    await tick();
    hub.resize(r, { cols: 40, rows: 10 }); // read-only: remembered, never applied
    hub.resize(a, { cols: 100, rows: 30 }); // nobody typed yet: the first writable size applies
    hub.resize(b, { cols: 90, rows: 20 }); // b has not typed: a keeps the console
    expect(sizes).toEqual(['100x30']);
    hub.input(b, new Uint8Array([0x61])); // b types: its size now
    hub.input(r, new Uint8Array([0x61])); // refused, and no size
    hub.input(a, new Uint8Array([0x61]));
    hub.resize(b, { cols: 91, rows: 21 }); // not the typist any more
    expect(sizes).toEqual(['100x30', '90x20', '100x30']);
    // Every client gets a snapshot at the new size after each change: made once the model has parsed what came
    // before it (model-pacer.ts), a turn or more later, so waited for (2 s at most) rather than one short tick.
    const last = (c: { snapshots: Array<{ cols: number; rows: number }> }) => `${c.snapshots.at(-1)?.cols}x${c.snapshots.at(-1)?.rows}`;
    for (let waited = 0; waited < 2000 && (last(a) !== '100x30' || last(r) !== '100x30'); waited += 20) await tick();
    expect(hub.size).toEqual({ cols: 100, rows: 30 });
    expect(a.snapshots.at(-1)).toEqual({ cols: 100, rows: 30 });
    expect(r.snapshots.at(-1)).toEqual({ cols: 100, rows: 30 });
    hub.dispose();
  });

  it('ignores client sizes on a console without a window size (a socketpair)', async () => {
    const hub = new ConsoleHub({ guest: 'g', name: 'con0', log, screen: new Screen(), toGuest: () => undefined });
    const a = client(1, false);
    hub.subscribe(a, 0);
    await tick();
    hub.resize(a, { cols: 100, rows: 30 });
    hub.input(a, new Uint8Array([0x61]));
    await tick();
    expect(hub.size).toEqual({ cols: 80, rows: 24 });
    hub.dispose();
  });
});

describe('fitLines', () => {
  it('keeps the last lines that fit in one reply (each counted twice, JSON-escaped)', () => {
    const lines = [{ text: 'a'.repeat(100) }, { text: '\x1b'.repeat(10) }, { text: 'b' }];
    expect(fitLines(lines, 10_000)).toBe(0);
    // 'b': 2*3+64 = 70; ESC x10 escapes to 60 chars + quotes: 2*62+64 = 188; together 258
    expect(fitLines(lines, 258)).toBe(1);
    expect(fitLines(lines, 257)).toBe(2);
    expect(fitLines(lines, 69)).toBe(3);
  });
});
