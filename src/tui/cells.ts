// A row of a console's terminal model as cells of blessed's screen buffer (attribute and safe text: sanitizeCellText),
// and escapeTags for every other text the TUI shows as markup. Only cells reach the admin's terminal, never guest bytes.

import type { IBufferCell, IBufferLine } from '../term/screen.js';
import { colorOf, sanitizeCellText } from '../term/render.js';
import { visibleControl } from '../core/terminal-text.js';
import blessed from './blessed-lite.js';

const blessedColors = blessed.colors;
const unicode = blessed.unicode;

/** Tag delimiters, and the control characters blessed would act on or pass to the terminal (ESC [ … m, C1). */
const MARKUP_UNSAFE = /[{}\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * Text as blessed markup that shows exactly that text: braces through {open} and {close}, control characters
 * visibly (`^[`, `\x9b`: core/terminal-text.ts). Every text in the TUI that is not a console cell goes through here.
 */
export function escapeTags(text: string): string {
  return text.replace(MARKUP_UNSAFE, (c) => (c === '{' ? '{open}' : c === '}' ? '{close}' : visibleControl(c)));
}

/** A cell of blessed's screen buffer: its attribute (see cellAttr) and its text. */
export type BlessedCell = [attr: number, ch: string];

/** The text blessed keeps in the cell after a wide character (its draw skips that cell). */
export const WIDE_TRAIL = '\x03';
const BOLD = 1;
const UNDERLINE = 2;
const INVERSE = 8;
const INVISIBLE = 16;

/** A cell's colour as blessed's index (0-255), undefined for the default. */
function colorIndex(cell: IBufferCell, layer: 'fg' | 'bg'): number | undefined {
  const c = colorOf(cell, layer);
  if (c.mode === 'default') return undefined;
  if (c.mode === 'palette') return c.index & 0xff;
  return blessedColors.match((c.rgb >> 16) & 0xff, (c.rgb >> 8) & 0xff, c.rgb & 0xff);
}

/**
 * blessed's packed attribute of a cell, flags << 18 | fg << 9 | bg as its screen buffer and draw use it, laid over
 * `base` (the box's own attribute: its flags, and its colours where the cell has the default), as a tag would be.
 */
export function cellAttr(cell: IBufferCell, colors: boolean, base: number): number {
  let flags = base >> 18;
  if (cell.isBold()) flags |= BOLD;
  if (cell.isUnderline()) flags |= UNDERLINE;
  if (cell.isInverse()) flags |= INVERSE;
  if (cell.isInvisible()) flags |= INVISIBLE;
  const fg = (colors ? colorIndex(cell, 'fg') : undefined) ?? (base >> 9) & 0x1ff;
  const bg = (colors ? colorIndex(cell, 'bg') : undefined) ?? base & 0x1ff;
  return (flags << 18) | (fg << 9) | bg;
}

/**
 * `width` columns of a line as cells of blessed's screen buffer, written there with no markup between (pane.ts).
 * Text is made safe (sanitizeCellText). A wide character keeps its two columns (the second holds WIDE_TRAIL, which
 * blessed skips), as on the guest's screen; one at the last column becomes a blank. `cursor` marks a column inverse;
 * `base` is the box's attribute; `reuse`, the row's cells of the last paint, is written over (no garbage per frame).
 */
export function rowCells(
  line: IBufferLine | undefined,
  width: number,
  cell: IBufferCell,
  opts: { colors: boolean; cursor?: number; base: number },
  reuse?: BlessedCell[],
): BlessedCell[] {
  const out: BlessedCell[] = reuse?.length === width ? reuse : Array.from({ length: width }, () => [0, ' ']);
  const put = (x: number, attr: number, ch: string) => {
    const c = out[x]!;
    c[0] = attr;
    c[1] = ch;
  };
  const n = line ? Math.min(width, line.length) : 0;
  let x = 0;
  let wide = false;
  for (; x < n; x++) {
    const c = line!.getCell(x, cell)!;
    const w = c.getWidth();
    let attr = cellAttr(c, opts.colors, opts.base);
    if (opts.cursor === x) attr |= INVERSE << 18;
    if (w === 0) {
      // The trailing half of the wide character before it, or an orphan (a blank).
      put(x, attr, wide ? WIDE_TRAIL : ' ');
      wide = false;
      continue;
    }
    let text = sanitizeCellText(c.getChars()) || ' ';
    // Two columns in blessed's count too, or a blank: the rest of the row stays in the guest's columns.
    if (w === 2 && (x + 1 >= width || unicode.charWidth(text, 0) !== 2)) text = ' ';
    wide = w === 2 && text !== ' ';
    put(x, attr, text);
  }
  for (; x < width; x++) put(x, opts.cursor === x ? opts.base | (INVERSE << 18) : opts.base, ' ');
  return out;
}
