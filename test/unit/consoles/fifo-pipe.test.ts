// The pipe for con0's output: a real FIFO in a private directory, opened at both ends and gone from the directory.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openPipe } from '../../../src/consoles/fifo-pipe.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('openPipe', () => {
  it('gives both ends of one pipe and leaves nothing in the directory', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umux-pipe-'));
    dirs.push(dir);
    const p = await openPipe(dir);
    try {
      expect(fs.readdirSync(dir)).toEqual([]);
      expect(fs.fstatSync(p.read).isFIFO()).toBe(true);
      // Many small writes share the pipe's buffer (a socketpair would hold far fewer).
      const line = Buffer.from('x'.repeat(79) + '\n');
      for (let i = 0; i < 500; i++) fs.writeSync(p.write, line);
      const got = Buffer.alloc(64 * 1024);
      expect(fs.readSync(p.read, got)).toBe(500 * 80);
    } finally {
      fs.closeSync(p.read);
      fs.closeSync(p.write);
    }
  });

  it('fails with errno where no FIFO can be made', async () => {
    await expect(openPipe('/nonexistent-umux-dir')).rejects.toMatchObject({ message: expect.stringContaining('mkfifo failed') });
  });
});
