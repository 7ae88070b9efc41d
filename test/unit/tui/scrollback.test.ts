// Scrollback mode: the view window, incremental smart-case search with wrap-around, highlighted matches, the time
// column, and the status line.

import { describe, expect, it } from 'vitest';
import { Scrollback, type ScrollLine } from '../../../src/tui/scrollback.js';
import { scrollActions } from '../../../src/tui/scroll-keys.js';
import { escapeTags } from '../../../src/tui/cells.js';

const style = { match: '{M}', current: '{C}', timestamp: '{T}' };
const lines = (n: number, f: (i: number) => string = (i) => `line ${i}`): ScrollLine[] => Array.from({ length: n }, (_, i) => ({ at: i % 2 ? 1_000 * i : null, text: f(i) }));
const hhmmss = (ms: number) => `t${ms / 1000}`;

describe('Scrollback', () => {
  it('opens at the bottom and scrolls within bounds', () => {
    const s = new Scrollback(lines(100), 40, 10);
    expect(s.top).toBe(90);
    s.scroll(5);
    expect(s.top).toBe(90);
    s.scroll(-95);
    expect(s.top).toBe(0);
    s.toBottom();
    expect(s.render(style)).toHaveLength(10);
    expect(s.render(style)[9]).toBe('line 99');
  });

  it('finds the first match at or after the anchor, highlights all, and marks the current one', () => {
    const s = new Scrollback(lines(100, (i) => (i === 5 || i === 50 ? `Booting Linux ${i}` : `x ${i}`)), 40, 10);
    s.toTop();
    s.beginSearch();
    expect(s.search('boot')).toBe(true);
    expect(s.current).toBe(0);
    expect(s.matches.map((m) => m.line)).toEqual([5, 50]);
    expect(s.render(style)[5]).toBe('{C}Boot{/}ing Linux 5');
    expect(s.step(false)).toBe(false);
    expect(s.top).toBeLessThanOrEqual(50);
    expect(s.top + 10).toBeGreaterThan(50);
    const rendered = s.render(style).join('\n');
    expect(rendered).toContain('{C}Boot{/}ing Linux 50');
    expect(s.step(false)).toBe(true);
    expect(s.current).toBe(0);
  });

  it('is case-sensitive once the query has a capital letter', () => {
    const s = new Scrollback(lines(3, (i) => ['boot', 'Boot', 'BOOT'][i]!), 40, 10);
    s.beginSearch();
    s.search('Boot');
    expect(s.matches.map((m) => m.line)).toEqual([1]);
    s.search('boot');
    expect(s.matches.map((m) => m.line)).toEqual([0, 1, 2]);
  });

  it('searches backward from the view and wraps to the last match', () => {
    const s = new Scrollback(lines(100, (i) => (i % 30 === 0 ? 'hit' : '-')), 40, 10);
    s.toTop();
    s.scroll(40);
    s.beginSearch();
    s.search('hit', true);
    expect(s.matches[s.current]!.line).toBe(30);
    s.step(true);
    expect(s.matches[s.current]!.line).toBe(0);
    expect(s.step(true)).toBe(true);
    expect(s.matches[s.current]!.line).toBe(90);
  });

  it('reports no match and keeps the view', () => {
    const s = new Scrollback(lines(20), 40, 5);
    s.beginSearch();
    expect(s.search('absent')).toBe(false);
    expect(s.top).toBe(15);
    expect(s.status()).toBe('16-20/20 "absent" no match');
  });

  it('shows a time column, -- where the time is unknown', () => {
    const s = new Scrollback(lines(2), 40, 5, hhmmss);
    s.showTimes = true;
    expect(s.render(style)).toEqual(['{T}--:--:--{/} line 0', '{T}t1{/} line 1']);
  });

  it('escapes braces from the guest and cuts lines to the pane width', () => {
    const s = new Scrollback([{ at: null, text: '{red-fg}not a tag{/} and more text' }], 12, 3);
    expect(s.render(style)).toEqual(['{open}red-fg{close}not ']);
  });

  it('shifts the view right to show a match beyond the width', () => {
    const s = new Scrollback([{ at: null, text: `${'.'.repeat(60)}needle` }], 20, 3);
    s.beginSearch();
    s.search('needle');
    expect(s.render(style)[0]).toContain('{C}needle{/}');
  });

  it('counts matches in the status line', () => {
    const s = new Scrollback(lines(10, () => 'a a'), 40, 5);
    s.beginSearch();
    s.search('a');
    expect(s.status()).toMatch(/^6-10\/10 "a" \d+\/20$/);
  });
});

describe('Scrollback between boots', () => {
  const marker = (pid: number) => `[umux 2026-12-02T10:00:00Z] boot: started by umux start (pid ${pid}); previous boot: none kept`;
  // Boot markers at lines 10, 40 and 70 of 100.
  const history = () => lines(100, (i) => (i === 10 || i === 40 || i === 70 ? marker(i) : `line ${i}`));

  it('{ goes to the start of this boot, then the one before; } to the next; the status says which boot', () => {
    const s = new Scrollback(history(), 40, 10);
    expect(s.top).toBe(90);
    expect(s.status()).toBe('91-100/100 boot 3/3');
    expect(s.jumpBoot(true)).toBeUndefined();
    expect(s.top).toBe(70);
    expect(s.jumpBoot(true)).toBeUndefined();
    expect(s.top).toBe(40);
    expect(s.status()).toBe('41-50/100 boot 2/3');
    expect(s.jumpBoot(true)).toBeUndefined();
    expect(s.jumpBoot(true)).toBe('no earlier boot in the last 100 lines');
    expect(s.top).toBe(10);
    expect(s.render(style)[0]).toBe(escapeTags(marker(10).slice(0, 40)));
    s.toTop();
    expect(s.status()).toBe('1-10/100 boot <1/3');
    expect(s.jumpBoot(false)).toBeUndefined();
    expect(s.top).toBe(10);
    expect(s.jumpBoot(false)).toBeUndefined();
    expect(s.jumpBoot(false)).toBeUndefined();
    expect(s.top).toBe(70);
    expect(s.jumpBoot(false)).toBe('no later boot: this is the last');
  });

  it('a boot near the end is shown as far up as the view goes; a history without markers says so', () => {
    const s = new Scrollback(lines(100, (i) => (i === 95 ? marker(5) : `line ${i}`)), 40, 10);
    s.toTop();
    expect(s.jumpBoot(false)).toBeUndefined();
    expect(s.top).toBe(90);
    expect(s.jumpBoot(false)).toBe('no later boot: this is the last');
    expect(new Scrollback(lines(20), 40, 10).jumpBoot(true)).toBe('no boot starts in the last 20 lines');
  });

  it('keys { and } are scroll actions', () => {
    expect(scrollActions('{}')).toEqual(['boot-prev', 'boot-next']);
  });
});
