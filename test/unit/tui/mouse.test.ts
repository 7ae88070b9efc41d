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
