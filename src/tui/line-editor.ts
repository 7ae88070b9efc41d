// A one-line editor for the TUI's `:` prompt, fed the raw bytes a terminal sends in raw mode: UTF-8 text, emacs
// keys, arrows, history and bracketed paste. Escape sequences it does not know are swallowed, never inserted. Pure.

import { textWidth } from './text-width.js';

/**
 * What a feed produced. `change`: the line or the cursor moved (at most one per feed, before any other event).
 * `submit`, `cancel` and `complete` end the feed: the bytes after them are not read and come back as `rest` (only
 * when there are some). After `complete`, apply the completion with replace(), then feed(rest).
 */
export type EditorEvent =
  | { kind: 'change' }
  | { kind: 'submit'; line: string; rest?: Uint8Array }
  | { kind: 'cancel'; rest?: Uint8Array }
  | { kind: 'complete'; rest?: Uint8Array };

type Key =
  | { k: 'text'; text: string }
  | { k: 'ctl'; byte: number }
  | { k: 'csi'; params: string; final: string }
  | { k: 'ss3'; final: string }
  | { k: 'meta'; ch: string }
  | { k: 'escape' }
  | { k: 'none' };

const ESC = 0x1b;
const NONE: Key = { k: 'none' };
/** C0, DEL, C1 and bidi controls: never part of the line (it is echoed to the admin's terminal). */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const clean = (s: string) => s.replace(/\r\n|[\r\n\t]/g, ' ').replace(UNSAFE, '');

/** The key at data[i] and its length in bytes; undefined when the bytes stop in the middle of one. */
function nextKey(data: Uint8Array, i: number, pasting: boolean): { key: Key; len: number } | undefined {
  const b = data[i]!;
  if (b >= 0x20 && b < 0x7f) {
    let j = i + 1;
    while (j < data.length && j - i < 4096 && data[j]! >= 0x20 && data[j]! < 0x7f) j++;
    return { key: { k: 'text', text: String.fromCharCode(...data.subarray(i, j)) }, len: j - i };
  }
  if (b === ESC) return escapeKey(data, i);
  if (b >= 0x80) return utf8Key(data, i);
  if (pasting) return { key: b === 0x0a || b === 0x0d || b === 0x09 ? { k: 'text', text: ' ' } : NONE, len: b === 0x0d && data[i + 1] === 0x0a ? 2 : 1 };
  return { key: { k: 'ctl', byte: b }, len: 1 };
}

function escapeKey(data: Uint8Array, i: number): { key: Key; len: number } | undefined {
  if (i + 1 >= data.length) return undefined;
  const b = data[i + 1]!;
  if (b === ESC) return { key: { k: 'escape' }, len: 2 };
  if (b === 0x4f) return i + 2 < data.length ? { key: { k: 'ss3', final: String.fromCharCode(data[i + 2]!) }, len: 3 } : undefined;
  if (b !== 0x5b) return b >= 0x20 && b <= 0x7f ? { key: { k: 'meta', ch: String.fromCharCode(b) }, len: 2 } : { key: NONE, len: 1 };
  // CSI: parameter bytes 0x30-0x3f, intermediates 0x20-0x2f, one final byte 0x40-0x7e.
  let j = i + 2;
  while (j < data.length && data[j]! >= 0x20 && data[j]! <= 0x3f) j++;
  if (j >= data.length) return j - i > 64 ? { key: NONE, len: j - i } : undefined;
  const f = data[j]!;
  if (f < 0x40 || f > 0x7e) return { key: NONE, len: j - i }; // malformed: drop what came so far
  const params = String.fromCharCode(...data.subarray(i + 2, j));
  if (f === 0x4d && params === '') return j + 4 <= data.length ? { key: NONE, len: j + 4 - i } : undefined; // X10 mouse: 3 raw bytes follow
  return { key: { k: 'csi', params, final: String.fromCharCode(f) }, len: j + 1 - i };
}

function utf8Key(data: Uint8Array, i: number): { key: Key; len: number } | undefined {
  const b = data[i]!;
  const n = b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (n === 0) return { key: NONE, len: 1 };
  let cp = b & (0x7f >> n);
  for (let j = 1; j < n; j++) {
    if (i + j >= data.length) return undefined;
    const c = data[i + j]!;
    if ((c & 0xc0) !== 0x80) return { key: NONE, len: j }; // truncated sequence: drop it, read c afresh
    cp = (cp << 6) | (c & 0x3f);
  }
  const min = n === 2 ? 0x80 : n === 3 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return { key: NONE, len: n };
  const text = String.fromCodePoint(cp).replace(UNSAFE, '');
  return { key: text ? { k: 'text', text } : NONE, len: n };
}

// Made on first use: building a segmenter loads ICU's break rules (~7 ms), which the TUI's first frame does not need.
let segmenter: Intl.Segmenter | undefined;
const graphemes = (s: string) => [...(segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' })).segment(s)];

/**
 * The editor. `line` is the text, `cursor` a UTF-16 index into it (as String.slice takes, and as completeLine's
 * start and end are); keys move and delete whole graphemes. One editor per prompt: history is a snapshot.
 */
export class LineEditor {
  private text: string;
  private pos: number;
  private pending: Uint8Array = new Uint8Array(0);
  private pasting = false;
  private readonly history: readonly string[];
  /** -1: the draft; otherwise the index in history (newest first) shown now. */
  private recalled = -1;
  private draft = '';
  /** First column shown by view(); kept so the view scrolls only when the cursor would leave it. */
  private scroll = 0;

  constructor(opts: { history?: readonly string[]; initial?: string } = {}) {
    this.history = [...(opts.history ?? [])];
    this.text = clean(opts.initial ?? '');
    this.pos = this.text.length;
  }

  get line(): string {
    return this.text;
  }

  get cursor(): number {
    return this.pos;
  }

  feed(bytes: Uint8Array): EditorEvent[] {
    let data = bytes;
    if (this.pending.length) {
      data = new Uint8Array(this.pending.length + bytes.length);
      data.set(this.pending);
      data.set(bytes, this.pending.length);
      this.pending = new Uint8Array(0);
    }
    const before = [this.text, this.pos];
    const events: EditorEvent[] = [];
    const changed = () => {
      if (this.text !== before[0] || this.pos !== before[1]) events.push({ kind: 'change' });
    };
    let typed = '';
    for (let i = 0; i < data.length; ) {
      let r = nextKey(data, i, this.pasting);
      if (!r && data[i] === ESC && i === data.length - 1 && !this.pasting) r = { key: { k: 'escape' }, len: 1 };
      if (!r) {
        this.pending = data.slice(i);
        break;
      }
      i += r.len;
      if (r.key.k === 'text') {
        typed += r.key.text;
        continue;
      }
      if (typed) this.insert(typed);
      typed = '';
      if (this.pasting) {
        // Pasted text may hold escape sequences and control bytes: only the end-of-paste marker counts.
        if (r.key.k === 'csi' && r.key.final === '~' && r.key.params === '201') this.pasting = false;
        continue;
      }
      const end = this.apply(r.key);
      if (end) {
        changed();
        const rest = i < data.length ? { rest: data.slice(i) } : {};
        events.push(end === 'submit' ? { kind: 'submit', line: this.text, ...rest } : { kind: end, ...rest });
        return events;
      }
    }
    if (typed) this.insert(typed);
    changed();
    return events;
  }

  /** Replaces line[start, end) (UTF-16 indices, clamped) with text and puts the cursor after it: for completion. */
  replace(start: number, end: number, text: string): void {
    const s = Math.max(0, Math.min(start, this.text.length));
    const e = Math.max(s, Math.min(end, this.text.length));
    const t = clean(text);
    this.text = this.text.slice(0, s) + t + this.text.slice(e);
    this.pos = s + t.length;
  }

  /**
   * What to draw in `width` columns: the line scrolled sideways so the cursor's cell is visible (a wide char is never
   * cut in half), and the cursor's column in it. Remembers the scroll, so call it once per redraw.
   */
  view(width: number): { text: string; cursorCol: number } {
    if (width <= 0) return { text: '', cursorCol: 0 };
    const cells = graphemes(this.text).map((g) => ({ g: g.segment, at: g.index, w: textWidth(g.segment), col: 0 }));
    let col = 0;
    let cursorCol = -1;
    let cursorW = 1;
    for (const c of cells) {
      c.col = col;
      if (cursorCol < 0 && this.pos < c.at + c.g.length) {
        cursorCol = col;
        cursorW = Math.min(width, Math.max(1, c.w));
      }
      col += c.w;
    }
    if (cursorCol < 0) cursorCol = col;
    let s = Math.min(this.scroll, Math.max(0, col + 1 - width));
    if (cursorCol < s) s = cursorCol;
    if (cursorCol + cursorW > s + width) s = cursorCol + cursorW - width;
    const cut = cells.find((c) => c.col < s && c.col + c.w > s);
    if (cut) s = cut.col + cut.w;
    this.scroll = s;
    const text = cells
      .filter((c) => c.col >= s && c.col + c.w <= s + width)
      .map((c) => c.g)
      .join('');
    return { text, cursorCol: cursorCol - s };
  }

  private apply(key: Key): 'submit' | 'cancel' | 'complete' | undefined {
    switch (key.k) {
      case 'escape':
        return 'cancel';
      case 'ctl':
        return this.control(key.byte);
      case 'csi':
        this.csi(key.params, key.final);
        return undefined;
      case 'ss3':
        this.cursorKey(key.final, '');
        return undefined;
      case 'meta':
        if (key.ch === 'b') this.pos = this.wordStart(this.pos);
        else if (key.ch === 'f') this.pos = this.wordEnd(this.pos);
        else if (key.ch === '\x7f') this.cut(this.wordStart(this.pos), this.pos);
        return undefined;
      default:
        return undefined;
    }
  }

  private control(b: number): 'submit' | 'cancel' | 'complete' | undefined {
    switch (b) {
      case 0x0d:
      case 0x0a:
        return 'submit';
      case 0x03: // C-c
      case 0x07: // C-g
        return 'cancel';
      case 0x09:
        return 'complete';
      case 0x7f:
      case 0x08:
        this.cut(this.prev(this.pos), this.pos);
        break;
      case 0x01: // C-a
        this.pos = 0;
        break;
      case 0x05: // C-e
        this.pos = this.text.length;
        break;
      case 0x15: // C-u
        this.cut(0, this.pos);
        break;
      case 0x0b: // C-k
        this.cut(this.pos, this.text.length);
        break;
      case 0x17: // C-w
        this.cut(this.wordStart(this.pos), this.pos);
        break;
      case 0x10: // C-p
        this.walk(1);
        break;
      case 0x0e: // C-n
        this.walk(-1);
        break;
    }
    return undefined;
  }

  private csi(params: string, final: string): void {
    if (final === '~') {
      const n = params.split(';')[0];
      if (n === '1' || n === '7') this.pos = 0;
      else if (n === '4' || n === '8') this.pos = this.text.length;
      else if (n === '3') this.cut(this.pos, this.next(this.pos));
      else if (n === '200') this.pasting = true;
      return;
    }
    this.cursorKey(final, params);
  }

  /** Arrows, Home and End, as CSI or SS3 finals; Ctrl or Alt with Left/Right (`1;5D`, `1;3C`) move by words. */
  private cursorKey(final: string, params: string): void {
    const byWord = /;[35]$/.test(params);
    if (final === 'A') this.walk(1);
    else if (final === 'B') this.walk(-1);
    else if (final === 'C') this.pos = byWord ? this.wordEnd(this.pos) : this.next(this.pos);
    else if (final === 'D') this.pos = byWord ? this.wordStart(this.pos) : this.prev(this.pos);
    else if (final === 'H') this.pos = 0;
    else if (final === 'F') this.pos = this.text.length;
  }

  private insert(t: string): void {
    this.text = this.text.slice(0, this.pos) + t + this.text.slice(this.pos);
    this.pos += t.length;
  }

  private cut(from: number, to: number): void {
    this.text = this.text.slice(0, from) + this.text.slice(to);
    this.pos = from;
  }

  /** Up (1, older) or down (-1, newer) in the history; below the newest entry comes the draft back. */
  private walk(dir: 1 | -1): void {
    const to = this.recalled + dir;
    if (to < -1 || to >= this.history.length) return;
    if (this.recalled === -1) this.draft = this.text;
    this.recalled = to;
    this.text = to === -1 ? this.draft : clean(this.history[to]!);
    this.pos = this.text.length;
  }

  private prev(i: number): number {
    let at = 0;
    for (const g of graphemes(this.text)) {
      if (g.index >= i) break;
      at = g.index;
    }
    return at;
  }

  private next(i: number): number {
    for (const g of graphemes(this.text)) if (g.index > i) return g.index;
    return this.text.length;
  }

  /** Start of the word before i (words are separated by whitespace, as readline's unix-word-rubout has them). */
  private wordStart(i: number): number {
    let j = i;
    while (j > 0 && /\s/.test(this.text[j - 1]!)) j--;
    while (j > 0 && !/\s/.test(this.text[j - 1]!)) j--;
    return j;
  }

  private wordEnd(i: number): number {
    let j = i;
    while (j < this.text.length && /\s/.test(this.text[j]!)) j++;
    while (j < this.text.length && !/\s/.test(this.text[j]!)) j++;
    return j;
  }
}
