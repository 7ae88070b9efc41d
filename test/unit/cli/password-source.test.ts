// Where umux login gets a password: a file of the caller's own with mode 0600 or 0400 (else refused, never quoting
// the password), or stdin (not a terminal); the first line, with no control characters.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { passwordFileProblem, passwordFromText, readPasswordFile, readPasswordStdin } from '../../../src/client/password-source.js';

const uid = process.getuid!();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-pw-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string, mode: number): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text, { mode });
  fs.chmodSync(p, mode);
  return p;
}

describe('password files', () => {
  it('takes a file of ours with mode 0600 or 0400: its first line', () => {
    expect(readPasswordFile(file('a', 'pw one\nrest\n', 0o600))).toBe('pw one');
    expect(readPasswordFile(file('b', 'pw-two\r\n', 0o400))).toBe('pw-two');
  });

  it('refuses other modes, other owners and links, never quoting the password', () => {
    const open = file('c', 'hunter2\n', 0o640);
    expect(() => readPasswordFile(open)).toThrow(`password file ${open} has mode 0640: refused, it must be 0600 or 0400`);
    try {
      readPasswordFile(open);
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2');
    }
    expect(passwordFileProblem('f', { isFile: true, uid: uid + 1, mode: 0o100600, size: 5 }, uid)?.message).toBe(`password file f belongs to uid ${uid + 1}, not to you (uid ${uid}): refused`);
    expect(passwordFileProblem('f', { isFile: false, uid, mode: 0o600, size: 0 }, uid)?.message).toBe('password file f is not a regular file');
    const link = path.join(dir, 'link');
    fs.symlinkSync(file('d', 'x\n', 0o600), link);
    expect(() => readPasswordFile(link)).toThrow(/it is a symbolic link/);
    expect(() => readPasswordFile(path.join(dir, 'missing'))).toThrow(/no such file/);
  });

  it('refuses an empty first line and control characters, saying where', () => {
    expect(() => passwordFromText('\nsecond', 'stdin')).toThrow('no password in stdin: its first line is empty');
    expect(() => passwordFromText('ab\x1bc', 'stdin')).toThrow('the password in stdin holds a control character at position 3');
  });
});

describe('password on stdin', () => {
  it('reads the first line without waiting for the end', async () => {
    const input = new PassThrough() as unknown as NodeJS.ReadStream;
    const got = readPasswordStdin(input, 2000);
    (input as unknown as PassThrough).write('from-pipe\n');
    expect(await got).toBe('from-pipe');
    // Let go of stdin: a writer keeping the pipe open must not keep umux running.
    expect((input as unknown as PassThrough).destroyed).toBe(true);
  });

  it('times out when nothing comes, and refuses a terminal', async () => {
    const input = new PassThrough() as unknown as NodeJS.ReadStream;
    await expect(readPasswordStdin(input, 50)).rejects.toThrow('no password on stdin within 50 ms');
    const tty = Object.assign(new PassThrough(), { isTTY: true }) as unknown as NodeJS.ReadStream;
    await expect(readPasswordStdin(tty, 50)).rejects.toThrow('--password-stdin reads a pipe or a file, not a terminal');
  });
});
