// followLog's places (issue 11, clients ride through a server restart): every chunk says where it ends in the log,
// a follow resumes after such a place (in the current file or one rotated since) with no byte twice or missing, a
// place the log rotated past is said, and a listener that returns false pauses the reading without losing bytes.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Disposable } from '../../../src/core/disposable.js';
import { ConsoleLog, followLog } from '../../../src/consoles/logfile.js';
import type { LogCursor, LogPosition } from '../../../src/consoles/log-follow.js';

let root: string;
const owned: Disposable[] = [];

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-resume-'));
});

afterEach(() => {
  for (const d of owned.splice(0).reverse()) d.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

function own<T extends Disposable>(d: T): T {
  owned.push(d);
  return d;
}

/** A follower that records its text and the place its last chunk ended. */
function follower(opts: { lines?: number; from?: LogCursor } = {}) {
  let text = '';
  let at: LogPosition | undefined;
  const notices: string[] = [];
  const f = own(followLog(root, 'con0', (b, p) => {
    text += Buffer.from(b).toString('utf8');
    at = p;
  }, { pollMs: 10, onNotice: (n) => notices.push(n), ...opts }));
  return { text: () => text, at: () => at, notices, follow: f };
}

describe('followLog places and resume', () => {
  it('resumes in the same file after the place its last chunk ended: nothing twice, nothing lost', async () => {
    const log = own(ConsoleLog.open({ dir: root, console: 'con0' }));
    log.append(Buffer.from('one\ntwo\n'));
    const a = follower({ lines: 1 });
    expect(a.text()).toBe('two\n');
    log.append(Buffer.from('three\nfou'));
    await vi.waitFor(() => expect(a.text()).toBe('two\nthree\nfou'));
    const place = a.at()!;
    a.follow.dispose();
    log.append(Buffer.from('r\nfive\n')); // written while nobody follows
    const b = follower({ from: { ino: place.ino, born: place.born, offset: place.end } });
    expect(b.follow.startsLine).toBe(false);
    await vi.waitFor(() => expect(b.text()).toBe('r\nfive\n'));
    log.append(Buffer.from('six\n'));
    await vi.waitFor(() => expect(b.text()).toBe('r\nfive\nsix\n'));
  });

  it('resumes in a file rotated since, then reads every newer one and the current file', async () => {
    const log = own(ConsoleLog.open({ dir: root, console: 'con0', maxBytes: 16, keep: 20 }));
    log.append(Buffer.from('a1\n'));
    const a = follower();
    log.append(Buffer.from('a2\n'));
    await vi.waitFor(() => expect(a.text()).toBe('a2\n'));
    const place = a.at()!;
    a.follow.dispose();
    let missed = '';
    for (let i = 0; i < 8; i++) {
      const line = `missed line ${i}\n`;
      missed += line;
      log.append(Buffer.from(line));
    }
    expect(fs.existsSync(path.join(root, 'con0.log.2'))).toBe(true);
    const b = follower({ from: { ino: place.ino, born: place.born, offset: place.end } });
    await vi.waitFor(() => expect(b.text()).toBe(missed));
    expect(b.notices).toEqual([]);
  });

  it('says so when the log rotated past its place, and goes on from the oldest file kept', async () => {
    // keep 1: the file of its place is deleted; ext4 and tmpfs give its inode to the next new file at once.
    const log = own(ConsoleLog.open({ dir: root, console: 'con0', maxBytes: 16, keep: 1 }));
    log.append(Buffer.from('x\n'));
    const a = follower();
    log.append(Buffer.from('y\n'));
    await vi.waitFor(() => expect(a.at()).toBeDefined());
    const place = a.at()!;
    a.follow.dispose();
    for (let i = 0; i < 6; i++) log.append(Buffer.from(`later line ${i}\n`));
    const b = follower({ from: { ino: place.ino, born: place.born, offset: place.end } });
    expect(b.notices.join('')).toMatch(/rotated past the place this follow had reached/);
    await vi.waitFor(() => expect(b.text()).toContain('later line 5\n'));
  });

  it('from inode 0 (no place known) reads the log from the start of the oldest file kept', async () => {
    const log = own(ConsoleLog.open({ dir: root, console: 'con0' }));
    log.append(Buffer.from('first\nsecond\n'));
    const b = follower({ from: { ino: 0, offset: 0 } });
    await vi.waitFor(() => expect(b.text()).toBe('first\nsecond\n'));
    expect(b.notices).toEqual([]);
  });

  it('pauses while the listener returns false and resumes with every byte in order', async () => {
    const log = own(ConsoleLog.open({ dir: root, console: 'con0' }));
    const chunks: Buffer[] = [];
    let open = false;
    const f = own(followLog(root, 'con0', (b) => {
      chunks.push(Buffer.from(b));
      return open;
    }, { pollMs: 10 }));
    const big = Buffer.from('0123456789abcdef\n'.repeat(20_000)); // 340 KB: several 64 KiB chunks
    log.append(big);
    await vi.waitFor(() => expect(chunks.length).toBe(1));
    await new Promise((r) => setTimeout(r, 60));
    expect(chunks.length).toBe(1); // paused: the poll does not read on
    open = true;
    f.resume();
    await vi.waitFor(() => expect(Buffer.concat(chunks).length).toBe(big.length));
    expect(Buffer.concat(chunks).equals(big)).toBe(true);
  });
});
