// Colour reduction: the xterm 256 palette, nearest-colour choice, and the SGR parameters the renderer emits.

import { describe, expect, it } from 'vitest';
import { colorParams, nearest16, nearest256, reduceColor, rgbOfIndex } from '../../../src/term/colors.js';

describe('colours', () => {
  it('knows the xterm palette: ANSI, the 6x6x6 cube and the grey ramp', () => {
    expect(rgbOfIndex(1)).toBe(0xcd0000);
    expect(rgbOfIndex(16)).toBe(0x000000);
    expect(rgbOfIndex(208)).toBe(0xff8700);
    expect(rgbOfIndex(231)).toBe(0xffffff);
    expect(rgbOfIndex(232)).toBe(0x080808);
    expect(rgbOfIndex(255)).toBe(0xeeeeee);
  });

  it('maps every cube and grey entry back to itself', () => {
    for (let i = 16; i < 256; i++) expect(nearest256(rgbOfIndex(i))).toBe(i);
  });

  it('picks the nearest of 256 for truecolor, preferring greys for greys', () => {
    expect(nearest256(0xff8800)).toBe(208);
    expect(nearest256(0x7f7f7f)).toBe(244);
    expect(nearest256(0x0a0a0a)).toBe(232);
    expect(nearest256(0xfa0a0a)).toBe(196);
  });

  it('picks the nearest ANSI colour for 16-colour terminals', () => {
    expect(nearest16(0xff0000)).toBe(9);
    expect(nearest16(0x101010)).toBe(0);
    expect(nearest16(0xfcfcfc)).toBe(15);
    expect(nearest16(0xe0e0e0)).toBe(7);
    expect(nearest16(0x0000c0)).toBe(4);
  });

  it('reduces by depth: palette kept at 256, folded to 16 at 16; default stays default', () => {
    expect(reduceColor({ mode: 'default' }, 256)).toBeUndefined();
    expect(reduceColor({ mode: 'palette', index: 5 }, 16)).toBe(5);
    expect(reduceColor({ mode: 'palette', index: 208 }, 256)).toBe(208);
    expect(reduceColor({ mode: 'palette', index: 196 }, 16)).toBe(9);
    expect(reduceColor({ mode: 'rgb', rgb: 0x00ff00 }, 256)).toBe(46);
    expect(reduceColor({ mode: 'rgb', rgb: 0x00ff00 }, 16)).toBe(10);
  });

  it('writes 16-colour SGR for the first 16 and 38;5/48;5 beyond', () => {
    expect([colorParams(1, 'fg'), colorParams(1, 'bg')]).toEqual(['31', '41']);
    expect([colorParams(9, 'fg'), colorParams(15, 'bg')]).toEqual(['91', '107']);
    expect([colorParams(208, 'fg'), colorParams(232, 'bg')]).toEqual(['38;5;208', '48;5;232']);
  });
});
