// Per-line times of a console log: the bounded ring of line starts, and ConsoleLog.readTailWithTimes pairing a tail
// read from the file with it, line for line from the end (fake clock, real files in a temp dir).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleLog, LineTimes, pairTail, type ConsoleLogOptions } from '../../../src/consoles/logfile.js';

let root: string;
let dir: string;
const open: ConsoleLog[] = [];

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-times-'));
  dir = path.join(root, 'logs', 'web1');
});

afterEach(() => {
  for (const log of open.splice(0)) log.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

const T0 = Date.parse('2026-11-22T05:40:00.123Z');

/** A clock the test moves by hand: `clock.t` is the epoch ms the next now() returns. */
function manualClock(): { now: () => Date; t: number } {
  const c = { t: T0, now: () => new Date(c.t) };
  return c;
}

function openLog(opts: Partial<ConsoleLogOptions> = {}): ConsoleLog {
  const log = ConsoleLog.open({ dir, console: 'con0', ...opts });
  open.push(log);
  return log;
}

const b = (text: string): Buffer => Buffer.from(text, 'utf8');
const file = (): string => path.join(dir, 'con0.log');
const sec = (n: number): number => T0 + n * 1000;

describe('LineTimes', () => {
  it('gives the newest start first and null past what it keeps', () => {
    const r = new LineTimes(10);
    expect(r.fromEnd(0)).toBeNull();
    r.push(1);
    r.push(2);
    r.push(3);
    expect([r.fromEnd(0), r.fromEnd(1), r.fromEnd(2), r.fromEnd(3), r.fromEnd(-1)]).toEqual([3, 2, 1, null, null]);
    expect(r.count).toBe(3);
  });

  it('grows past its first allocation in order, then drops the oldest at capacity', () => {
    const r = new LineTimes(1000);
    const at = (i: number): number => T0 + i; // never 0, as an unwritten slot is
    for (let i = 0; i < 700; i++) r.push(at(i));
    expect(r.count).toBe(700);
    expect(Array.from({ length: 700 }, (_, k) => r.fromEnd(k))).toEqual(Array.from({ length: 700 }, (_, k) => at(699 - k)));
    for (let i = 700; i < 2500; i++) r.push(at(i));
    expect(r.count).toBe(1000);
    expect(Array.from({ length: 1000 }, (_, k) => r.fromEnd(k))).toEqual(Array.from({ length: 1000 }, (_, k) => at(2499 - k)));
    expect(r.fromEnd(1000)).toBeNull();
  });

  it('takes many starts of one time at once: growing, wrapping round the end, and more than it keeps', () => {
    const r = new LineTimes(1000);
    r.pushMany(T0, 300); // past the first allocation in one go
    r.pushMany(T0 + 1, 650);
    r.push(T0 + 2);
    expect(r.count).toBe(951);
    expect([r.fromEnd(0), r.fromEnd(1), r.fromEnd(650), r.fromEnd(651), r.fromEnd(950), r.fromEnd(951)]).toEqual([T0 + 2, T0 + 1, T0 + 1, T0, T0, null]);
    r.pushMany(T0 + 3, 100); // wraps: the oldest 51 go
    expect(r.count).toBe(1000);
    expect([r.fromEnd(0), r.fromEnd(99), r.fromEnd(100), r.fromEnd(101), r.fromEnd(750), r.fromEnd(751), r.fromEnd(999)]).toEqual([T0 + 3, T0 + 3, T0 + 2, T0 + 1, T0 + 1, T0, T0]);
    r.pushMany(T0 + 4, 5000);
    expect([r.count, r.fromEnd(0), r.fromEnd(999), r.fromEnd(1000)]).toEqual([1000, T0 + 4, T0 + 4, null]);
    r.push(T0 + 5);
    expect([r.fromEnd(0), r.fromEnd(1)]).toEqual([T0 + 5, T0 + 4]);
  });

  it('keeps nothing with capacity 0, and forgets everything on clear', () => {
    const none = new LineTimes(0);
    none.push(5);
    expect(none.fromEnd(0)).toBeNull();
    const r = new LineTimes(4);
    r.push(1);
    r.clear();
    expect(r.count).toBe(0);
    r.push(2);
    expect([r.fromEnd(0), r.fromEnd(1)]).toEqual([2, null]);
  });
});

describe('ConsoleLog.readTailWithTimes', () => {
  it('times each line by the append that brought its first byte, a final partial line included', () => {
    const c = manualClock();
    const log = openLog({ now: c.now });
    log.append(b('boot one\r\nboot '));
    c.t = sec(1);
    log.append(b('two\r\nlogin: '));
    c.t = sec(2);
    log.append(b('root'));
    expect(log.readTailWithTimes({ lines: 10 })).toEqual([
      { at: sec(0), text: 'boot one' },
      { at: sec(0), text: 'boot two' },
      { at: sec(1), text: 'login: root', open: true },
    ]);
  });

  it('starts no empty line after a final line end, and pairs only the last N lines', () => {
    const c = manualClock();
    const log = openLog({ now: c.now });
    for (let i = 0; i < 5; i++) {
      c.t = sec(i);
      log.append(b(`line ${i}\n`));
    }
    expect(log.readTailWithTimes({ lines: 2 })).toEqual([
      { at: sec(3), text: 'line 3' },
      { at: sec(4), text: 'line 4' },
    ]);
    expect(log.readTailWithTimes({ lines: 0 })).toEqual([]);
    // A line end alone in an append ends the open line; the next byte starts the next line, with its own time.
    log.append(b('x'));
    c.t = sec(9);
    log.append(b('\n'));
    c.t = sec(10);
    log.append(b('y\r\n'));
    expect(log.readTailWithTimes({ lines: 2 })).toEqual([
      { at: sec(4), text: 'x' },
      { at: sec(10), text: 'y' },
    ]);
  });

  it('gives null to lines an earlier server wrote, also to the open line it left and this log continued', () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(file(), 'old one\r\nold two\r\nhalf');
    const c = manualClock();
    const log = openLog({ now: c.now });
    log.append(b(' done\r\nnew\r\n'));
    expect(log.readTailWithTimes({ lines: 10 })).toEqual([
      { at: null, text: 'old one' },
      { at: null, text: 'old two' },
      { at: null, text: 'half done' },
      { at: sec(0), text: 'new' },
    ]);
  });

  it('remembers only the last `lineTimes` line starts', () => {
    const c = manualClock();
    const log = openLog({ now: c.now, lineTimes: 3 });
    for (let i = 0; i < 6; i++) {
      c.t = sec(i);
      log.append(b(`l${i}\n`));
    }
    expect(log.readTailWithTimes({ lines: 6 }).map((l) => l.at)).toEqual([null, null, null, sec(3), sec(4), sec(5)]);
  });

  it('counts a marker as a line with its own time, after ending an open guest line', () => {
    const c = manualClock();
    const log = openLog({ now: c.now });
    log.append(b('# '));
    c.t = sec(5);
    log.appendMarker('guest exited');
    c.t = sec(7);
    log.append(b('again\r\n'));
    expect(log.readTailWithTimes({ lines: 5 })).toEqual([
      { at: sec(0), text: '# ' },
      { at: sec(5), text: '[umux 2026-11-22T05:40:05Z] guest exited' },
      { at: sec(7), text: 'again' },
    ]);
  });

  it('pairs lines across a rotation (the tail reads the rotated file too)', () => {
    const c = manualClock();
    const log = openLog({ now: c.now, maxBytes: 16, keep: 2 });
    for (let i = 0; i < 6; i++) {
      c.t = sec(i);
      log.append(b(`row ${i} xx\n`)); // 9 bytes: lines straddle the 16-byte files
    }
    expect(fs.existsSync(`${file()}.1`)).toBe(true);
    expect(log.readTailWithTimes({ lines: 3 })).toEqual([
      { at: sec(3), text: 'row 3 xx' },
      { at: sec(4), text: 'row 4 xx' },
      { at: sec(5), text: 'row 5 xx' },
    ]);
  });

  it('with log_timestamps, takes the prefix off the text; a later server reads the time back from it', () => {
    const c = manualClock();
    const first = openLog({ now: c.now, timestamps: true });
    first.append(b('one\r\ntw'));
    c.t = sec(1);
    first.append(b('o\r\n'));
    first.appendMarker('server stopping');
    expect(first.readTailWithTimes({ lines: 5 })).toEqual([
      { at: sec(0), text: 'one' },
      { at: sec(0), text: 'two' },
      { at: sec(1), text: '[umux 2026-11-22T05:40:01Z] server stopping' },
    ]);
    first.dispose();
    c.t = sec(60) + 456;
    const second = openLog({ now: c.now, timestamps: true });
    second.append(b('three\r\n'));
    expect(second.readTailWithTimes({ lines: 5 })).toEqual([
      { at: sec(0), text: 'one' },
      { at: sec(0), text: 'two' },
      { at: Date.parse('2026-11-22T05:40:01Z'), text: '[umux 2026-11-22T05:40:01Z] server stopping' }, // its own time, whole seconds
      { at: sec(60) + 456, text: 'three' },
    ]);
  });

  it('leaves a guest line that only looks like a timestamp alone when the log is not timestamped', () => {
    const c = manualClock();
    const log = openLog({ now: c.now });
    log.append(b('[2020-01-01T00:00:00.000Z] from the guest\n'));
    expect(log.readTailWithTimes({ lines: 1 })).toEqual([{ at: sec(0), text: '[2020-01-01T00:00:00.000Z] from the guest' }]);
    expect(pairTail('[2020-01-01T00:00:00.000Z] x\n')).toEqual([{ at: null, text: '[2020-01-01T00:00:00.000Z] x' }]);
    expect(pairTail('[2020-01-01T00:00:00.000Z] x\n', { timestamped: true })).toEqual([{ at: Date.parse('2020-01-01T00:00:00.000Z'), text: 'x' }]);
  });

  it('goes on with the ring of the log before it when the file is as that log left it', () => {
    const c = manualClock();
    const first = openLog({ now: c.now });
    first.append(b('run one\r\npartial'));
    first.dispose();
    c.t = sec(30);
    const second = openLog({ now: c.now, continueTimes: first.lineTimes });
    second.append(b(' end\r\nrun two\r\n'));
    expect(second.readTailWithTimes({ lines: 5 })).toEqual([
      { at: sec(0), text: 'run one' },
      { at: sec(0), text: 'partial end' },
      { at: sec(30), text: 'run two' },
    ]);
  });

  it('starts a fresh ring when the file changed after the log before it let go, or that log is still open', () => {
    const c = manualClock();
    const first = openLog({ now: c.now });
    first.append(b('a\n'));
    first.dispose();
    fs.appendFileSync(file(), 'someone else\n');
    c.t = sec(3);
    const second = openLog({ now: c.now, continueTimes: first.lineTimes });
    second.append(b('b\n'));
    expect(second.readTailWithTimes({ lines: 3 }).map((l) => l.at)).toEqual([null, null, sec(3)]);
    // second is still open: its ring cannot be handed on
    const third = ConsoleLog.open({ dir, console: 'con0', now: c.now, continueTimes: second.lineTimes });
    open.push(third);
    expect(third.lineTimes).not.toBe(second.lineTimes);
    expect(third.readTailWithTimes({ lines: 1 })).toEqual([{ at: null, text: 'b' }]);
  });
});

describe('pairTail', () => {
  it('handles the empty tail, a lone line end and \\r\\n', () => {
    expect(pairTail('')).toEqual([]);
    expect(pairTail('\n')).toEqual([{ at: null, text: '' }]);
    expect(pairTail('a\r\n\r\nb\r')).toEqual([
      { at: null, text: 'a' },
      { at: null, text: '' },
      { at: null, text: 'b', open: true },
    ]);
  });
});
