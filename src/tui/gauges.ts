// The gauges view (prefix g), drawn as cells from pure markup: a meter per host resource (RAM, swap, the memory-file
// filesystem with the guests' mem= layer and the part past its end, the SIGBUS risk), a meter per guest (PSS and
// memory file against its mem=), the warnings, and history charts with a time axis over the server's samples.

import blessed from './blessed-lite.js';
import type { Widgets } from 'blessed';
import type { GuestSample, HostSample } from '../protocol/host-types.js';
import { formatBytes } from '../protocol/host-types.js';
import { showControls } from '../core/terminal-text.js';
import { chartLines, type ChartSpec } from './charts.js';
import { compactBytes, fitSegs, GLYPH, meterCells, meterLevel, meterSegs, segsMarkup, type MeterInput, type MeterStyle, type Seg } from './meter.js';

/** What the view is drawn with: the meters' colours and levels, and the colour of titles and axes. */
export interface GaugesStyle extends MeterStyle {
  title: string;
  axis: string;
}

const LABEL = 14;
const NAME = 12;
/** Rows a chart needs at least: title, three rows of bars, the time axis. */
const CHART_MIN = 5;
const TWO_COLUMNS_FROM = 120;

const pct = (part: number, whole: number) => (whole > 0 ? `${Math.round((100 * part) / whole)}%` : '');

/** One meter row: label, bar, figure, exactly `width` columns (the bar takes what the others leave, at least 8). */
function meterRow(label: string, m: MeterInput, figure: string, width: number, style: MeterStyle, figureWidth: number): Seg[] {
  const level = meterLevel(m, style.levels);
  const bar = Math.max(8, width - LABEL - 1 - figureWidth);
  const flagged = level === 'danger' ? `${label}!` : label;
  return fitSegs(
    [
      { text: flagged.padEnd(LABEL), bold: level === 'danger' },
      ...meterSegs(meterCells(bar, m), level, style),
      { text: ` ${figure}`, ...(level === 'ok' ? {} : { fg: style[level] }), bold: level === 'danger' },
    ],
    width,
  );
}

/** The memory-file meter's legend: what the two layers are, where the files are, and the over-commit drawn in ▓. */
function memfileLegend(s: HostSample, style: MeterStyle): Seg[] {
  const fs = s.memfileFs!;
  const segs: Seg[] = [
    { text: ' '.repeat(LABEL) },
    { text: GLYPH.full, fg: style.ok },
    { text: ' used  ' },
    { text: GLYPH.mark, fg: style.mark },
    { text: GLYPH.commit, fg: style.mark },
    { text: ` guests' mem= ${formatBytes(s.guestsMem)}` },
  ];
  if (fs.size > 0 && s.guestsMem > fs.size) {
    segs.push({ text: '  ' }, { text: GLYPH.over, fg: style.danger }, { text: ` ${formatBytes(s.guestsMem - fs.size)} past the end: SIGBUS`, fg: style.danger, bold: true });
  } else {
    segs.push({ text: `  ${s.memfileDir} ${fs.type === 'tmpfs' ? 'tmpfs' : `(not tmpfs: ${fs.typeHex})`}` });
  }
  return segs;
}

function hostRows(s: HostSample, width: number, style: MeterStyle): Seg[][] {
  const h = s.host;
  const ramUsed = h.ramTotal - h.ramAvailable;
  const swapUsed = h.swapTotal - h.swapFree;
  const fs = s.memfileFs;
  const figures = [
    `${formatBytes(ramUsed)} of ${formatBytes(h.ramTotal)} ${pct(ramUsed, h.ramTotal)}`,
    h.swapTotal ? `${formatBytes(swapUsed)} of ${formatBytes(h.swapTotal)} ${pct(swapUsed, h.swapTotal)}` : 'none',
    fs ? `${formatBytes(fs.used)} of ${formatBytes(fs.size)} ${pct(fs.used, fs.size)}` : (s.memfileError?.message ?? 'unknown'),
  ];
  const figureWidth = Math.min(Math.max(...figures.map((f) => f.length)) + 1, Math.max(0, width - LABEL - 9));
  const rows = [
    meterRow('RAM', { used: ramUsed, size: h.ramTotal }, figures[0]!, width, style, figureWidth),
    meterRow('Swap', { used: swapUsed, size: h.swapTotal }, figures[1]!, width, style, figureWidth),
  ];
  if (fs) {
    rows.push(meterRow('Memory files', { used: fs.used, size: fs.size, committed: s.guestsMem }, figures[2]!, width, style, figureWidth));
    rows.push(fitSegs(memfileLegend(s, style), width));
  } else {
    rows.push(fitSegs([{ text: 'Memory files!'.padEnd(LABEL), bold: true }, { text: figures[2]!, fg: style.danger, bold: true }], width));
  }
  return rows;
}

/**
 * One guest: its memory file (what it has touched, █) against its mem=, and its PSS (host RAM it costs, kernel and
 * helpers included) on a scale shared by every guest, with ░ up to its mem= and ┃ there.
 */
function guestRow(g: GuestSample, width: number, style: MeterStyle, pssScale: number): Seg[] {
  const name = showControls(g.name).slice(0, NAME - 1).padEnd(NAME);
  if (g.pid === null) return fitSegs([{ text: name }, { text: 'not running', fg: style.track }], width);
  const mem = g.mem ?? 0;
  const file = ` ${g.memfile ? compactBytes(g.memfile.allocated) : '?'}/${compactBytes(mem)}`.padEnd(11);
  const pss = ` ${g.pss === undefined ? '?' : compactBytes(g.pss)}`;
  const bars = Math.max(8, width - NAME - file.length - 5 - pss.length);
  const fileBar = Math.floor(bars / 2);
  const touched: MeterInput = { used: g.memfile?.allocated ?? 0, size: mem };
  const cost: MeterInput = { used: g.pss ?? 0, size: pssScale, committed: mem };
  return fitSegs(
    [
      { text: name },
      ...meterSegs(meterCells(fileBar, touched), meterLevel(touched, style.levels), style),
      { text: file },
      { text: 'PSS ' },
      ...meterSegs(meterCells(bars - fileBar, cost), 'ok', style),
      { text: pss },
    ],
    width,
  );
}

/** The text of the warnings, wrapped at `width`. */
function warningRows(s: HostSample, width: number, style: MeterStyle, max: number): Seg[][] {
  const rows: Seg[][] = [];
  for (const w of s.warnings) {
    const words = w.text.split(' ');
    let line = '';
    for (const word of words) {
      if (line && line.length + 1 + word.length > width) {
        rows.push([{ text: line, fg: w.level === 'danger' ? style.danger : style.warn }]);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) rows.push([{ text: line, fg: w.level === 'danger' ? style.danger : style.warn }]);
  }
  return rows.slice(0, max);
}

/** The charts the history gives, most important first. */
function chartSpecs(s: HostSample, history: readonly HostSample[]): ChartSpec[] {
  const ats = history.map((x) => x.at);
  const bytes = (n: number) => compactBytes(n);
  const specs: ChartSpec[] = [
    { title: 'RAM in use', values: history.map((x) => x.host.ramTotal - x.host.ramAvailable), ats, format: bytes },
  ];
  if (s.memfileFs) {
    specs.push({
      title: `memory files on ${s.memfileDir}`,
      values: history.map((x) => x.memfileFs?.used),
      ats,
      format: bytes,
      ...(s.guestsMem > 0 ? { ref: { value: s.guestsMem, label: 'mem=' } } : {}),
    });
  }
  if (s.host.swapTotal > 0) specs.push({ title: 'swap in use', values: history.map((x) => x.host.swapTotal - x.host.swapFree), ats, format: bytes });
  for (const g of s.guests.filter((x) => x.pid !== null)) {
    specs.push({ title: `${showControls(g.name).slice(0, 24)} PSS`, values: history.map((x) => x.guests.find((y) => y.name === g.name)?.pss), ats, format: bytes });
  }
  return specs;
}

/** The charts in one or two columns over `height` rows. */
function chartRows(specs: readonly ChartSpec[], width: number, height: number, style: GaugesStyle): Seg[][] {
  const cols = width >= TWO_COLUMNS_FROM ? 2 : 1;
  const fitRows = Math.floor(height / CHART_MIN);
  const count = Math.min(specs.length, fitRows * cols);
  if (count === 0) return [];
  const gridRows = Math.ceil(count / cols);
  const chartHeight = Math.floor(height / gridRows);
  const colWidth = Math.floor((width - (cols - 1) * 2) / cols);
  const cstyle = { bar: style.ok, axis: style.axis, ref: style.mark, title: style.title };
  const out: Seg[][] = [];
  for (let r = 0; r < gridRows; r++) {
    const charts = specs.slice(r * cols, r * cols + cols).map((spec) => chartLines(spec, colWidth, chartHeight, cstyle));
    for (let y = 0; y < chartHeight; y++) {
      const line: Seg[] = [];
      charts.forEach((c, i) => line.push(...(i > 0 ? [{ text: '  ' }] : []), ...fitSegs(c[y] ?? [], colWidth)));
      out.push(line);
    }
  }
  return out;
}

/** The whole view as `height` lines of blessed markup, each `width` columns. */
export function gaugesLines(s: HostSample, history: readonly HostSample[], width: number, height: number, style: GaugesStyle): string[] {
  const rows: Seg[][] = [...hostRows(s, width, style), []];
  const guests = s.guests;
  // Leave the charts room for one at least; each guest gets a row while there is room.
  const room = Math.max(0, height - rows.length - 2 - CHART_MIN - 1);
  if (guests.length > 0 && room > 0) {
    rows.push(fitSegs([{ text: 'guests'.padEnd(NAME), fg: style.title, bold: true }, { text: 'memory file touched / mem=, PSS (host RAM it costs) ' }, { text: GLYPH.mark, fg: style.mark }, { text: ' at mem=' }], width));
    const shown = guests.slice(0, room - 1);
    const pssScale = Math.max(0, ...shown.map((g) => Math.max(g.pss ?? 0, g.pid === null ? 0 : (g.mem ?? 0))));
    for (const g of shown) rows.push(guestRow(g, width, style, pssScale));
    if (shown.length < guests.length) rows.push([{ text: `… ${guests.length - shown.length} more guests (umux host lists them all)`, fg: style.axis }]);
  }
  rows.push(...warningRows(s, width, style, Math.max(0, height - rows.length - CHART_MIN - 1)));
  rows.push([]);
  rows.push(...chartRows(chartSpecs(s, history), width, height - rows.length, style));
  return rows.slice(0, height).map((r) => segsMarkup(fitSegs(r, width)));
}

export class GaugesView {
  private body: Widgets.BoxElement | undefined;

  constructor(private readonly area: Widgets.BoxElement) {}

  /** Draws the view for the area's current size. */
  show(sample: HostSample, history: readonly HostSample[], style: GaugesStyle): void {
    // Offsets inside the area's frame, in cells (blessed counts a child's offsets from the frame itself).
    const width = Math.max(1, Number(this.area.width) - 2);
    const height = Math.max(1, Number(this.area.height) - 2);
    this.body ??= blessed.box({ parent: this.area, top: 1, left: 1, tags: true, wrap: false });
    this.body.width = width;
    this.body.height = height;
    this.body.setContent(gaugesLines(sample, history, width, height, style).join('\n'));
  }

  clear(): void {
    this.body?.destroy();
    this.body = undefined;
  }
}
