// When each line of a console log started: a bounded ring of epoch milliseconds kept by the ConsoleLog that writes
// the file (one number per line start, oldest dropped first), and the pairing of a tail read from the file with it,
// line for line from the end. Lines the ring does not cover (older than it, or written before this server held the
// log) get no time, unless the file itself carries one: the `[ISO] ` prefix of log_timestamps, or a umux marker.

import fs from 'node:fs';

/** Line starts a ConsoleLog remembers by default (8 bytes each, allocated as the log grows). */
export const DEFAULT_LINE_TIMES = 20_000;
const FIRST_CAPACITY = 256;

/** One line of a log tail: its text without the line end, and when it started (epoch ms), or null if unknown. */
export interface TimedLine {
  at: number | null;
  text: string;
  /** The last line of the tail is still open (no line end yet): more bytes will continue it. */
  open?: true;
}

/** Where the file ended when its writer let go of the ring; a writer that opens exactly there may continue it. */
interface Seal {
  dev: number;
  ino: number;
  size: number;
}

export class LineTimes {
  private buf: Float64Array;
  /** Index of the next write in buf. */
  private head = 0;
  private kept = 0;
  private seal: Seal | undefined;

  constructor(readonly capacity: number = DEFAULT_LINE_TIMES) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) throw new RangeError(`bad line-time capacity ${capacity}`);
    this.buf = new Float64Array(Math.min(capacity, FIRST_CAPACITY));
  }

  /** Line starts remembered (at most capacity). */
  get count(): number {
    return this.kept;
  }

  push(ms: number): void {
    this.pushMany(ms, 1);
  }

  /** `n` lines that started at the same time (one append): a fill, not n pushes. */
  pushMany(ms: number, n: number): void {
    if (this.capacity === 0 || n <= 0) return;
    this.grow(this.kept + n);
    const len = this.buf.length;
    if (n >= len) {
      this.buf.fill(ms);
      this.head = 0;
      this.kept = len;
      return;
    }
    const first = Math.min(n, len - this.head);
    this.buf.fill(ms, this.head, this.head + first);
    if (first < n) this.buf.fill(ms, 0, n - first);
    this.head = (this.head + n) % len;
    this.kept = Math.min(len, this.kept + n);
  }

  /**
   * Room for `want` entries, up to capacity. Below capacity the ring has never wrapped (it grows before it would):
   * its entries are buf[0, kept), oldest first.
   */
  private grow(want: number): void {
    if (want <= this.buf.length || this.buf.length >= this.capacity) return;
    let size = this.buf.length;
    while (size < want && size < this.capacity) size *= 2;
    const bigger = new Float64Array(Math.min(this.capacity, size));
    bigger.set(this.buf.subarray(0, this.kept));
    this.buf = bigger;
    this.head = this.kept;
  }

  /** The start of the line `back` lines before the newest one (0: the newest), or null past what is kept. */
  fromEnd(back: number): number | null {
    if (back < 0 || back >= this.kept) return null;
    const n = this.buf.length;
    return this.buf[(this.head - 1 - back + 2 * n) % n]!;
  }

  clear(): void {
    this.head = 0;
    this.kept = 0;
  }

  /** @internal The writer let go with the file at this place (see LineTimes.continueOn). */
  sealAt(fd: number, size: number): void {
    try {
      const st = fs.fstatSync(fd);
      this.seal = { dev: st.dev, ino: st.ino, size };
    } catch {
      this.seal = undefined;
    }
  }

  /**
   * @internal A new writer opened `fd`: it may go on with this ring only if the file is the one the old writer left,
   * untouched since (same file, same size); otherwise the ring says nothing true about the file and is emptied.
   */
  continueOn(fd: number): this {
    const seal = this.seal;
    this.seal = undefined;
    let same = false;
    if (seal) {
      try {
        const st = fs.fstatSync(fd);
        same = st.dev === seal.dev && st.ino === seal.ino && st.size === seal.size;
      } catch {
        same = false;
      }
    }
    if (!same) this.clear();
    return this;
  }

  /** @internal True while a writer holds the ring (only a sealed ring can be handed on). */
  get sealed(): boolean {
    return this.seal !== undefined;
  }
}

/** `[2026-11-22T05:40:00.123Z] `: the prefix a log written with log_timestamps = true puts on each guest line. */
const STAMP = /^\[(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)\] /;
/** `[umux 2026-11-22T05:40:00Z] text`: a line of umux's own (ConsoleLog.appendMarker). */
const MARKER = /^\[umux (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\] /;

export interface PairOptions {
  /** The ring of the writer that wrote the end of this file, if any. */
  times?: LineTimes;
  /**
   * The file is written with log_timestamps = true: a `[ISO] ` prefix at a line's start is umux's, not the guest's,
   * so it is taken off the text and read as the line's time where the ring has none.
   */
  timestamped?: boolean;
}

/**
 * Splits a tail (as readTail returns it: whole lines, the last maybe still open) into lines and gives each its time:
 * the ring's, counted from the end; else the log_timestamps prefix; else a marker's own time. A final line end starts
 * no empty line; `\r` before a line end is dropped. Marker text is kept as it is (the marker names itself).
 */
export function pairTail(tail: string, opts: PairOptions = {}): TimedLine[] {
  if (tail === '') return [];
  const closed = tail.endsWith('\n');
  const raw = (closed ? tail.slice(0, -1) : tail).split('\n');
  const last = raw.length - 1;
  return raw.map((line, i) => {
    let text = line.replace(/\r+$/, '');
    let at = opts.times?.fromEnd(last - i) ?? null;
    if (opts.timestamped) {
      const m = STAMP.exec(text);
      if (m) {
        text = text.slice(m[0].length);
        at ??= Date.parse(m[1]!);
      }
    }
    if (at === null) {
      const m = MARKER.exec(text);
      if (m) at = Date.parse(m[1]!);
    }
    return i === last && !closed ? { at, text, open: true } : { at, text };
  });
}
