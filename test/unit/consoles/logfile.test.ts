// ConsoleLog on real files in a temp dir: written through at once, rotated at the exact size, line timestamps that
// survive lines and UTF-8 split across appends, markers, and what happens after dispose.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleLog, type ConsoleLogOptions } from '../../../src/consoles/logfile.js';
import { UmuxError } from '../../../src/core/errors.js';

let root: string;
let dir: string;
const open: ConsoleLog[] = [];

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-log-'));
  dir = path.join(root, 'logs', 'web1');
});

afterEach(() => {
  for (const log of open.splice(0)) log.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

function openLog(opts: Partial<ConsoleLogOptions> = {}): ConsoleLog {
  const log = ConsoleLog.open({ dir, console: 'con0', ...opts });
  open.push(log);
  return log;
}

const b = (text: string): Buffer => Buffer.from(text, 'utf8');
const read = (name = 'con0.log'): string => fs.readFileSync(path.join(dir, name), 'utf8');

/** A clock that ticks one second per call, starting 2026-11-22T05:40:00.123Z. */
function clock(): () => Date {
  let t = Date.parse('2026-11-22T05:40:00.123Z');
  return () => new Date((t += 1000) - 1000);
}

describe('ConsoleLog.open', () => {
  it('creates the directory 0700 and CONSOLE.log 0600', () => {
    const log = openLog();
    expect(log.path).toBe(path.join(dir, 'con0.log'));
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    expect(fs.statSync(log.path).mode & 0o777).toBe(0o600);
  });

  it('appends to what an earlier server wrote', () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'con0.log'), 'before\n');
    openLog().append(b('after\n'));
    expect(read()).toBe('before\nafter\n');
  });

  it('refuses a console name that could leave the directory, and bad sizes', () => {
    expect(() => openLog({ console: '../x' })).toThrow(/bad console name "..\/x"/);
    expect(() => openLog({ maxBytes: 0 })).toThrow(/bad log rotation size 0/);
    expect(() => openLog({ keep: -1 })).toThrow(/bad count of rotated logs/);
  });

  it('fails with a one-line io error naming the path and errno', () => {
    fs.mkdirSync(root, { recursive: true });
    fs.writeFileSync(path.join(root, 'file'), '');
    let error: unknown;
    try {
      ConsoleLog.open({ dir: path.join(root, 'file', 'web1'), console: 'con0' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(UmuxError);
    expect((error as UmuxError).code).toBe('io');
    expect((error as UmuxError).message).toBe(`cannot create log directory ${path.join(root, 'file', 'web1')}: ENOTDIR (not a directory)`);
    expect((error as UmuxError).hint).toBeTruthy();
  });
});

describe('ConsoleLog.append', () => {
  it('writes through at once: the file holds the bytes right after append, before any dispose', () => {
    const log = openLog();
    log.append(b('login: '));
    expect(read()).toBe('login: ');
    log.append(b('root\r\n'));
    expect(read()).toBe('login: root\r\n');
    expect(log.bytesWritten).toBe(13);
  });

  it('loses nothing when the writing process is killed with SIGKILL', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fixtures', 'append-and-hang.ts'), dir, '5000'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    child.kill('SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    const lines = read().split('\r\n');
    expect(lines.length).toBe(5001);
    expect(lines[4999]).toBe('line 4999');
  });

  it('rotates at the exact size boundary and keeps only `keep` rotated files', () => {
    const log = openLog({ maxBytes: 10, keep: 2 });
    log.append(b('0123456789'));
    expect(fs.readdirSync(dir)).toEqual(['con0.log']);
    log.append(b('a'));
    expect(read('con0.log.1')).toBe('0123456789');
    expect(read()).toBe('a');
    log.append(b('bcdefghijklmnopqrstuvwxyz'));
    expect(read('con0.log.2')).toBe('abcdefghij');
    expect(read('con0.log.1')).toBe('klmnopqrst');
    expect(read()).toBe('uvwxyz');
    log.append(b('ABCDEFGHIJ'));
    expect(fs.readdirSync(dir).sort()).toEqual(['con0.log', 'con0.log.1', 'con0.log.2']);
    expect(read('con0.log.2') + read('con0.log.1') + read()).toBe('klmnopqrstuvwxyzABCDEFGHIJ');
    expect(log.bytesWritten).toBe(46);
  });

  it('with keep 0, drops the old file and starts a new one', () => {
    const log = openLog({ maxBytes: 4, keep: 0 });
    log.append(b('abcdef'));
    expect(fs.readdirSync(dir)).toEqual(['con0.log']);
    expect(read()).toBe('ef');
  });

  it('respects the size an earlier server left, and drops files beyond keep', () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'con0.log'), '12345678');
    for (const n of [1, 2, 3, 4]) fs.writeFileSync(path.join(dir, `con0.log.${n}`), `old${n}`);
    openLog({ maxBytes: 10, keep: 2 }).append(b('abc'));
    expect(fs.readdirSync(dir).sort()).toEqual(['con0.log', 'con0.log.1', 'con0.log.2']);
    expect(read('con0.log.2')).toBe('old1');
    expect(read('con0.log.1')).toBe('12345678ab');
    expect(read()).toBe('c');
  });

  it('takes 20 MB in 64 KiB chunks complete, across rotation, line for line', () => {
    const log = openLog();
    let text = '';
    let count = 0;
    while (text.length < 20 * 1024 * 1024) text += `flood line ${count++} ${'x'.repeat(count % 97)}\n`;
    const bytes = b(text);
    for (let at = 0; at < bytes.length; at += 65536) log.append(bytes.subarray(at, at + 65536));
    expect(fs.statSync(path.join(dir, 'con0.log.1')).size).toBe(16 * 1024 * 1024);
    const all = Buffer.concat([fs.readFileSync(path.join(dir, 'con0.log.1')), fs.readFileSync(log.path)]);
    let lines = 0;
    for (let i = all.indexOf(10); i >= 0; i = all.indexOf(10, i + 1)) lines++;
    expect(lines).toBe(count);
    expect(all.equals(bytes)).toBe(true);
  });

  it('keeps UTF-8 split across appends byte for byte', () => {
    const text = 'é€😀 žluťoučký kůň\r\n';
    const bytes = b(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      fs.rmSync(dir, { recursive: true, force: true });
      const log = ConsoleLog.open({ dir, console: 'con0' });
      log.append(bytes.subarray(0, cut));
      log.append(bytes.subarray(cut));
      log.dispose();
      expect(read()).toBe(text);
    }
  });

  it('throws a clear error when used after dispose, and disposes once', () => {
    const log = openLog();
    log.dispose();
    log.dispose();
    expect(() => log.append(b('x'))).toThrow(UmuxError);
    expect(() => log.append(b('x'))).toThrow(`console log ${log.path} is closed`);
    expect(() => log.appendMarker('x')).toThrow(/is closed/);
  });
});

describe('ConsoleLog timestamps', () => {
  it('prefixes every line start once, also when a line is split across appends', () => {
    const log = openLog({ timestamps: true, now: clock() });
    log.append(b('ab')); // 05:40:00
    log.append(b('c\nd')); // 05:40:01: no new prefix before c, one before d
    log.append(b('e\n')); // 05:40:02: the prefix after this \n waits for the next byte
    log.append(b('\nf\n')); // 05:40:03
    expect(read()).toBe(
      '[2026-11-22T05:40:00.123Z] abc\n[2026-11-22T05:40:01.123Z] de\n' +
        '[2026-11-22T05:40:03.123Z] \n[2026-11-22T05:40:03.123Z] f\n',
    );
  });

  it('treats \\r\\n as a line end and a split \\r | \\n as one', () => {
    const log = openLog({ timestamps: true, now: clock() });
    log.append(b('x\r\ny\r'));
    log.append(b('\nz'));
    expect(read()).toBe('[2026-11-22T05:40:00.123Z] x\r\n[2026-11-22T05:40:00.123Z] y\r\n[2026-11-22T05:40:01.123Z] z');
  });

  it('leaves UTF-8 split across appends intact between the prefixes', () => {
    const log = openLog({ timestamps: true, now: () => new Date(0) });
    const bytes = b('ž\n€😀\n');
    for (const byte of bytes) log.append(Uint8Array.of(byte));
    expect(read()).toBe('[1970-01-01T00:00:00.000Z] ž\n[1970-01-01T00:00:00.000Z] €😀\n');
  });

  it('continues an open line an earlier server left without a new prefix', () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'con0.log'), '[t] half');
    openLog({ timestamps: true, now: () => new Date(0) }).append(b(' line\nnext'));
    expect(read()).toBe('[t] half line\n[1970-01-01T00:00:00.000Z] next');
  });

  it('puts one prefix on a line split across a rotation', () => {
    const log = openLog({ timestamps: true, now: () => new Date(0), maxBytes: 30, keep: 1 });
    log.append(b('abc'));
    log.append(b('def\n'));
    expect(read('con0.log.1') + read()).toBe('[1970-01-01T00:00:00.000Z] abcdef\n');
    expect(read('con0.log.1')).toHaveLength(30);
  });
});

describe('ConsoleLog.appendMarker', () => {
  it('ends an open guest line first, then writes its own line with a second-precision UTC time', () => {
    const log = openLog({ now: () => new Date('2026-11-22T05:40:00.789Z') });
    log.append(b('half a li'));
    log.appendMarker('server restarted: output between 05:31:12 and now was lost');
    log.appendMarker('two\r\nlines');
    expect(read()).toBe(
      'half a li\r\n[umux 2026-11-22T05:40:00Z] server restarted: output between 05:31:12 and now was lost\r\n' +
        '[umux 2026-11-22T05:40:00Z] two lines\r\n',
    );
  });

  it('gets no timestamp prefix of its own, and the next guest line gets one', () => {
    const log = openLog({ timestamps: true, now: () => new Date(0) });
    log.append(b('a'));
    log.appendMarker('gap');
    log.append(b('b\n'));
    expect(read()).toBe('[1970-01-01T00:00:00.000Z] a\r\n[umux 1970-01-01T00:00:00Z] gap\r\n[1970-01-01T00:00:00.000Z] b\n');
  });
});
