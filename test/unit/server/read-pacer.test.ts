// Typing priority and the read pacer: while a client types into one console, the others' reads are capped at
// NEIGHBOUR_RATE (paused and resumed, never dropped); the typed console and a server with nobody typing are not capped.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NEIGHBOUR_RATE, ReadPacer } from '../../../src/server/read-pacer.js';
import { TYPING_WINDOW_MS, TypingPriority } from '../../../src/server/typing-priority.js';
import { ConsoleHub, type Subscriber } from '../../../src/server/console-hub.js';
import type { ConsoleLog } from '../../../src/consoles/logfile.js';
import { Screen } from '../../../src/term/screen.js';

afterEach(() => vi.useRealTimers());

describe('TypingPriority', () => {
  it('makes every other console yield for the window after a keystroke, and never the typed one', () => {
    let now = 1000;
    const typing = new TypingPriority(() => now);
    const a = {};
    const b = {};
    expect(typing.yields(a)).toBe(false);
    typing.typed(a);
    expect(typing.yields(a)).toBe(false);
    expect(typing.yields(b)).toBe(true);
    typing.typed(b); // two consoles typed into: neither yields
    expect(typing.yields(a)).toBe(false);
    expect(typing.yields(b)).toBe(false);
    now += TYPING_WINDOW_MS + 1;
    expect(typing.yields(a)).toBe(false);
    expect(typing.yields(b)).toBe(false);
  });
});

describe('ReadPacer', () => {
  it('pauses a yielding console once it read past its credit, and resumes it when the credit is back', () => {
    vi.useFakeTimers();
    let now = 0;
    const typing = new TypingPriority(() => now);
    const calls: string[] = [];
    const key = {};
    const pacer = new ReadPacer({ pause: () => calls.push('pause'), resume: () => calls.push('resume') }, typing, key, () => now);
    pacer.took(64 * 1024); // nobody types: no cap
    pacer.took(64 * 1024);
    expect(calls).toEqual([]);
    typing.typed({});
    pacer.took(64 * 1024); // the burst a quiet console may read at once
    expect(calls).toEqual([]);
    pacer.took(64 * 1024);
    expect(calls).toEqual(['pause']);
    // 64 KiB over the credit: paused for as long as the rate takes to read it.
    const wait = Math.ceil((64 * 1024 * 1000) / NEIGHBOUR_RATE);
    vi.advanceTimersByTime(wait - 1);
    expect(calls).toEqual(['pause']);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['pause', 'resume']);
    pacer.dispose();
  });

  it('resumes only when every reason to pause is gone (the model behind, the cap)', () => {
    vi.useFakeTimers();
    const typing = new TypingPriority(() => 0);
    const calls: string[] = [];
    const pacer = new ReadPacer({ pause: () => calls.push('pause'), resume: () => calls.push('resume') }, typing, {}, () => 0);
    pacer.hold('model');
    typing.typed({});
    pacer.took(256 * 1024);
    pacer.release('model');
    expect(calls).toEqual(['pause']);
    vi.runAllTimers();
    expect(calls).toEqual(['pause', 'resume']);
    pacer.dispose();
  });
});

describe('ConsoleHub with typing priority', () => {
  it('caps the reads of a flooding console while another is typed into; all its bytes still reach the client in order', async () => {
    const typing = new TypingPriority();
    const log = { append() {}, dispose() {} } as unknown as ConsoleLog;
    const paused = { a: 0, b: 0 };
    const hub = (k: 'a' | 'b') =>
      new ConsoleHub({ guest: k, name: 'con0', log, screen: new Screen(), toGuest: () => undefined, typing, pause: () => paused[k]++, resume: () => undefined });
    const a = hub('a');
    const b = hub('b');
    const got = { a: [] as Uint8Array[], b: [] as Uint8Array[] };
    let synced = 0;
    const client = (k: 'a' | 'b'): Subscriber => ({
      client: { id: 1, pid: 1, user: 'u', readOnly: false },
      sendData: (bytes) => (got[k].push(bytes), true),
      sendSnapshot: () => void synced++,
      notice: () => undefined,
      closed: () => undefined,
      whenDrained: (fn) => fn(),
    });
    const subA = client('a');
    a.subscribe(subA, 0);
    b.subscribe(client('b'), 0);
    for (let waited = 0; waited < 2000 && synced < 2; waited += 10) await new Promise((r) => setTimeout(r, 10));
    const piece = (n: number) => new Uint8Array(32 * 1024).fill(48 + (n % 10));
    for (let i = 0; i < 8; i++) b.feed(piece(i));
    expect(paused.b).toBe(0); // nobody types: b reads at full speed
    a.input(subA, new TextEncoder().encode('x'));
    for (let i = 8; i < 16; i++) b.feed(piece(i));
    expect(paused.b).toBe(1);
    for (let i = 0; i < 8; i++) a.feed(piece(i));
    expect(paused.a).toBe(0); // the typed console is never capped
    await new Promise((r) => setImmediate(r));
    const expected = Array.from({ length: 16 }, (_, i) => String(i % 10).repeat(32 * 1024)).join('');
    expect(Buffer.concat(got.b).toString('latin1')).toBe(expected);
    expect(Buffer.concat(got.a).length).toBe(8 * 32 * 1024);
    a.dispose();
    b.dispose();
  });
});
