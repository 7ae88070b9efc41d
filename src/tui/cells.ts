// A row of a console's terminal model as blessed markup: each cell's text made safe (sanitizeCellText), braces
// escaped, attributes and colours as blessed tags. Only cells reach the admin's terminal, never guest bytes.

import type { IBufferCell, IBufferLine } from '../term/screen.js';
import { colorOf, sanitizeCellText } from '../term/render.js';
import { rgbOfIndex } from '../term/colors.js';
import { visibleControl } from '../core/terminal-text.js';

const hex = (rgb: number) => `#${rgb.toString(16).padStart(6, '0')}`;

function colorTag(cell: IBufferCell, layer: 'fg' | 'bg'): string {
  const c = colorOf(cell, layer);
  if (c.mode === 'default') return '';
  return `{${hex(c.mode === 'palette' ? rgbOfIndex(c.index) : c.rgb)}-${layer}}`;
}

/** The opening tags of a cell's attributes ('' for a plain cell). */
export function cellTags(cell: IBufferCell, colors: boolean): string {
  let t = '';
  if (cell.isBold()) t += '{bold}';
  if (cell.isUnderline()) t += '{underline}';
  if (cell.isInverse()) t += '{inverse}';
  if (cell.isInvisible()) t += '{invisible}';
  if (colors) t += colorTag(cell, 'fg') + colorTag(cell, 'bg');
  return t;
}

/** Tag delimiters, and the control characters blessed would act on or pass to the terminal (ESC [ … m, C1). */
const MARKUP_UNSAFE = /[{}\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * Text as blessed markup that shows exactly that text: braces through {open} and {close}, control characters
 * visibly (`^[`, `\x9b`: core/terminal-text.ts). Every text in the TUI that is not a console cell goes through here.
 */
export function escapeTags(text: string): string {
  return text.replace(MARKUP_UNSAFE, (c) => (c === '{' ? '{open}' : c === '}' ? '{close}' : visibleControl(c)));
}

/**
 * `width` columns of a line as blessed markup. A wide character is written once (blessed counts its width), its
 * trailing cell skipped; one at the last column becomes a blank. `cursor` marks a column drawn inverse.
 */
export function rowMarkup(line: IBufferLine | undefined, width: number, cell: IBufferCell, opts: { colors: boolean; cursor?: number }): string {
  let out = '';
  let open = '';
  for (let x = 0; x < width; x++) {
    const c = line && x < line.length ? line.getCell(x, cell) : undefined;
    let text = ' ';
    let tags = '';
    if (c) {
      const w = c.getWidth();
      if (w === 0) continue;
      text = sanitizeCellText(c.getChars()) || ' ';
      if (w === 2 && x + 1 >= width) text = ' ';
      tags = cellTags(c, opts.colors);
    }
    if (opts.cursor === x) tags += '{inverse}';
    if (tags !== open) {
      out += (open ? '{/}' : '') + tags;
      open = tags;
    }
    out += escapeTags(text);
  }
  return open ? `${out}{/}` : out;
}
