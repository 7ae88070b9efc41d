// Console bytes as lines for umux wait/run/login: escape sequences split across chunks, CR LF and a lone CR,
// the line being written, and UTF-8 split across chunks.

import { describe, expect, it } from 'vitest';
import { ConsoleText, incompleteTail, MAX_LINE_CHARS } from '../../../src/cli/console-text.js';

const bytes = (s: string) => new TextEncoder().encode(s);

function feed(chunks: string[]): { lines: string[]; text: ConsoleText } {
  const text = new ConsoleText();
  const lines = chunks.flatMap((c) => text.push(bytes(c)));
  return { lines, text };
}

describe('incompleteTail', () => {
  it('holds an ESC, a CSI without its final byte, an unterminated OSC, and a CR', () => {
    expect(incompleteTail('ab\x1b')).toBe(2);
    expect(incompleteTail('ab\x1b[6')).toBe(2);
    expect(incompleteTail('ab\x1b]0;title')).toBe(2);
    expect(incompleteTail('ab\x1b]0;title\x1b')).toBe(2);
    expect(incompleteTail('ab\r')).toBe(2);
  });

  it('lets whole sequences through', () => {
    for (const whole of ['ab\x1b[6n', 'ab\x1b]0;t\x07', 'ab\x1b]0;t\x1b\\', 'ab\x1b(B', 'plain']) expect(incompleteTail(whole)).toBe(whole.length);
  });
});

describe('ConsoleText', () => {
  it('gives complete lines without CR or escape sequences, and keeps the partial line', () => {
    const { lines, text } = feed(['\x1b[1mbold\x1b[0m line\r\n', 'next\r\n/ # \x1b[6n']);
    expect(lines).toEqual(['bold line', 'next']);
    expect(text.partial).toBe('/ # ');
    expect(text.lastLine).toBe('/ # ');
  });

  it('joins a sequence and a CR LF split across chunks', () => {
    const { lines, text } = feed(['one\x1b[3', '1mred\x1b[0m\r', '\ntwo\x1b]0;ti', 'tle\x07 end\r', '\n']);
    expect(lines).toEqual(['onered', 'two end']);
    expect(text.partial).toBe('');
    expect(text.lastLine).toBe('two end');
  });

  it('starts the line again at a lone CR (a progress counter shows its last state)', () => {
    const { lines } = feed(['10%\r20%\r', '100%\r\n']);
    expect(lines).toEqual(['100%']);
  });

  it('decodes UTF-8 split across chunks', () => {
    const all = bytes('grüße\n');
    const text = new ConsoleText();
    expect(text.push(all.subarray(0, 4))).toEqual([]);
    expect(text.push(all.subarray(4))).toEqual(['grüße']);
  });

  it('keeps the end of an endless line', () => {
    const { text } = feed(['x'.repeat(MAX_LINE_CHARS + 10), 'END']);
    expect(text.partial.length).toBe(MAX_LINE_CHARS);
    expect(text.partial.endsWith('END')).toBe(true);
  });

  it('reports the seeded line (from the screen) as the last until output comes', () => {
    const text = new ConsoleText();
    text.seed('login: ');
    expect(text.lastLine).toBe('login: ');
    text.push(bytes('more\n'));
    expect(text.lastLine).toBe('more');
  });
});
