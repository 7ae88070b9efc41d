// Meters as cells: a bar in eighths visible from the first byte, an empty track at 0, the mem= layer with its mark,
// over-commit past the filesystem's end, colour levels, and markup with no colour under NO_COLOR.

import { describe, expect, it } from 'vitest';
import { compactBytes, fitSegs, levelOf, meterCells, meterLevel, meterSegs, segsMarkup, segsWidth, type MeterStyle } from '../../../src/tui/meter.js';

const text = (cells: { ch: string }[]) => cells.map((c) => c.ch).join('');
const STYLE: MeterStyle = { ok: 'cyan', warn: 'yellow', danger: 'red', track: 'gray', mark: 'magenta', levels: { warn: 75, danger: 90 } };

describe('meterCells', () => {
  it('draws an empty track at 0 and for a whole of 0 (no swap)', () => {
    expect(text(meterCells(10, { used: 0, size: 100 }))).toBe('··········');
    expect(text(meterCells(10, { used: 0, size: 0 }))).toBe('··········');
  });

  it('shows the first byte, 1 % and eighths of a cell', () => {
    expect(text(meterCells(10, { used: 1, size: 10 ** 9 }))).toBe('▏·········');
    expect(text(meterCells(10, { used: 1, size: 100 }))).toBe('▏·········');
    expect(text(meterCells(10, { used: 37, size: 100 }))).toBe('███▊······');
    expect(text(meterCells(10, { used: 100, size: 100 }))).toBe('██████████');
  });

  it('draws the mem= layer up to the cell holding the total, with the mark there', () => {
    const cells = meterCells(10, { used: 20, size: 100, committed: 55 });
    expect(text(cells)).toBe('██░░░┃····');
    expect(cells.map((c) => c.role)).toEqual(['fill', 'fill', 'commit', 'commit', 'commit', 'mark', 'track', 'track', 'track', 'track']);
  });

  it('keeps the used glyph where the bar already reaches the mark, in the mark role', () => {
    const cells = meterCells(10, { used: 80, size: 100, committed: 50 });
    expect(text(cells)).toBe('████████··');
    expect(cells[4]!.role).toBe('mark');
  });

  it('scales to the mem= total when it passes the end, drawing the part past the end as over-commit', () => {
    // 150 of a 100 filesystem on 12 cells: the filesystem ends at cell 8, the rest is over.
    const cells = meterCells(12, { used: 50, size: 100, committed: 150 });
    expect(text(cells)).toBe('████░░░░▓▓▓┃');
    expect(cells.slice(8).map((c) => c.role)).toEqual(['over', 'over', 'over', 'mark']);
  });

  it('can leave the mark out', () => {
    expect(text(meterCells(10, { used: 0, size: 100, committed: 30, mark: false }))).toBe('░░░·······');
  });
});

describe('levels', () => {
  it('changes at the theme thresholds; a mem= total past the end is danger', () => {
    expect([10, 75, 89, 90].map((p) => levelOf(p, STYLE.levels))).toEqual(['ok', 'warn', 'warn', 'danger']);
    expect(meterLevel({ used: 10, size: 100, committed: 101 }, STYLE.levels)).toBe('danger');
    expect(meterLevel({ used: 10, size: 100, committed: 80 }, STYLE.levels)).toBe('warn');
    expect(meterLevel({ used: 0, size: 0 }, STYLE.levels)).toBe('ok');
  });
});

describe('markup', () => {
  it('colours fill by level, track, layer and over-commit; no tags at all for default colours', () => {
    const cells = meterCells(6, { used: 50, size: 100, committed: 150 });
    expect(segsMarkup(meterSegs(cells, 'danger', STYLE))).toBe('{red-fg}██{/}{magenta-fg}░░{/}{red-fg}▓{/}{magenta-fg}┃{/}');
    const mono = { ...STYLE, ok: 'default', warn: 'default', danger: 'default', track: 'default', mark: 'default' };
    expect(segsMarkup(meterSegs(cells, 'danger', mono))).toBe('██░░▓┃');
  });

  it('fits segments to a width and escapes braces', () => {
    expect(segsWidth(fitSegs([{ text: 'abc' }, { text: 'def', fg: 'red' }], 4))).toBe(4);
    expect(segsMarkup(fitSegs([{ text: 'a{b}' }], 6))).toBe('a{open}b{close}  ');
  });
});

describe('compactBytes', () => {
  it('fits five columns', () => {
    expect([0, 512, 512 * 1024, 502 * 2 ** 20, 1.5 * 2 ** 30, 23.5 * 2 ** 30, 1000 * 2 ** 20].map(compactBytes)).toEqual(['0', '512B', '512K', '502M', '1.5G', '24G', '1G']);
  });
});
