// Colour reduction for the safe renderer: the guest's palette and truecolor colours mapped onto what the admin's
// terminal is told to show (the 16 ANSI colours, or the xterm 256-colour palette), and the SGR parameters for them.

export type ColorDepth = 16 | 256;

/** A cell colour as xterm's buffer reports it. */
export type CellColor = { mode: 'default' } | { mode: 'palette'; index: number } | { mode: 'rgb'; rgb: number };

/** xterm's default RGB for ANSI colours 0–15. */
const ANSI_16: readonly number[] = [
  0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
  0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
];

const CUBE_LEVELS = [0, 95, 135, 175, 215, 255] as const;

/** The RGB value of a 256-palette index, as xterm defines the palette. */
export function rgbOfIndex(index: number): number {
  if (index < 16) return ANSI_16[index] ?? 0;
  if (index < 232) {
    const i = index - 16;
    const r = CUBE_LEVELS[Math.floor(i / 36)]!;
    const g = CUBE_LEVELS[Math.floor(i / 6) % 6]!;
    const b = CUBE_LEVELS[i % 6]!;
    return (r << 16) | (g << 8) | b;
  }
  const v = 8 + 10 * (index - 232);
  return (v << 16) | (v << 8) | v;
}

function distance(a: number, b: number): number {
  const dr = ((a >> 16) & 0xff) - ((b >> 16) & 0xff);
  const dg = ((a >> 8) & 0xff) - ((b >> 8) & 0xff);
  const db = (a & 0xff) - (b & 0xff);
  // Weighted towards green, as the eye is (a cheap stand-in for a perceptual distance).
  return 2 * dr * dr + 4 * dg * dg + 3 * db * db;
}

function nearestLevel(v: number): number {
  let best = 0;
  for (let i = 1; i < CUBE_LEVELS.length; i++) {
    if (Math.abs(CUBE_LEVELS[i]! - v) < Math.abs(CUBE_LEVELS[best]! - v)) best = i;
  }
  return best;
}

/** The nearest of palette entries 16–255 (the fixed cube and grey ramp, not the themeable first 16). */
export function nearest256(rgb: number): number {
  const r = (rgb >> 16) & 0xff;
  const g = (rgb >> 8) & 0xff;
  const b = rgb & 0xff;
  const cube = 16 + 36 * nearestLevel(r) + 6 * nearestLevel(g) + nearestLevel(b);
  const avg = (r + g + b) / 3;
  const grey = 232 + Math.max(0, Math.min(23, Math.round((avg - 8) / 10)));
  return distance(rgb, rgbOfIndex(grey)) < distance(rgb, rgbOfIndex(cube)) ? grey : cube;
}

/** The nearest of the 16 ANSI colours. */
export function nearest16(rgb: number): number {
  let best = 0;
  for (let i = 1; i < 16; i++) if (distance(rgb, ANSI_16[i]!) < distance(rgb, ANSI_16[best]!)) best = i;
  return best;
}

/** The palette index a colour is shown as at this depth; undefined for the default colour. */
export function reduceColor(color: CellColor, depth: ColorDepth): number | undefined {
  switch (color.mode) {
    case 'default':
      return undefined;
    case 'palette': {
      const index = Math.max(0, Math.min(255, Math.trunc(color.index)));
      return depth === 16 && index >= 16 ? nearest16(rgbOfIndex(index)) : index;
    }
    case 'rgb':
      return depth === 16 ? nearest16(color.rgb) : nearest256(color.rgb & 0xffffff);
  }
}

/** SGR parameters for a reduced palette index as foreground or background: `31`, `97`, `48;5;208` … */
export function colorParams(index: number, layer: 'fg' | 'bg'): string {
  const base = layer === 'fg' ? 30 : 40;
  if (index < 8) return String(base + index);
  if (index < 16) return String(base + 60 + index - 8);
  return `${base + 8};5;${index}`;
}
