// The workspace's bookkeeping without a terminal: panes added after the focused one, closed, zoomed, cycled; which
// guest prefix n/p and a split show.

import { describe, expect, it } from 'vitest';
import { PaneSlots, splitTarget, stepGuest } from '../../../src/tui/pane-slots.js';

const area = { left: 25, top: 0, width: 100, height: 40 };

describe('PaneSlots', () => {
  it('adds panes after the focused one and focuses the new one; a split ends a zoom', () => {
    const s = new PaneSlots<string>();
    expect(s.active).toBeUndefined();
    s.insert('a');
    expect([s.all, s.activeIndex]).toEqual([['a'], 0]);
    s.insert('b');
    s.next(); // focus back on a
    expect(s.active).toBe('a');
    s.toggleZoom();
    expect(s.zoomed).toBe(0);
    s.insert('c');
    expect([s.all, s.active, s.zoomed]).toEqual([['a', 'c', 'b'], 'c', undefined]);
    s.insert('d');
    expect(s.full).toBe(true);
  });

  it('closes the focused pane, focusing the one after it or the new last', () => {
    const s = new PaneSlots<string>();
    for (const p of ['a', 'b', 'c']) s.insert(p);
    s.focusOn(1);
    expect(s.removeActive()).toBe('b');
    expect([s.all, s.active]).toEqual([['a', 'c'], 'c']);
    expect(s.removeActive()).toBe('c');
    expect([s.all, s.active]).toEqual([['a'], 'a']);
  });

  it('zooms the focused pane, the zoom following the focus; the others get no place', () => {
    const s = new PaneSlots<string>();
    for (const p of ['a', 'b', 'c']) s.insert(p);
    s.toggleZoom();
    expect(s.rects(area)).toEqual([undefined, undefined, area]);
    s.next();
    expect([s.activeIndex, s.zoomed]).toEqual([0, 0]);
    expect(s.rects(area)).toEqual([area, undefined, undefined]);
    s.toggleZoom();
    expect(s.rects(area).every((r) => r !== undefined)).toBe(true);
  });

  it('ignores a click focus out of range and hands back everything it held on clear', () => {
    const s = new PaneSlots<string>();
    s.insert('a');
    s.focusOn(3);
    expect(s.activeIndex).toBe(0);
    expect(s.clear()).toEqual(['a']);
    expect(s.count).toBe(0);
  });
});

describe('stepGuest', () => {
  it('walks the sidebar both ways, wrapping around, from no guest as from before the first', () => {
    const g = ['a', 'b', 'c'];
    expect(stepGuest(g, 'a', 1)).toBe('b');
    expect(stepGuest(g, 'c', 1)).toBe('a');
    expect(stepGuest(g, 'a', -1)).toBe('c');
    expect(stepGuest(g, undefined, 1)).toBe('a');
    expect(stepGuest(g, 'gone', -1)).toBe('b');
    expect(stepGuest(['a'], 'gone', -1)).toBe('a');
    expect(stepGuest([], 'a', 1)).toBeUndefined();
  });
});

describe('splitTarget', () => {
  it('takes the next guest no pane shows, else the focused guest on its next console', () => {
    const g = ['a', 'b', 'c'];
    expect(splitTarget(g, new Set(['a']), { guest: 'a', consoleIndex: 0 })).toEqual({ guest: 'b', consoleIndex: 0 });
    expect(splitTarget(g, new Set(['a', 'c']), { guest: 'c', consoleIndex: 0 })).toEqual({ guest: 'b', consoleIndex: 0 });
    expect(splitTarget(g, new Set(g), { guest: 'b', consoleIndex: 1 })).toEqual({ guest: 'b', consoleIndex: 2 });
    expect(splitTarget([], new Set(), undefined)).toBeUndefined();
  });
});
