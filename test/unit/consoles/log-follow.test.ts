// followLog (`umux log -f`): new bytes in order, across rotations (also several between two looks), a log that does
// not exist yet, and the opening tail lines with nothing lost or doubled at the seam.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Disposable } from '../../../src/core/disposable.js';
import { ConsoleLog, followLog, type FollowOptions } from '../../../src/consoles/logfile.js';

let root: string;
const owned: Disposable[] = [];

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-follow-'));
});

afterEach(() => {
  for (const d of owned.splice(0).reverse()) d.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

function own<T extends Disposable>(d: T): T {
  owned.push(d);
  return d;
}

function follow(opts: FollowOptions = {}, dir = root): { text: () => string; chunks: Uint8Array[] } {
  const chunks: Uint8Array[] = [];
  own(followLog(dir, 'con0', (bytes) => void chunks.push(bytes), { pollMs: 20, ...opts }));
  return { chunks, text: () => Buffer.concat(chunks).toString('utf8') };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('followLog', () => {
  it('delivers what is appended after it starts, not what was there before', async () => {
    const log = own(ConsoleLog.open({ dir: root, console: 'con0' }));
    log.append(Buffer.from('old\n'));
    const seen = follow();
    log.append(Buffer.from('new 1\n'));
    await vi.waitFor(() => expect(seen.text()).toBe('new 1\n'));
    log.append(Buffer.from('new 2\n'));
    await vi.waitFor(() => expect(seen.text()).toBe('new 1\nnew 2\n'));
  });

  it('is woken by fs.watch, not only by the poll', async () => {
    const log = own(ConsoleLog.open({ dir: root, console: 'con0' }));
    const seen = follow({ pollMs: 60_000 });
    log.append(Buffer.from('watched\n'));
    await vi.waitFor(() => expect(seen.text()).toBe('watched\n'), { timeout: 2000 });
  });

  it('survives rotation, one at a time and several between two looks', async () => {
    const log = own(ConsoleLog.open({ dir: root, console: 'con0', maxBytes: 16, keep: 5 }));
    const seen = follow();
    let expected = '';
    for (let i = 0; i < 6; i++) {
      const line = `line ${i} ${'.'.repeat(i)}\n`;
      expected += line;
      log.append(Buffer.from(line));
      await vi.waitFor(() => expect(seen.text()).toBe(expected));
    }
    // Synchronous appends: three rotations happen before the follower can look again.
    const burst = 'abcdefghijklmnopqrstuvwxyz'.repeat(2);
    log.append(Buffer.from(burst));
    expected += burst;
    await vi.waitFor(() => expect(seen.text()).toBe(expected));
  });

  it('polls for a log whose directory does not exist yet, then follows it past a rotation that drops its file', async () => {
    const dir = path.join(root, 'later');
    const seen = follow({ pollMs: 10 }, dir);
    await wait(50);
    const log = own(ConsoleLog.open({ dir, console: 'con0', maxBytes: 8, keep: 1 }));
    log.append(Buffer.from('first '));
    await vi.waitFor(() => expect(seen.text()).toBe('first '));
    log.append(Buffer.from('then rotated\n'));
    await vi.waitFor(() => expect(seen.text()).toBe('first then rotated\n'));
  });

  it('starts with the last N lines, then continues exactly where they end', async () => {
    const log = own(ConsoleLog.open({ dir: root, console: 'con0', maxBytes: 10, keep: 3 }));
    log.append(Buffer.from('one\ntwo\nthree\nfour\n'));
    const seen = follow({ lines: 3 });
    expect(seen.text()).toBe('two\nthree\nfour\n'); // delivered before followLog returned
    log.append(Buffer.from('five\n'));
    await vi.waitFor(() => expect(seen.text()).toBe('two\nthree\nfour\nfive\n'));
  });

  it('picks up a 2 MB burst complete and in order', async () => {
    const log = own(ConsoleLog.open({ dir: root, console: 'con0', maxBytes: 256 * 1024, keep: 20 }));
    const seen = follow();
    let text = '';
    for (let i = 0; text.length < 2 * 1024 * 1024; i++) text += `burst ${i}\n`;
    const bytes = Buffer.from(text);
    for (let at = 0; at < bytes.length; at += 65536) {
      log.append(bytes.subarray(at, at + 65536));
      if (at % (4 * 65536) === 0) await wait(1);
    }
    await vi.waitFor(() => expect(Buffer.concat(seen.chunks).length).toBe(bytes.length), { timeout: 5000 });
    expect(Buffer.concat(seen.chunks).equals(bytes)).toBe(true);
  });

  it('lets an error thrown by onData through as it is, not as a read failure', () => {
    own(ConsoleLog.open({ dir: root, console: 'con0' })).append(Buffer.from('x\n'));
    const boom = new Error('listener bug');
    expect(() =>
      followLog(root, 'con0', () => {
        throw boom;
      }, { lines: 1 }),
    ).toThrow(boom);
  });

  it('stops delivering once disposed', async () => {
    const log = own(ConsoleLog.open({ dir: root, console: 'con0' }));
    const chunks: Uint8Array[] = [];
    const follower = followLog(root, 'con0', (b) => void chunks.push(b), { pollMs: 10 });
    follower.dispose();
    follower.dispose();
    log.append(Buffer.from('unseen\n'));
    await wait(60);
    expect(chunks).toEqual([]);
  });
});
