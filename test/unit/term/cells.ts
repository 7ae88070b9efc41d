// Test helpers for the terminal layer: a cell-by-cell dump of a Screen (text, width, attributes, colours) for
// round-trip comparisons, and a strict checker that accepts only what the safe renderer may emit.

import type { IBufferCell } from '@xterm/headless';
import { sanitizeCellText } from '../../../src/term/render.js';
import { afterEach } from 'vitest';
import { Screen, type ScreenOptions } from '../../../src/term/screen.js';

function attrsOf(c: IBufferCell): string {
  const fg = c.isFgDefault() ? '' : `${c.isFgRGB() ? '#' : 'p'}${c.getFgColor().toString(16)}`;
  const bg = c.isBgDefault() ? '' : `${c.isBgRGB() ? '#' : 'p'}${c.getBgColor().toString(16)}`;
  const flags = [c.isBold(), c.isDim(), c.isItalic(), c.isUnderline(), c.isInverse(), c.isInvisible(), c.isStrikethrough()]
    .map((f, i) => (f ? 'bdiurxs'[i] : ''))
    .join('');
  return `${flags}/${fg}/${bg}`;
}

export interface DumpOptions {
  /**
   * Compare as painted: each cell's base character as sanitizeCellText leaves it (no marks), never-written and stray
   * zero-width cells as spaces (the renderer paints them as blanks), and no wrap flags (a painted copy has none).
   */
  painted?: boolean;
  /** Only this many columns from the left (default: all of them). */
  cols?: number;
}

/**
 * Lines [from, from + count) of the active buffer, one compact string per line: `{attrs}` wherever the attributes
 * change, then the cells' text ('∅' for a never-written cell, '·' for a stray zero-width cell). A wide char's
 * trailing cell adds nothing, so a shifted column shows as a changed string.
 */
export function dumpLines(screen: Screen, from: number, count: number, opts: DumpOptions = {}): string[] {
  const buf = screen.buffer;
  const cell = buf.getNullCell();
  const out: string[] = [];
  for (let y = from; y < from + count; y++) {
    const line = buf.getLine(y);
    if (!line) {
      out.push('(none)');
      continue;
    }
    let text = line.isWrapped && !opts.painted ? '⏎' : '';
    let attrs: string | undefined;
    let trail = false;
    for (let x = 0; x < (opts.cols ?? screen.cols); x++) {
      if (!line.getCell(x, cell)) break;
      const w = cell.getWidth();
      if (w === 0 && trail) {
        trail = false;
        continue;
      }
      trail = w === 2;
      const a = attrsOf(cell);
      if (a !== attrs) text += `{${(attrs = a)}}`;
      const chars = cell.getChars();
      // Base characters as the renderer paints them; marks are left out, as terminals' tables for them differ.
      if (opts.painted) text += w === 0 || chars === '' ? ' ' : Array.from(sanitizeCellText(chars))[0];
      else text += w === 0 ? '·' : chars === '' ? '∅' : chars;
    }
    out.push(text);
  }
  return out;
}

/** The visible rows. */
export function dumpVisible(screen: Screen, opts: DumpOptions = {}): string[] {
  return dumpLines(screen, screen.buffer.baseY, screen.rows, opts);
}

/** Everything in the buffer: history, then the visible rows. */
export function dumpAll(screen: Screen): string[] {
  return dumpLines(screen, 0, screen.bufferLength);
}

/** The renderer's whole vocabulary: CUP, SGR, EL, ED, DECSTBM, SU (numeric parameters only) and cursor show/hide. */
const ALLOWED_CSI = /^\x1b\[(?:[0-9;]*[HmKJrS]|\?25[hl])/;
const FORBIDDEN_CHAR = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export interface VtToken {
  kind: 'csi' | 'text';
  value: string;
}

/** Tokenizes renderer output; throws on any escape or character outside the allowed vocabulary. */
export function strictTokens(bytes: string): VtToken[] {
  const tokens: VtToken[] = [];
  let i = 0;
  while (i < bytes.length) {
    if (bytes[i] === '\x1b') {
      const m = ALLOWED_CSI.exec(bytes.slice(i, i + 64));
      if (!m) throw new Error(`forbidden escape at ${i}: ${JSON.stringify(bytes.slice(i, i + 16))}`);
      tokens.push({ kind: 'csi', value: m[0] });
      i += m[0].length;
      continue;
    }
    let j = i;
    while (j < bytes.length && bytes[j] !== '\x1b') j++;
    const text = bytes.slice(i, j);
    const bad = FORBIDDEN_CHAR.exec(text);
    if (bad) throw new Error(`forbidden character U+${bad[0].charCodeAt(0).toString(16)} at ${i + bad.index}`);
    tokens.push({ kind: 'text', value: text });
    i = j;
  }
  return tokens;
}

/** A Screen factory for a test file: every screen it made is disposed after each test. */
export function trackedScreens(): (opts?: ScreenOptions) => Screen {
  const screens: Screen[] = [];
  afterEach(() => {
    for (const s of screens.splice(0)) s.dispose();
  });
  return (opts: ScreenOptions = {}) => {
    const s = new Screen(opts);
    screens.push(s);
    return s;
  };
}
