// What a console log could not write (a full disk): how many bytes and lines, from when to when, and why, counted
// while writing fails and told once, in a marker line of the file and an event, when writing works again.

import { ERRNO_TEXT } from '../core/errors.js';
import { errnoOf } from './log-files.js';

const NL = 0x0a;

/** A stretch of console output the log file misses. Times are epoch ms. */
export interface LogGap {
  /** Console bytes lost (timestamp prefixes not counted). */
  bytes: number;
  /** Line ends among them: lines whose end the file misses. */
  lines: number;
  /** umux's own marker lines lost with them. */
  markers: number;
  /** When the first lost byte reached the log, and the last. */
  from: number;
  to: number;
  /** The write error: `ENOSPC (no space left on device)`. */
  reason: string;
  /** The file's last line was open when writing stopped: the line before the gap is cut short. */
  cutLine: boolean;
  /** The last lost byte ended no line: the first line after the gap starts part way. */
  endsOpen: boolean;
}

/** A gap opened by a failed write at `at`; `openLine`: the file's last line was open then. */
export function openGap(at: number, err: unknown, openLine: boolean): LogGap {
  const code = errnoOf(err);
  const words = ERRNO_TEXT[code];
  return { bytes: 0, lines: 0, markers: 0, from: at, to: at, reason: words ? `${code} (${words})` : code, cutLine: openLine, endsOpen: openLine };
}

/** Counts `bytes` (console output, no prefixes) lost at `at`. */
export function loseBytes(gap: LogGap, at: number, bytes: Uint8Array): void {
  if (bytes.length === 0) return;
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === NL) lines++;
  gap.bytes += bytes.length;
  gap.lines += lines;
  gap.to = Math.max(gap.to, at);
  gap.endsOpen = bytes[bytes.length - 1] !== NL;
}

export function loseMarker(gap: LogGap, at: number): void {
  gap.markers++;
  gap.to = Math.max(gap.to, at);
}

/** `lost 123 bytes (4 lines) from ISO to ISO`: the amount, for the marker and the event. */
export function describeLoss(gap: LogGap): string {
  const markers = gap.markers === 0 ? '' : ` and ${gap.markers} umux marker${gap.markers === 1 ? '' : 's'}`;
  return `lost ${gap.bytes} bytes (${gap.lines} lines)${markers} from ${new Date(gap.from).toISOString()} to ${new Date(gap.to).toISOString()}`;
}

/** The text of the marker line written where the gap is, once the log can write again. */
export function gapMarkerText(gap: LogGap): string {
  const notes = [gap.cutLine ? 'the line above is cut short' : '', gap.endsOpen ? 'the line below starts part way' : ''].filter((n) => n !== '');
  return `console log ${describeLoss(gap)}: cannot write: ${gap.reason}${notes.map((n) => `; ${n}`).join('')}`;
}
