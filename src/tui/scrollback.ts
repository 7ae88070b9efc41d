// A pane's scrollback mode (pure): the console's history as lines, a view window over it, incremental search with
// every match highlighted and the current one marked, and an optional time column. Rendered as blessed markup.

import { escapeTags } from './cells.js';
import { isBootMarker } from '../protocol/boot-marker.js';
import { fitWidth } from './text-width.js';

export interface ScrollLine {
  /** When umux received the line (epoch ms), null where unknown. */
  at: number | null;
  text: string;
}

export interface Match {
  line: number;
  start: number;
  end: number;
}

export interface ScrollbackStyle {
  /** Opening blessed tags for every match, the current match, and the time column. */
  match: string;
  current: string;
  timestamp: string;
}

export const TIME_WIDTH = 9;

const localTime = (ms: number) => {
  const d = new Date(ms);
  return [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, '0')).join(':');
};

/** Smart case, as less -i and vim's smartcase: a query with no capital letter matches either case. */
function matcher(query: string): (text: string) => Array<[number, number]> {
  const fold = query === query.toLowerCase();
  const q = fold ? query.toLowerCase() : query;
  return (text) => {
    const hay = fold ? text.toLowerCase() : text;
    const out: Array<[number, number]> = [];
    if (q === '') return out;
    for (let i = hay.indexOf(q); i >= 0; i = hay.indexOf(q, i + q.length)) out.push([i, i + q.length]);
    return out;
  };
}

export class Scrollback {
  /** Index of the first line shown. */
  top = 0;
  /** Columns cut from the left of each line (to bring a match far right into view). */
  left = 0;
  showTimes = false;
  /** The direction of the last search: n goes on that way, N the other. */
  lastBackward = false;
  query = '';
  matches: Match[] = [];
  current = -1;
  /** Where an incremental search started (the view's top when the query was opened). */
  private anchor = 0;
  /** The lines that start a boot (umux's boot markers), found once. */
  private bootStarts: number[] | undefined;

  constructor(
    readonly lines: readonly ScrollLine[],
    public width: number,
    public height: number,
    private readonly formatTime: (ms: number) => string = localTime,
  ) {
    this.toBottom();
  }

  get maxTop(): number {
    return Math.max(0, this.lines.length - this.height);
  }

  setSize(width: number, height: number): void {
    this.width = Math.max(1, width);
    this.height = Math.max(1, height);
    this.top = Math.min(this.top, this.maxTop);
  }

  scroll(delta: number): void {
    this.top = Math.max(0, Math.min(this.maxTop, this.top + delta));
  }

  toTop(): void {
    this.top = 0;
  }

  toBottom(): void {
    this.top = this.maxTop;
  }

  /** Indices of the boot marker lines, oldest first. */
  boots(): readonly number[] {
    this.bootStarts ??= this.lines.flatMap((l, i) => (isBootMarker(l.text) ? [i] : []));
    return this.bootStarts;
  }

  /**
   * Puts the start of a boot at the top of the view: going back, the marker of the boot the top line is in (or the
   * one before, when the top is that marker already); going on, the next marker. Says why when there is none.
   */
  jumpBoot(backward: boolean): string | undefined {
    const starts = this.boots();
    if (starts.length === 0) return `no boot starts in the last ${this.lines.length} lines`;
    const target = backward ? starts.findLast((i) => i < this.top) : starts.find((i) => i > this.top);
    const top = target === undefined ? this.top : Math.min(target, this.maxTop);
    if (top === this.top) return backward ? `no earlier boot in the last ${this.lines.length} lines` : 'no later boot: this is the last';
    this.top = top;
    this.left = 0;
    return undefined;
  }

  /** Which boot the top line is in (1 for the first marker in the history), of how many; 0 before the first. */
  bootAt(): { boot: number; of: number } {
    const starts = this.boots();
    return { boot: starts.filter((i) => i <= this.top).length, of: starts.length };
  }

  /** Starts a new incremental search from the current view. */
  beginSearch(): void {
    this.anchor = this.top;
  }

  /**
   * Sets the query (called on each keystroke): every match is found, and the current one is the first at or after
   * the anchor going forward (at or before it going back), wrapping around. False when nothing matches.
   */
  search(query: string, backward = false): boolean {
    this.query = query;
    const find = matcher(query);
    this.matches = [];
    this.lines.forEach((l, line) => {
      for (const [start, end] of find(l.text)) this.matches.push({ line, start, end });
    });
    if (this.matches.length === 0) {
      this.current = -1;
      return query === '';
    }
    const from = backward ? this.matches.findLastIndex((m) => m.line <= this.anchor + this.height - 1) : this.matches.findIndex((m) => m.line >= this.anchor);
    this.current = from >= 0 ? from : backward ? this.matches.length - 1 : 0;
    this.reveal();
    return true;
  }

  /** Moves to the next match (n) or the previous one (N); returns true when it wrapped around the end. */
  step(backward: boolean): boolean {
    if (this.matches.length === 0) return false;
    const next = this.current + (backward ? -1 : 1);
    const wrapped = next < 0 || next >= this.matches.length;
    this.current = (next + this.matches.length) % this.matches.length;
    this.reveal();
    return wrapped;
  }

  /** Scrolls so the current match is in view, a third of the way down when it had to move. */
  private reveal(): void {
    const m = this.matches[this.current];
    if (!m) return;
    if (m.line < this.top || m.line >= this.top + this.height) {
      this.top = Math.max(0, Math.min(this.maxTop, m.line - Math.floor(this.height / 3)));
    }
    const room = this.textWidth();
    this.left = m.end > room ? m.end - room + Math.min(10, Math.floor(room / 4)) : 0;
  }

  private textWidth(): number {
    return Math.max(1, this.width - (this.showTimes ? TIME_WIDTH : 0));
  }

  /** The visible lines as blessed markup, matches highlighted. */
  render(style: ScrollbackStyle): string[] {
    const out: string[] = [];
    const room = this.textWidth();
    const cur = this.matches[this.current];
    for (let i = this.top; i < Math.min(this.lines.length, this.top + this.height); i++) {
      const l = this.lines[i]!;
      let text = '';
      if (this.showTimes) text += `${style.timestamp}${l.at === null ? '--:--:--' : this.formatTime(l.at)}{/} `;
      const shown = fitWidth(l.text.slice(this.left), room);
      const ranges = this.matches.filter((m) => m.line === i);
      let at = 0;
      for (const m of ranges) {
        const s = Math.max(0, m.start - this.left);
        const e = Math.min(shown.length, m.end - this.left);
        if (e <= s || s < at) continue;
        text += escapeTags(shown.slice(at, s));
        text += `${m === cur ? style.current : style.match}${escapeTags(shown.slice(s, e))}{/}`;
        at = e;
      }
      out.push(text + escapeTags(shown.slice(at)));
    }
    return out;
  }

  /** A short line for the pane's label: where the view is and how the search went (`127-153/153 "boot" 1/2`). */
  status(): string {
    const last = Math.min(this.lines.length, this.top + this.height);
    const { boot, of } = this.bootAt();
    const where = (this.lines.length ? `${this.top + 1}-${last}/${this.lines.length}` : 'no history') + (of > 0 ? ` boot ${boot || '<1'}/${of}` : '');
    if (!this.query) return where;
    if (this.matches.length === 0) return `${where} "${this.query}" no match`;
    return `${where} "${this.query}" ${this.current + 1}/${this.matches.length}`;
  }
}
