// Meters drawn as cells (pure), htop/btop style: a bar in eighths of a cell (visible from the first byte), an empty
// track at 0, and for the memory-file filesystem a second layer up to where the guests' mem= total would reach, with
// the part past the filesystem's end drawn as over-commit (SIGBUS). Segments of text and colour become blessed markup.

import { escapeTags } from './cells.js';

/** What a cell of a meter shows: used, empty, reserved by mem= (commit), reserved past the end (over), the mem= mark. */
export type CellRole = 'fill' | 'track' | 'commit' | 'over' | 'mark';

export interface MeterCell {
  ch: string;
  role: CellRole;
}

export interface MeterInput {
  used: number;
  /** The whole: RAM, swap or the filesystem's size. 0 means none (an empty track). */
  size: number;
  /** The guests' mem= total on this filesystem: drawn up to there, and past the end when it is more than size. */
  committed?: number;
  /** Mark the cell where committed ends (default true). */
  mark?: boolean;
}

export const GLYPH = { full: '█', track: '·', commit: '░', over: '▓', mark: '┃' } as const;
/** Left-aligned eighths of a cell, 1/8 to 7/8. */
const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** The meter's cells: one character each, `width` of them. */
export function meterCells(width: number, m: MeterInput): MeterCell[] {
  const cells: MeterCell[] = Array.from({ length: Math.max(0, width) }, () => ({ ch: GLYPH.track, role: 'track' as CellRole }));
  const committed = m.committed ?? 0;
  const scale = Math.max(m.size, committed, m.used);
  if (width <= 0 || scale <= 0) return cells;
  const at = (bytes: number) => (Math.max(0, bytes) / scale) * width;
  // The reserved layer first (the used bar is drawn over it): up to the cell holding the mem= total.
  if (committed > 0) {
    const end = Math.min(width, Math.max(1, Math.ceil(at(committed))));
    const fsEnd = m.size > 0 ? Math.round(at(m.size)) : 0;
    for (let i = 0; i < end; i++) cells[i] = i >= fsEnd && committed > m.size ? { ch: GLYPH.over, role: 'over' } : { ch: GLYPH.commit, role: 'commit' };
  }
  const used = at(m.used);
  let full = Math.floor(used);
  let eighths = Math.round((used - full) * 8);
  if (eighths === 8) {
    full += 1;
    eighths = 0;
  }
  if (m.used > 0 && full === 0 && eighths === 0) eighths = 1; // visible from the first byte
  for (let i = 0; i < Math.min(full, width); i++) cells[i] = { ch: GLYPH.full, role: 'fill' };
  if (eighths > 0 && full < width) cells[full] = { ch: EIGHTHS[eighths]!, role: 'fill' };
  if (committed > 0 && m.mark !== false) {
    // The mark in the cell holding the total; where the used bar already reaches it, its glyph stays, in the mark's colour.
    const markAt = Math.min(width - 1, Math.max(0, Math.ceil(at(committed)) - 1));
    cells[markAt] = { ch: cells[markAt]!.role === 'fill' ? cells[markAt]!.ch : GLYPH.mark, role: 'mark' };
  }
  return cells;
}

export type Level = 'ok' | 'warn' | 'danger';

/** Percent levels at which a meter changes colour (from the theme). */
export interface Levels {
  warn: number;
  danger: number;
}

export function levelOf(percent: number, levels: Levels): Level {
  return percent >= levels.danger ? 'danger' : percent >= levels.warn ? 'warn' : 'ok';
}

/** The level of a meter: by what is used, and for the memory-file filesystem by the mem= total too. */
export function meterLevel(m: MeterInput, levels: Levels): Level {
  if (m.size <= 0) return 'ok';
  const committed = m.committed ?? 0;
  if (committed > m.size) return 'danger';
  const used = levelOf((100 * m.used) / m.size, levels);
  const reserved = levelOf((100 * committed) / m.size, levels);
  return used === 'danger' || reserved === 'danger' ? 'danger' : used === 'warn' || reserved === 'warn' ? 'warn' : 'ok';
}

/** The colours a meter is drawn with; 'default' draws no colour (NO_COLOR: the glyphs alone tell the parts apart). */
export interface MeterStyle {
  ok: string;
  warn: string;
  danger: string;
  track: string;
  /** The mem= layer and its mark. */
  mark: string;
  levels: Levels;
}

/** A piece of a line: text (escaped when turned into markup), its colour and weight. */
export interface Seg {
  text: string;
  fg?: string;
  bold?: boolean;
}

/** The cells as segments, fill in the level's colour, the reserved layer and mark in the mark colour. */
export function meterSegs(cells: readonly MeterCell[], level: Level, style: MeterStyle): Seg[] {
  const colour = (role: CellRole): string =>
    role === 'fill' ? style[level] : role === 'track' ? style.track : role === 'over' ? style.danger : style.mark;
  const segs: Seg[] = [];
  for (const c of cells) {
    const fg = colour(c.role);
    const last = segs.at(-1);
    if (last && last.fg === fg) last.text += c.ch;
    else segs.push({ text: c.ch, fg });
  }
  return segs;
}

/** Columns the segments take (umux's own glyphs are all one column wide). */
export function segsWidth(segs: readonly Seg[]): number {
  return segs.reduce((n, s) => n + [...s.text].length, 0);
}

/** Blessed markup for the segments: text escaped, colour and bold as tags ('default' or none: no tag). */
export function segsMarkup(segs: readonly Seg[]): string {
  return segs
    .map((s) => {
      const text = escapeTags(s.text);
      const colour = s.fg && s.fg !== 'default' ? s.fg : undefined;
      if (!colour && !s.bold) return text;
      return `${s.bold ? '{bold}' : ''}${colour ? `{${colour}-fg}` : ''}${text}{/}`;
    })
    .join('');
}

/** Segments cut or padded with spaces to exactly `width` columns. */
export function fitSegs(segs: readonly Seg[], width: number): Seg[] {
  const out: Seg[] = [];
  let left = width;
  for (const s of segs) {
    if (left <= 0) break;
    const chars = [...s.text];
    const text = chars.slice(0, left).join('');
    left -= Math.min(chars.length, left);
    out.push({ ...s, text });
  }
  if (left > 0) out.push({ text: ' '.repeat(left) });
  return out;
}

/** Bytes in at most five columns: 0, 512K, 502M, 1.5G, 24G (binary units). */
export function compactBytes(n: number): string {
  if (!Number.isFinite(n) || n <= 0) return '0';
  const units = ['B', 'K', 'M', 'G', 'T', 'P'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const text = v < 10 && i > 0 ? v.toFixed(1).replace(/\.0$/, '') : String(Math.round(v));
  return `${text}${units[i]}`;
}
