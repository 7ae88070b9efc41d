// The safe renderer: a Screen's cells become bytes for the admin's real terminal. Output is built only from cell text
// and attributes (CUP, SGR, printable text, cursor show/hide), so no guest sequence ever reaches the terminal raw.
// A *region* is the rectangle of the admin's terminal a pane paints; a *frame* is what was painted there last.

import type { IBuffer, IBufferCell, IBufferLine } from '@xterm/headless';
import { colorParams, reduceColor, type CellColor, type ColorDepth } from './colors.js';

export type { ColorDepth } from './colors.js';

/** What the renderer reads; Screen satisfies it. */
export interface RenderSource {
  readonly buffer: IBuffer;
  readonly cols: number;
  readonly cursorVisible: boolean;
}

export interface RenderOptions {
  /** The region on the admin's terminal: size, and 0-based origin. Screen cells outside it are clipped. */
  cols: number;
  rows: number;
  top: number;
  left: number;
  colors: ColorDepth;
  /** The frame painted last into this region: only rows that differ from it are emitted. */
  prev?: Frame;
  /** Lines scrolled back from the live screen into history (0, the default, shows the live screen). */
  scroll?: number;
  /** Show the guest's cursor when it is visible and inside the region (default true). */
  cursor?: boolean;
  /**
   * The region spans the terminal's full width: when the screen scrolled since `prev`, the terminal scrolls the
   * region's rows itself (DECSTBM + SU) and only the rows that still differ are sent.
   */
  scrollRegion?: boolean;
}

/** One painted region: its geometry and each row's emitted bytes (compared, never re-parsed). */
export interface Frame {
  readonly key: string;
  readonly rows: readonly string[];
}

export interface Rendered {
  bytes: string;
  frame: Frame;
}

const CSI = '\x1b[';
const SGR_RESET = `${CSI}0m`;
export const CURSOR_SHOW = `${CSI}?25h`;
export const CURSOR_HIDE = `${CSI}?25l`;
/** Combining marks pile up in one cell without limit; a cell paints at most this many code points. */
const MAX_CELL_CODEPOINTS = 8;
/** What may follow a cell's base character: combining marks, ZWNJ/ZWJ and variation selectors. */
const EXTEND = /^[\p{M}\u200c\u200d\ufe00-\ufe0f]$/u;
/** Invisible format characters (bidi controls, zero-width spaces …) and line/paragraph separators. */
const INVISIBLE = /^[\p{Cf}\p{Zl}\p{Zp}]$/u;
const MARK = /^\p{M}$/u;
/** C0, DEL, C1, and (as a code point on its own) a lone surrogate. */
const UNSAFE = /^(?:[\u0000-\u001f\u007f-\u009f]|[\ud800-\udfff])$/;
/** One column in xterm's (Unicode 6) tables, two in most terminals today. */
const EMOJI = /\p{Emoji_Presentation}/u;

/** CUP to a 0-based row and column. */
export function cursorTo(row: number, col: number): string {
  return `${CSI}${row + 1};${col + 1}H`;
}

function isPlain(text: string): boolean {
  if (text.length !== 1) return false;
  const c = text.charCodeAt(0);
  return c >= 0x20 && c <= 0x7e;
}

/**
 * A cell's text made safe to print: one base character and at most MAX_CELL_CODEPOINTS - 1 marks after it; anything
 * else is dropped, so a cell never prints as two. A control or lone surrogate base becomes '?', an invisible format
 * character (bidi controls included) a space, and a lone mark sits on a space rather than on the previous cell.
 */
export function sanitizeCellText(text: string): string {
  if (text === '' || isPlain(text)) return text;
  let out = '';
  let n = 0;
  for (const ch of text) {
    if (n === 0) {
      out = UNSAFE.test(ch) ? '?' : INVISIBLE.test(ch) ? ' ' : MARK.test(ch) ? ` ${ch}` : ch;
    } else if (EXTEND.test(ch)) {
      out += ch;
    } else {
      break;
    }
    if (++n === MAX_CELL_CODEPOINTS) break;
  }
  return out;
}

export function colorOf(cell: IBufferCell, layer: 'fg' | 'bg'): CellColor {
  const isDefault = layer === 'fg' ? cell.isFgDefault() : cell.isBgDefault();
  if (isDefault) return { mode: 'default' };
  const value = layer === 'fg' ? cell.getFgColor() : cell.getBgColor();
  const isPalette = layer === 'fg' ? cell.isFgPalette() : cell.isBgPalette();
  return isPalette ? { mode: 'palette', index: value } : { mode: 'rgb', rgb: value };
}

/** The full SGR (starting from reset) that gives a cell's attributes at this colour depth. */
export function sgrOf(cell: IBufferCell, depth: ColorDepth): string {
  const p = ['0'];
  if (cell.isBold()) p.push('1');
  if (cell.isDim()) p.push('2');
  if (cell.isItalic()) p.push('3');
  if (cell.isUnderline()) p.push('4');
  if (cell.isInverse()) p.push('7');
  if (cell.isInvisible()) p.push('8');
  if (cell.isStrikethrough()) p.push('9');
  const fg = reduceColor(colorOf(cell, 'fg'), depth);
  if (fg !== undefined) p.push(colorParams(fg, 'fg'));
  const bg = reduceColor(colorOf(cell, 'bg'), depth);
  if (bg !== undefined) p.push(colorParams(bg, 'bg'));
  return `${CSI}${p.join(';')}m`;
}

/**
 * One row of the region, without its leading CUP: `width` columns, blank past the end of the line. A wide char is
 * emitted once and its trailing cell skipped; one that would straddle the region's edge becomes a blank, and so does
 * an emoji xterm counts as one column there (most terminals draw it in two). After any text but one printable ASCII
 * character the column is re-set with CUP, so a terminal whose width tables differ from xterm's (emoji, East Asian
 * ambiguous) cannot shift the rest of the row.
 */
export function renderRow(
  line: IBufferLine | undefined,
  width: number,
  depth: ColorDepth,
  cell: IBufferCell,
  row: number,
  left: number,
): string {
  let out = '';
  let sgr: string | undefined;
  let skipTrail = false;
  for (let x = 0; x < width; x++) {
    let text = ' ';
    let attrs = SGR_RESET;
    let w = 1;
    const c = line && x < line.length ? line.getCell(x, cell) : undefined;
    if (c) {
      w = c.getWidth();
      if (w === 0 && skipTrail) {
        skipTrail = false;
        continue;
      }
      attrs = sgrOf(c, depth);
      text = sanitizeCellText(c.getChars()) || ' ';
      const last = x + 1 >= width;
      if (w === 0 || (last && (w === 2 || EMOJI.test(text)))) text = ' ';
      if (w !== 2 || last) w = 1;
    }
    skipTrail = w === 2;
    if (attrs !== sgr) {
      out += attrs;
      sgr = attrs;
    }
    out += text;
    if (!isPlain(text) && x + w < width) out += cursorTo(row, left + x + w);
  }
  return out;
}

/** Paints a source's visible rows (or history, with scroll) into a region; see RenderOptions. */
export function renderFrame(source: RenderSource, opts: RenderOptions): Rendered {
  const { cols, rows, top, left, colors } = opts;
  const key = `${cols}x${rows}+${left}+${top}/${colors}`;
  const prev = opts.prev?.key === key ? opts.prev.rows : undefined;
  const { buffer } = source;
  const scroll = Math.max(0, Math.min(buffer.baseY, Math.trunc(opts.scroll ?? 0)));
  const first = buffer.baseY - scroll;
  const cell = buffer.getNullCell();
  const frameRows: string[] = [];
  for (let y = 0; y < rows; y++) frameRows.push(renderRow(buffer.getLine(first + y), cols, colors, cell, top + y, left));
  let before = prev;
  let bytes = '';
  const shift = opts.scrollRegion && prev ? scrolledBy(prev, frameRows) : 0;
  if (shift > 0) {
    // The terminal moves the rows up; the rows scrolled in are blank, as an empty line renders.
    const blank = renderRow(undefined, cols, colors, cell, 0, left);
    bytes += `${SGR_RESET}${CSI}${top + 1};${top + rows}r${CSI}${shift}S${CSI}r`;
    before = [...prev!.slice(shift), ...Array<string>(shift).fill(blank)];
  }
  for (let y = 0; y < rows; y++) if (before?.[y] !== frameRows[y]) bytes += cursorTo(top + y, left) + frameRows[y];
  if (bytes !== '') bytes = CURSOR_HIDE + bytes + SGR_RESET;

  const cy = buffer.baseY + buffer.cursorY - first;
  const cx = Math.min(buffer.cursorX, source.cols - 1);
  const inRegion = cy >= 0 && cy < rows && cx >= 0 && cx < cols;
  if (opts.cursor !== false && source.cursorVisible && inRegion) bytes += cursorTo(top + cy, left + cx) + CURSOR_SHOW;
  else bytes += CURSOR_HIDE;
  return { bytes, frame: { key, rows: frameRows } };
}

/**
 * How many rows the screen scrolled up between two frames of a region (0: none worth a scroll): the shift under which
 * most rows of `next` equal rows of `prev`, when that beats sending them unshifted. A row with wide or non-ASCII text
 * carries its own CUP (renderRow), so it never matches at another row and is sent again, as it must be.
 */
export function scrolledBy(prev: readonly string[], next: readonly string[]): number {
  const rows = Math.min(prev.length, next.length);
  const same = (k: number) => {
    let n = 0;
    for (let y = 0; y + k < rows; y++) if (next[y] === prev[y + k]) n++;
    return n;
  };
  let best = 0;
  let bestSame = same(0);
  for (let k = 1; k < rows; k++) {
    if (rows - k <= bestSame) break;
    const n = same(k);
    if (n > bestSame + 1) {
      best = k;
      bestSame = n;
    }
  }
  return best;
}

/** Keeps the last frame of one region so each render emits only the rows that changed. */
export class FrameRenderer {
  private prev: Frame | undefined;

  render(source: RenderSource, opts: Omit<RenderOptions, 'prev'>): string {
    const { bytes, frame } = renderFrame(source, { ...opts, prev: this.prev });
    this.prev = frame;
    return bytes;
  }

  /** Forget the last frame (the region was overwritten or the terminal resized): the next render paints it all. */
  invalidate(): void {
    this.prev = undefined;
  }
}
