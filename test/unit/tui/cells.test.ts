// Console cells as blessed's screen cells: text kept (no markup), attributes and colours packed as blessed packs
// them over the box's own, the cursor inverse, wide characters in two columns, control characters never through.

import blessed from 'blessed';
import { describe, expect, it } from 'vitest';
import { Screen } from '../../../src/term/screen.js';
import { escapeTags, rowCells, WIDE_TRAIL } from '../../../src/tui/cells.js';

/** The row's cells as text (attributes left out) and the attributes that differ from the base, by column. */
async function row(data: string, width = 12, cursor?: number, colors = true): Promise<{ text: string; attrs: Record<number, number> }> {
  const s = new Screen({ cols: 20, rows: 3, scrollback: 0 });
  await s.write(data);
  const b = s.buffer;
  const cells = rowCells(b.getLine(b.baseY), width, b.getNullCell(), { colors, base: BASE, ...(cursor === undefined ? {} : { cursor }) });
  s.dispose();
  const attrs: Record<number, number> = {};
  cells.forEach(([a], x) => {
    if (a !== BASE) attrs[x] = a;
  });
  return { text: cells.map(([, ch]) => ch).join(''), attrs };
}

/** The box's own attribute: default colours (0x1ff), no flags. */
const BASE = (0x1ff << 9) | 0x1ff;
const attr = (flags: number, fg: number, bg: number) => (flags << 18) | (fg << 9) | bg;

describe('rowCells', () => {
  it('writes plain text padded to the width, in the box\'s attribute', async () => {
    expect(await row('hello')).toEqual({ text: 'hello       ', attrs: {} });
  });
  it('keeps braces as text: no markup is parsed', async () => {
    expect((await row('{bold}x')).text).toBe('{bold}x     ');
  });
  it('turns SGR bold and colours into blessed attributes (palette index, or the nearest of 256 for RGB)', async () => {
    expect(await row('\x1b[1;31mR\x1b[0m.', 3)).toEqual({ text: 'R. ', attrs: { 0: attr(1, 1, 0x1ff) } });
    const rgb = await row('\x1b[38;2;255;0;0mT\x1b[0m', 2);
    expect((rgb.attrs[0]! >> 9) & 0x1ff).toBe((blessed as unknown as { colors: { match(r: number, g: number, b: number): number } }).colors.match(255, 0, 0));
    expect((await row('\x1b[31;44mC', 2, undefined, false)).attrs).toEqual({});
  });
  it('lays the cell over the box\'s colours where the cell has the default', async () => {
    const s = new Screen({ cols: 5, rows: 1, scrollback: 0 });
    await s.write('\x1b[1mb');
    const base = attr(0, 7, 4);
    const cells = rowCells(s.buffer.getLine(0), 2, s.buffer.getNullCell(), { colors: true, base });
    s.dispose();
    expect(cells).toEqual([[attr(1, 7, 4), 'b'], [base, ' ']]);
  });
  it('marks the cursor cell inverse, past the end of the line too', async () => {
    expect((await row('ab', 3, 1)).attrs).toEqual({ 1: attr(8, 0x1ff, 0x1ff) });
    expect((await row('ab', 4, 3)).attrs).toEqual({ 3: attr(8, 0x1ff, 0x1ff) });
  });
  it('keeps a wide character in two columns (the second skipped by blessed), a blank when it would straddle the edge', async () => {
    expect((await row('a\u4e2db', 5)).text).toBe(`a\u4e2d${WIDE_TRAIL}b `);
    expect((await row('abc\u4e2d', 4)).text).toBe('abc ');
  });
  it('never passes control characters through', async () => {
    const { text } = await row('a\u200fb\u0301', 4);
    expect(text).not.toMatch(/[\x00-\x02\x04-\x1f\x7f-\x9f]/);
  });
});

describe('escapeTags', () => {
  it('escapes blessed tag braces', () => {
    expect(escapeTags('a{b}c')).toBe('a{open}b{close}c');
  });
  it('shows control characters in escaped text: blessed would apply ESC [ … m and pass C1 to the terminal', () => {
    expect(escapeTags('\x1b[8mhidden\x1b[0m')).toBe('^[[8mhidden^[[0m');
    expect(escapeTags('\x1b]52;c;eA==\x07{x}\u009d0;t\u009c')).toBe('^[]52;c;eA==^G{open}x{close}\\x9d0;t\\x9c');
    expect(escapeTags('two\nlines\tand a tab')).toBe('two\nlines\tand a tab');
  });
});
