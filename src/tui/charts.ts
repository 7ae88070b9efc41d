// History charts for the gauges view (pure): one column per server sample, newest at the right, bars in eighths of a
// cell over several rows, a 0-based y axis with its top value, a time axis labelled back from "now", and an optional
// reference line (the guests' mem= total on the memory-file chart).

import type { Seg } from './meter.js';

const VERTICAL = ['', '▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/** Columns of the y labels and the axis line beside them. */
const Y_WIDTH = 7;
const TICK_SECONDS = [15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200];

export interface ChartSpec {
  title: string;
  /** One value per sample, oldest first; undefined where the sample has none. */
  values: ReadonlyArray<number | undefined>;
  /** When each sample was taken (ms), same length as values. */
  ats: readonly number[];
  format: (n: number) => string;
  /** A level drawn across the chart as a dashed line, labelled on the y axis. */
  ref?: { value: number; label: string };
}

export interface ChartStyle {
  bar: string;
  axis: string;
  ref: string;
  title: string;
}

/** The usual gap between samples (the median), or `fallback` with fewer than two. */
export function sampleInterval(ats: readonly number[], fallback = 5000): number {
  const gaps = ats.slice(1).map((t, i) => t - ats[i]!).filter((g) => g > 0).sort((a, b) => a - b);
  return gaps.length ? gaps[Math.floor(gaps.length / 2)]! : fallback;
}

/** `-90 s` as the axis writes it: -15s, -1m, -1m30s, -1h. */
export function ago(seconds: number): string {
  if (seconds <= 0) return 'now';
  if (seconds < 60) return `-${seconds}s`;
  if (seconds < 3600) return `-${Math.floor(seconds / 60)}m${seconds % 60 ? `${seconds % 60}s` : ''}`;
  return `-${Math.floor(seconds / 3600)}h${seconds % 3600 ? `${Math.floor((seconds % 3600) / 60)}m` : ''}`;
}

/** The axis line under `plot` columns of samples `interval` ms apart: a rule with ticks (┴), each time just before its tick. */
export function timeAxis(plot: number, interval: number): string {
  const chars = Array.from({ length: plot }, () => '─');
  const perCol = interval / 1000;
  const step = TICK_SECONDS.find((s) => s / perCol >= 12) ?? TICK_SECONDS.at(-1)!;
  const put = (end: number, text: string) => {
    const start = end - text.length + 1;
    if (start < 0) return false;
    for (let i = 0; i < text.length; i++) chars[start + i] = text[i]!;
    return true;
  };
  put(plot - 1, 'now');
  for (let s = step; ; s += step) {
    const col = plot - 1 - Math.round(s / perCol);
    if (col < 1 || !put(col - 1, ago(s))) break;
    chars[col] = '┴';
  }
  return chars.join('');
}

/** The chart as `height` lines of segments, each exactly `width` columns. */
export function chartLines(spec: ChartSpec, width: number, height: number, style: ChartStyle): Seg[][] {
  const plot = Math.max(1, width - Y_WIDTH);
  const rows = Math.max(1, height - 2);
  const n = spec.values.length;
  const shown = Array.from({ length: plot }, (_, j) => spec.values[n - plot + j]);
  const max = Math.max(0, ...shown.filter((v): v is number => v !== undefined), spec.ref?.value ?? 0);
  const top = max > 0 ? max : 1;
  const eighthsOf = (v: number) => Math.max(v > 0 ? 1 : 0, Math.round((v / top) * rows * 8));
  const refRow = spec.ref ? rows - 1 - Math.min(rows - 1, Math.floor((spec.ref.value / top) * rows - 1e-9)) : -1;
  const last = [...spec.values].reverse().find((v) => v !== undefined);
  const now = last === undefined ? 'no samples yet' : spec.format(last);
  const lines: Seg[][] = [[{ text: spec.title, fg: style.title, bold: true }, { text: ` ${now}`.padStart(Math.max(0, width - spec.title.length)) }]];
  for (let r = 0; r < rows; r++) {
    const floor = (rows - 1 - r) * 8;
    let text = '';
    for (const v of shown) {
      const e = v === undefined ? 0 : Math.min(8, Math.max(0, eighthsOf(v) - floor));
      text += VERTICAL[e] || (r === refRow ? '╌' : ' ');
    }
    const label = r === 0 ? spec.format(top) : r === refRow ? (spec.ref?.label ?? '') : r === rows - 1 ? '0' : '';
    const yText = `${label.slice(0, Y_WIDTH - 1).padStart(Y_WIDTH - 1)}${r === 0 || r === rows - 1 || r === refRow ? '┤' : '│'}`;
    const row: Seg[] = [{ text: yText, fg: r === refRow ? style.ref : style.axis }];
    // The bars in the chart's colour, the dashes of the reference line in its own.
    for (const part of text.match(/╌+|[^╌]+/g) ?? []) row.push({ text: part, fg: part.startsWith('╌') ? style.ref : style.bar });
    lines.push(row);
  }
  lines.push([{ text: `${' '.repeat(Y_WIDTH - 1)}└${timeAxis(plot, sampleInterval(spec.ats))}`, fg: style.axis }]);
  return lines.slice(0, height);
}
