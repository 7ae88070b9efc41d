// Console cells as blessed markup: text kept, braces escaped, attributes and colours as tags, the cursor inverse,
// wide characters once, control characters never through.

import { describe, expect, it } from 'vitest';
import { Screen } from '../../../src/term/screen.js';
import { escapeTags, rowMarkup } from '../../../src/tui/cells.js';

async function row(data: string, width = 12, cursor?: number): Promise<string> {
  const s = new Screen({ cols: 20, rows: 3, scrollback: 0 });
  await s.write(data);
  const b = s.buffer;
  const out = rowMarkup(b.getLine(b.baseY), width, b.getNullCell(), { colors: true, ...(cursor === undefined ? {} : { cursor }) });
  s.dispose();
  return out;
}

describe('rowMarkup', () => {
  it('writes plain text padded to the width', async () => {
    expect(await row('hello')).toBe('hello       ');
  });
  it('escapes blessed tag braces', async () => {
    expect(await row('{bold}x')).toBe('{open}bold{close}x     ');
    expect(escapeTags('a{b}c')).toBe('a{open}b{close}c');
  });
  it('shows control characters in escaped text: blessed would apply ESC [ … m and pass C1 to the terminal', () => {
    expect(escapeTags('\x1b[8mhidden\x1b[0m')).toBe('^[[8mhidden^[[0m');
    expect(escapeTags('\x1b]52;c;eA==\x07{x}\u009d0;t\u009c')).toBe('^[]52;c;eA==^G{open}x{close}\\x9d0;t\\x9c');
    expect(escapeTags('two\nlines\tand a tab')).toBe('two\nlines\tand a tab');
  });
  it('turns SGR bold and colours into tags and closes them', async () => {
    expect(await row('\x1b[1;31mR\x1b[0m.', 3)).toBe('{bold}{#cd0000-fg}R{/}. ');
    expect(await row('\x1b[38;2;1;2;3mT\x1b[0m', 2)).toBe('{#010203-fg}T{/} ');
  });
  it('marks the cursor cell inverse', async () => {
    expect(await row('ab', 3, 1)).toBe('a{inverse}b{/} ');
  });
  it('writes a wide character once, and a blank when it would straddle the edge', async () => {
    expect(await row('a\u4e2db', 5)).toBe('a\u4e2db ');
    expect(await row('abc\u4e2d', 4)).toBe('abc ');
  });
});
