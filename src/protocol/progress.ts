// Progress of long work a request does (a backup's copies), as the server sends it on the wire before the reply,
// and the one line a terminal or the TUI's status line shows for it. Pure: no clock, no I/O.

import { formatBytes } from './host-types.js';

/** Shortest gap between two progress messages for one request: at most 4 a second on the wire and on screen. */
export const PROGRESS_MIN_MS = 250;

export interface ProgressWire {
  /** What is being done: `backup ubdb`. */
  what: string;
  /** Bytes done and in all. */
  done: number;
  total: number;
  /** Bytes per second since the work started. */
  rateBps: number;
  /** How long the guest has been paused for it (ms), when it is. */
  pausedMs?: number;
}

/** `backup ubdb: 1.2 GiB of 4 GiB (30%), 250 MiB/s, guest paused 5s`. */
export function formatProgress(p: ProgressWire): string {
  const percent = p.total > 0 ? Math.min(100, Math.floor((p.done / p.total) * 100)) : 100;
  const paused = p.pausedMs === undefined ? '' : `, guest paused ${formatDuration(p.pausedMs)}`;
  return `${p.what}: ${formatBytes(p.done)} of ${formatBytes(p.total)} (${percent}%), ${formatBytes(Math.round(p.rateBps))}/s${paused}`;
}

/** `850ms`, `5s`, `2m05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/** Checks a progress message from the server: numbers that are numbers, a text that is text. */
export function isProgress(v: unknown): v is ProgressWire {
  if (typeof v !== 'object' || v === null) return false;
  const p = v as Record<string, unknown>;
  const num = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  return typeof p['what'] === 'string' && num(p['done']) && num(p['total']) && num(p['rateBps']) && (p['pausedMs'] === undefined || num(p['pausedMs']));
}
