// Mouse reports are cut out of the input; typing around them, and escape sequences that only look alike, stay.

import { describe, expect, it } from 'vitest';
import { stripMouse } from '../../../src/tui/mouse.js';

const b = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));
const s = (u: Uint8Array) => Buffer.from(u).toString('latin1');

describe('stripMouse', () => {
  it('removes SGR reports, presses and releases', () => {
    expect(s(stripMouse(b('a\x1b[<0;12;5Mb\x1b[<0;12;5mc')))).toBe('abc');
    expect(s(stripMouse(b('\x1b[<64;3;4M')))).toBe('');
  });

  it('removes X10 reports', () => {
    expect(s(stripMouse(b('x\x1b[M !!y')))).toBe('xy');
  });

  it('keeps arrows and other sequences', () => {
    expect(s(stripMouse(b('\x1b[A\x1b[<5')))).toBe('\x1b[A\x1b[<5');
  });
});

describe('mouseReports', () => {
  it('reads every SGR report in one chunk, 0-based, with releases and the wheel', async () => {
    const { mouseReports } = await import('../../../src/tui/mouse.js');
    expect(mouseReports(b('\x1b[<0;5;3M\x1b[<0;5;3mx\x1b[<64;40;10M'))).toEqual([
      { button: 0, x: 4, y: 2, release: false },
      { button: 0, x: 4, y: 2, release: true },
      { button: 64, x: 39, y: 9, release: false },
    ]);
  });

  it('reads X10 reports', async () => {
    const { mouseReports } = await import('../../../src/tui/mouse.js');
    expect(mouseReports(b('\x1b[M $#'))).toEqual([{ button: 0, x: 3, y: 2, release: false }]);
    expect(mouseReports(b('\x1b[M#$#'))[0]!.release).toBe(true);
  });
});
