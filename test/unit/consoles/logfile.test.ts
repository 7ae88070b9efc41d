// ConsoleLog on real files in a temp dir: written through at once, rotated at a line end near the size, line timestamps that
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

  it('rotates at the last line end before the size, so every rotated file holds whole lines', () => {
    const log = openLog({ maxBytes: 10, keep: 2 });
    log.append(b('abc\ndefg\nhij')); // 12 bytes: the file ends at the line end at 9, `hij` starts the next
    expect(read('con0.log.1')).toBe('abc\ndefg\n');
    expect(read()).toBe('hij');
    log.append(b('\nklmn\nopqrst\nuv\n'));
    expect(read('con0.log.2')).toBe('abc\ndefg\n');
    expect(read('con0.log.1')).toBe('hij\nklmn\n');
    expect(read()).toBe('opqrst\nuv\n');
    expect(log.bytesWritten).toBe(28);
  });

  it('rotates between two appends when the first ended a line exactly at the size', () => {
    const log = openLog({ maxBytes: 10, keep: 2 });
    log.append(b('012345678\n'));
    expect(fs.readdirSync(dir)).toEqual(['con0.log']);
    log.append(b('a\n'));
    expect(read('con0.log.1')).toBe('012345678\n');
    expect(read()).toBe('a\n');
  });

  it('lets a line longer than the size end in its file, and cuts one that never ends maxBytes further on', () => {
    const log = openLog({ maxBytes: 10, keep: 5 });
    log.append(b('abcdefghijklmn\nnext\n')); // one 15-byte line: no line end before 10, it ends at 15
    expect(read('con0.log.1')).toBe('abcdefghijklmn\n');
    expect(read()).toBe('next\n');
    log.append(b('x'.repeat(40))); // does not fit after `next`: a new file, cut at 10 + 10
    expect(read('con0.log.3')).toBe('abcdefghijklmn\n');
    expect(read('con0.log.2')).toBe('next\n');
    expect(read('con0.log.1')).toBe('x'.repeat(20));
    expect(read()).toBe('x'.repeat(20));
    log.append(b('xy\n'));
    expect(read('con0.log.1')).toBe('x'.repeat(20));
    expect(read()).toBe('xy\n');
  });

  it('puts a line that does not fit after the last whole line into the next file', () => {
    const log = openLog({ maxBytes: 10, keep: 2 });
    log.append(b('01234\n'));
    log.append(b('56789\n'));
    expect(read('con0.log.1')).toBe('01234\n');
    expect(read()).toBe('56789\n');
  });

  it('keeps only `keep` rotated files', () => {
    const log = openLog({ maxBytes: 10, keep: 2 });
    for (let i = 0; i < 6; i++) log.append(b(`line ${i}\n`)); // 7 bytes each: one line per file
    expect(fs.readdirSync(dir).sort()).toEqual(['con0.log', 'con0.log.1', 'con0.log.2']);
    expect(read('con0.log.2') + read('con0.log.1') + read()).toBe('line 3\nline 4\nline 5\n');
  });

  it('with keep 0, drops the old file and starts a new one', () => {
    const log = openLog({ maxBytes: 4, keep: 0 });
    log.append(b('ab\ncdef\n'));
    expect(fs.readdirSync(dir)).toEqual(['con0.log']);
    expect(read()).toBe('cdef\n');
  });

  it('respects the size an earlier server left, and drops files beyond keep', () => {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'con0.log'), '1234567\n');
    for (const n of [1, 2, 3, 4]) fs.writeFileSync(path.join(dir, `con0.log.${n}`), `old${n}`);
    openLog({ maxBytes: 10, keep: 2 }).append(b('ab\ncd\n'));
    expect(fs.readdirSync(dir).sort()).toEqual(['con0.log', 'con0.log.1', 'con0.log.2']);
    expect(read('con0.log.2')).toBe('old1');
    expect(read('con0.log.1')).toBe('1234567\n');
    expect(read()).toBe('ab\ncd\n');
  });

  it('with timestamps, rotated files begin with a whole stamped line', () => {
    const log = openLog({ maxBytes: 64, keep: 9, timestamps: true, now: clock() });
    for (let i = 0; i < 12; i++) log.append(b(`2994 line ${i}\r\n`));
    const files = fs.readdirSync(dir).filter((f) => f !== 'con0.log');
    expect(files.length).toBeGreaterThan(3);
    for (const f of [...files, 'con0.log']) expect(read(f)).toMatch(/^(\[2026-11-22T05:\d\d:\d\d\.123Z\] 2994 line \d+\r\n)+$/);
  });

  it('takes 20 MB in 64 KiB chunks complete, across rotation, line for line', () => {
    const log = openLog();
    let text = '';
    let count = 0;
    while (text.length < 20 * 1024 * 1024) text += `flood line ${count++} ${'x'.repeat(count % 97)}\n`;
    const bytes = b(text);
    for (let at = 0; at < bytes.length; at += 65536) log.append(bytes.subarray(at, at + 65536));
    const rotated = fs.readFileSync(path.join(dir, 'con0.log.1'));
    // A line begun by one append and crossing the size in the next ends in the same file.
    expect(Math.abs(rotated.length - 16 * 1024 * 1024)).toBeLessThan(200);
    expect(rotated[rotated.length - 1]).toBe(10);
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

  it('ends a stamped line that reaches the size in its file, with one prefix', () => {
    const log = openLog({ timestamps: true, now: () => new Date(0), maxBytes: 30, keep: 1 });
    log.append(b('abc'));
    log.append(b('def\n'));
    expect(fs.existsSync(path.join(dir, 'con0.log.1'))).toBe(false);
    expect(read()).toBe('[1970-01-01T00:00:00.000Z] abcdef\n');
    log.append(b('g\n'));
    expect(read('con0.log.1')).toBe('[1970-01-01T00:00:00.000Z] abcdef\n');
    expect(read()).toBe('[1970-01-01T00:00:00.000Z] g\n');
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

/** A disk with `free` bytes left: writes take what fits, then fail with ENOSPC as a full file system does. */
function fullDisk(free: number) {
  const disk = {
    free,
    failed: 0,
    writeSync(fd: number, data: Uint8Array, offset: number, length: number): number {
      if (disk.free <= 0) {
        disk.failed++;
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      }
      const n = fs.writeSync(fd, data, offset, Math.min(length, disk.free));
      disk.free -= n;
      return n;
    },
  };
  return disk;
}

describe('ConsoleLog on a full disk', () => {
  const T0 = Date.parse('2026-11-22T05:40:00.123Z');
  const iso = (s: number) => new Date(T0 + s * 1000).toISOString();

  function watched(opts: Partial<ConsoleLogOptions>) {
    const log = openLog({ now: clock(), ...opts });
    const failed: string[] = [];
    const resumed: Array<{ bytes: number; lines: number; from: number; to: number }> = [];
    log.onWriteFailed((e) => failed.push(e.message));
    log.onWriteResumed((g) => resumed.push({ bytes: g.bytes, lines: g.lines, from: g.from, to: g.to }));
    return { log, failed, resumed };
  }

  it('counts what it cannot write and marks the gap, with bytes, lines and times, once it can', () => {
    const disk = fullDisk(Infinity);
    const { log, failed, resumed } = watched({ writeSync: disk.writeSync });
    log.append(b('line 1\r\n')); // 05:40:00
    disk.free = 4;
    log.append(b('line 2\r\nline 3\r\n')); // 05:40:01: 'line' fits, ' 2\r\nline 3\r\n' is lost
    log.append(b('line 4\r\n')); // 05:40:02: lost
    log.append(b('line 5\r\n')); // 05:40:03: lost
    expect(read()).toBe('line 1\r\nline');
    expect(failed).toEqual([`cannot write console log ${log.path}: ENOSPC (no space left on device)`]);
    expect(log.failing).toMatchObject({ bytes: 28, lines: 4, from: T0 + 1000, to: T0 + 3000 });
    expect(resumed).toEqual([]);
    disk.free = Infinity;
    log.append(b('line 6\r\n')); // 05:40:04: the marker first, then the line
    expect(read()).toBe(
      'line 1\r\nline\r\n' +
        `[umux 2026-11-22T05:40:04Z] console log lost 28 bytes (4 lines) from ${iso(1)} to ${iso(3)}: ` +
        'cannot write: ENOSPC (no space left on device); the line above is cut short\r\n' +
        'line 6\r\n',
    );
    expect(resumed).toEqual([{ bytes: 28, lines: 4, from: T0 + 1000, to: T0 + 3000 }]);
    expect(failed).toHaveLength(1);
    expect(log.failing).toBeUndefined();
  });

  it('keeps the line times paired with the lines in the file across the gap', () => {
    const disk = fullDisk(Infinity);
    const { log } = watched({ writeSync: disk.writeSync });
    log.append(b('a\r\nb\r\n')); // 05:40:00
    disk.free = 0;
    log.append(b('lost 1\r\nlost 2\r\n')); // 05:40:01
    disk.free = Infinity;
    log.append(b('c\r\nd')); // 05:40:02: marker and lines
    const lines = log.readTailWithTimes({ lines: 10 });
    expect(lines.map((l) => [l.text.slice(0, 30), l.at])).toEqual([
      ['a', T0],
      ['b', T0],
      ['[umux 2026-11-22T05:40:02Z] co', T0 + 2000],
      ['c', T0 + 2000],
      ['d', T0 + 2000],
    ]);
    expect(lines.at(-1)?.open).toBe(true);
  });

  it('says when the line after the gap starts part way, and counts lost markers', () => {
    const disk = fullDisk(Infinity);
    const { log } = watched({ writeSync: disk.writeSync });
    log.append(b('done\r\n')); // 05:40:00
    disk.free = 0;
    log.append(b('half a li')); // 05:40:01
    log.appendMarker('restarted'); // 05:40:02
    disk.free = Infinity;
    log.append(b('ne\r\n')); // 05:40:03
    expect(read()).toBe(
      'done\r\n' +
        `[umux 2026-11-22T05:40:03Z] console log lost 9 bytes (0 lines) and 1 umux marker from ${iso(1)} to ${iso(2)}: ` +
        'cannot write: ENOSPC (no space left on device); the line below starts part way\r\n' +
        'ne\r\n',
    );
  });

  it('writes a marker whole or not at all: one cut by the disk is taken back and written again later', () => {
    const disk = fullDisk(Infinity);
    const { log, resumed } = watched({ writeSync: disk.writeSync });
    log.append(b('x\n')); // 05:40:00
    disk.free = 0;
    log.append(b('y\n')); // 05:40:01: lost
    disk.free = 20;
    log.append(b('z\n')); // 05:40:02: 20 bytes of the marker fit; they are truncated away and z is lost too
    expect(read()).toBe('x\n');
    expect(resumed).toEqual([]);
    disk.free = Infinity;
    log.append(b('w\n')); // 05:40:03
    expect(read()).toBe(
      `x\n[umux 2026-11-22T05:40:03Z] console log lost 4 bytes (2 lines) from ${iso(1)} to ${iso(2)}: cannot write: ENOSPC (no space left on device)\r\nw\n`,
    );
    expect(log.bytesWritten).toBe(read().length);
  });

  it('with timestamps, counts console bytes only (not the prefixes), also when a prefix is cut', () => {
    const disk = fullDisk(Infinity);
    const { log } = watched({ writeSync: disk.writeSync, timestamps: true });
    log.append(b('a\n')); // 05:40:00
    disk.free = 27 + 4 + 10; // a prefix is 27 bytes: 'bcd\n' fits with its prefix, then 10 bytes of the next prefix
    log.append(b('bcd\nef\n')); // 05:40:01: 'ef\n' is lost, and the rest of its prefix
    disk.free = Infinity;
    log.append(b('g\n')); // 05:40:02
    expect(read()).toBe(
      '[2026-11-22T05:40:00.123Z] a\n[2026-11-22T05:40:01.123Z] bcd\n[2026-11-2\r\n' +
        `[umux 2026-11-22T05:40:02Z] console log lost 3 bytes (1 lines) from ${iso(1)} to ${iso(1)}: cannot write: ENOSPC (no space left on device); the line above is cut short\r\n` +
        '[2026-11-22T05:40:02.123Z] g\n',
    );
    expect(log.readTailWithTimes({ lines: 10 }).map((l) => l.at)).toEqual([T0, T0 + 1000, T0 + 1000, T0 + 2000, T0 + 2000]);
  });

  it('tries once per append while the disk is full (no retry loop), and marks the gap on dispose if it can', () => {
    const disk = fullDisk(Infinity);
    const log = ConsoleLog.open({ dir, console: 'con0', now: clock(), writeSync: disk.writeSync });
    log.append(b('a\n'));
    disk.free = 0;
    for (let i = 0; i < 100; i++) log.append(b(`lost ${i}\n`));
    expect(disk.failed).toBe(100);
    disk.free = Infinity;
    log.dispose();
    expect(read()).toMatch(/^a\n\[umux 2026-11-22T05:41:41Z\] console log lost 790 bytes \(100 lines\) from \S+ to \S+: cannot write: ENOSPC/);
  });
});
