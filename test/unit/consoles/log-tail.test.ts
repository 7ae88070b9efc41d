// The last N lines of a console log (sync readTail and async readLogTail), across rotated files, and where logs live.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleLog, defaultLogRoot, readLogTail } from '../../../src/consoles/logfile.js';
import { UmuxError } from '../../../src/core/errors.js';

let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-tail-'));
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

const numbered = (from: number, to: number): string =>
  Array.from({ length: to - from }, (_, i) => `line ${String(from + i).padStart(2, '0')}\n`).join('');

async function bothTails(log: ConsoleLog, lines: number): Promise<string> {
  const sync = log.readTail({ lines });
  expect(await readLogTail(root, 'con0', lines)).toBe(sync);
  return sync;
}

describe('readTail and readLogTail', () => {
  it('give the last N lines like tail -n, with or without a final newline', async () => {
    const log = ConsoleLog.open({ dir: root, console: 'con0' });
    log.append(Buffer.from('a\r\nb\r\nc\r\n'));
    expect(await bothTails(log, 2)).toBe('b\r\nc\r\n');
    expect(await bothTails(log, 3)).toBe('a\r\nb\r\nc\r\n');
    expect(await bothTails(log, 10)).toBe('a\r\nb\r\nc\r\n');
    expect(await bothTails(log, 0)).toBe('');
    log.append(Buffer.from('prompt# '));
    expect(await bothTails(log, 2)).toBe('c\r\nprompt# ');
    log.append(Buffer.from('\n\n'));
    expect(await bothTails(log, 2)).toBe('prompt# \n\n');
    log.dispose();
  });

  it('reach into rotated files when the current one is short', async () => {
    // 8-byte lines, 20-byte files: each file holds two whole lines.
    const log = ConsoleLog.open({ dir: root, console: 'con0', maxBytes: 20, keep: 3 });
    log.append(Buffer.from(numbered(0, 12))); // lines 00-03 were dropped, .3 holds 04-05
    expect(fs.readdirSync(root).sort()).toEqual(['con0.log', 'con0.log.1', 'con0.log.2', 'con0.log.3']);
    expect(await bothTails(log, 1)).toBe(numbered(11, 12));
    expect(await bothTails(log, 4)).toBe(numbered(8, 12));
    expect(await bothTails(log, 7)).toBe(numbered(5, 12));
    expect(await bothTails(log, 100)).toBe(numbered(4, 12));
    log.dispose();
  });

  it('start with what is left of a line whose head went with a dropped file', async () => {
    fs.writeFileSync(path.join(root, 'con0.log.1'), ' 02\nline 03\n');
    fs.writeFileSync(path.join(root, 'con0.log'), 'line 04\n');
    const log = ConsoleLog.open({ dir: root, console: 'con0', maxBytes: 20, keep: 3 });
    expect(await bothTails(log, 2)).toBe(numbered(3, 5));
    expect(await bothTails(log, 100)).toBe(` 02\n${numbered(3, 5)}`);
    log.dispose();
  });

  it('read far back in more than one chunk, and decode UTF-8 cut by a chunk edge', async () => {
    const log = ConsoleLog.open({ dir: root, console: 'con0' });
    const line = `${'ž'.repeat(10_000)}\n`; // 20,001 bytes: chunks of 64 KiB cut characters
    for (let i = 0; i < 10; i++) log.append(Buffer.from(line));
    expect(await bothTails(log, 7)).toBe(line.repeat(7));
    log.dispose();
  });

  it('readLogTail fails with an io error when there is no log', async () => {
    const error = await readLogTail(root, 'con9', 5).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(UmuxError);
    expect((error as UmuxError).code).toBe('io');
    expect((error as UmuxError).message).toBe(`cannot read console log ${path.join(root, 'con9.log')}: ENOENT (no such file)`);
  });
});

describe('defaultLogRoot', () => {
  it('prefers UMUX_STATE_DIR, then an absolute XDG_STATE_HOME, then ~/.local/state', () => {
    expect(defaultLogRoot({ UMUX_STATE_DIR: '/s', XDG_STATE_HOME: '/x', HOME: '/h' })).toBe('/s/logs');
    expect(defaultLogRoot({ XDG_STATE_HOME: '/x', HOME: '/h' })).toBe('/x/umux/logs');
    expect(defaultLogRoot({ XDG_STATE_HOME: 'relative', HOME: '/h' })).toBe('/h/.local/state/umux/logs');
    expect(defaultLogRoot({ HOME: '/h' })).toBe('/h/.local/state/umux/logs');
  });
});
