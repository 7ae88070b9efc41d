// Pane tiling: every layout covers the area exactly (neighbours share one border line), zoom, and tiny areas.

import { describe, expect, it } from 'vitest';
import { paneRects, type Rect } from '../../../src/tui/layout.js';

const area: Rect = { left: 26, top: 0, width: 174, height: 59 };
const narrow: Rect = { left: 26, top: 0, width: 74, height: 29 };

/** Cells covered by the rects' interiors plus borders, counting shared borders once. */
function covered(rects: Rect[]): Set<string> {
  const cells = new Set<string>();
  for (const r of rects) for (let x = r.left; x < r.left + r.width; x++) for (let y = r.top; y < r.top + r.height; y++) cells.add(`${x},${y}`);
  return cells;
}

describe('paneRects', () => {
  it('gives one pane the whole area', () => {
    expect(paneRects(1, area)).toEqual([area]);
  });

  it('puts two panes side by side on a wide area, sharing the border column', () => {
    const [a, b] = paneRects(2, area) as Rect[];
    expect(a!.top).toBe(0);
    expect(b!.top).toBe(0);
    expect(a!.height).toBe(59);
    expect(b!.left).toBe(a!.left + a!.width - 1);
    expect(b!.left + b!.width).toBe(area.left + area.width);
  });

  it('stacks two panes on a narrow area', () => {
    const [a, b] = paneRects(2, narrow) as Rect[];
    expect(a!.width).toBe(74);
    expect(b!.top).toBe(a!.top + a!.height - 1);
    expect(b!.top + b!.height).toBe(29);
  });

  it.each([2, 3, 4])('covers every cell of the area with %i panes and nothing outside it', (n) => {
    for (const a of [area, narrow, { left: 26, top: 0, width: 14, height: 9 }]) {
      const rects = paneRects(n, a) as Rect[];
      expect(rects).toHaveLength(n);
      const cells = covered(rects);
      expect(cells.size).toBe(a.width * a.height);
      for (const r of rects) {
        expect(r.left).toBeGreaterThanOrEqual(a.left);
        expect(r.top + r.height).toBeLessThanOrEqual(a.top + a.height);
        expect(r.width).toBeGreaterThan(0);
        expect(r.height).toBeGreaterThan(0);
      }
    }
  });

  it('makes four panes a 2x2 grid', () => {
    const r = paneRects(4, area) as Rect[];
    expect(r[0]!.top).toBe(r[1]!.top);
    expect(r[2]!.top).toBe(r[3]!.top);
    expect(r[0]!.left).toBe(r[2]!.left);
    expect(r[2]!.top).toBeGreaterThan(r[0]!.top);
  });

  it('gives the zoomed pane everything and hides the others', () => {
    expect(paneRects(3, area, 1)).toEqual([undefined, area, undefined]);
  });

  it('ignores a zoom index that names no pane', () => {
    expect(paneRects(2, area, 5).every((r) => r !== undefined)).toBe(true);
  });
});
