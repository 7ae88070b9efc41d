// What umux run prints: the echo of the command taken off (also when wrapped over lines, or missing), the prompt
// matched on the line being written, and typed text and user patterns checked.

import { describe, expect, it } from 'vitest';
import { CommandTranscript, MAX_OUTPUT_CHARS, promptShown, typedLine, userRegExp } from '../../../src/cli/command-output.js';
import { DEFAULT_PROMPT } from '../../../src/commands/cmd-run.js';

function transcript(command: string, lines: string[]): CommandTranscript {
  const t = new CommandTranscript(command);
  for (const l of lines) t.add(l);
  return t;
}

describe('CommandTranscript', () => {
  it('takes off the echo line, prompt and all', () => {
    expect(transcript('uname -r', ['/ # uname -r', '6.1.0']).output()).toEqual(['6.1.0']);
  });

  it('takes off an echo wrapped over several lines', () => {
    const cmd = `echo ${'x'.repeat(100)}`;
    expect(transcript(cmd, [`/ # ${cmd.slice(0, 76)}`, cmd.slice(76), 'x'.repeat(100)]).output()).toEqual(['x'.repeat(100)]);
  });

  it('takes the first line as the echo when no line echoes the command', () => {
    expect(transcript('secret-cmd', ['', 'out1', 'out2']).output()).toEqual(['out1', 'out2']);
  });

  it('an empty command: its echo is the first line', () => {
    expect(transcript('', ['/ # ', 'x']).output()).toEqual(['x']);
  });

  it('counts the lines it has seen, so the prompt is looked for only after the echo line ended', () => {
    expect(new CommandTranscript('ls').linesSeen).toBe(0);
    expect(transcript('ls', ['/ # ls']).linesSeen).toBe(1);
  });

  it('keeps at most MAX_OUTPUT_CHARS and counts the rest', () => {
    const big = 'y'.repeat(MAX_OUTPUT_CHARS / 2);
    const t = transcript('c', ['c', big, big, 'z']);
    expect(t.output()).toEqual([big]);
    expect(t.dropped).toBe(big.length + 1 + 2);
  });
});

describe('prompts and typed text', () => {
  const prompt = userRegExp(DEFAULT_PROMPT, '--prompt');

  it('the default prompt: # or $ and a space ending the line being written', () => {
    for (const p of ['/ # ', 'dc:/tmp$ ', 'user@host:~$ ', 'root@web1:/# ']) expect(promptShown(p, prompt)).toBe(true);
    for (const p of ['', '/ #', 'cost: 5$ and more', 'login: ', 'Password: ']) expect(promptShown(p, prompt)).toBe(false);
  });

  it('refuses a pattern that is no regular expression, quoting it', () => {
    expect(() => userRegExp('(unclosed', 'PATTERN')).toThrow(/PATTERN is not a regular expression: "\(unclosed"/);
  });

  it('refuses typed text with a control character (a newline would run a second command)', () => {
    expect(typedLine('echo ok', 'COMMAND')).toBe('echo ok');
    expect(() => typedLine('ls\nrm -rf /', 'COMMAND')).toThrow(/one line of printable text, got a control character \(code 10\) at 2/);
    expect(() => typedLine('a\tb', 'COMMAND')).toThrow(/code 9/);
  });
});
