// Per-line times of a console log as they cross the wire and reach a reader: the `log --times` reply's lines
// (`{ at: ISO | null, text }`), the `HH:MM:SS.mmm ` prefix printed before each line (local time; `--` padded to the
// same width where the time is unknown), and the stamping of a followed stream at its line starts.

import { encodeUtf8 } from '../core/utf8.js';

/** One line of `log --times`: when umux received its first byte (ISO 8601 UTC), or null if unknown. */
export interface TimedLineWire {
  at: string | null;
  text: string;
}

/** What `log --times` answers as its data. */
export interface LogTimesReply {
  lines: TimedLineWire[];
  /** Older lines left out because all asked for would not fit in one reply (absent when none were). */
  dropped?: number;
}

/** Width of a time prefix without its separating space: `HH:MM:SS.mmm`. */
export const LINE_TIME_WIDTH = 12;
const UNKNOWN = '--'.padEnd(LINE_TIME_WIDTH);

const two = (n: number): string => String(n).padStart(2, '0');

/** `05:40:00.123` in local time, or `--` padded to the same width for null. */
export function formatLineTime(at: number | Date | null): string {
  if (at === null) return UNKNOWN;
  const d = at instanceof Date ? at : new Date(at);
  if (Number.isNaN(d.getTime())) return UNKNOWN;
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

export function toWireLines(lines: ReadonlyArray<{ at: number | null; text: string }>): TimedLineWire[] {
  return lines.map((l) => ({ at: l.at === null ? null : new Date(l.at).toISOString(), text: l.text }));
}

/** Epoch ms from a wire line's `at` (null stays null; so does a string that is not a time). */
export function wireLineTime(line: TimedLineWire): number | null {
  if (line.at === null) return null;
  const ms = Date.parse(line.at);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * The lines as text, each with its time prefix and `\n`. With `keepOpen`, a last line still open (`open`) gets no
 * line end, so a stream that follows continues it.
 */
export function stampLines(lines: ReadonlyArray<{ at: number | null; text: string; open?: boolean }>, opts: { keepOpen?: boolean } = {}): string {
  return lines.map((l, i) => `${formatLineTime(l.at)} ${l.text}${opts.keepOpen && l.open && i === lines.length - 1 ? '' : '\n'}`).join('');
}

const NL = 0x0a;

/** Puts a time prefix before every line start of a byte stream (byte-safe: only after `\n`, so UTF-8 stays whole). */
export class LineStamper {
  constructor(private atLineStart = true) {}

  stamp(bytes: Uint8Array, at: number | null): Uint8Array {
    if (bytes.length === 0) return bytes;
    const prefix = encodeUtf8(`${formatLineTime(at)} `);
    const parts: Uint8Array[] = [];
    let total = 0;
    let start = 0;
    while (start < bytes.length) {
      if (this.atLineStart) {
        parts.push(prefix);
        total += prefix.length;
      }
      const nl = bytes.indexOf(NL, start);
      const end = nl < 0 ? bytes.length : nl + 1;
      parts.push(bytes.subarray(start, end));
      total += end - start;
      this.atLineStart = nl >= 0;
      start = end;
    }
    const out = new Uint8Array(total);
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }
}
