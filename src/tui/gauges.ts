// The gauges view (prefix g): host RAM and swap in use, the memory-file filesystem against the sum of the guests'
// mem= (SIGBUS risk), per-guest memory, and sparklines of the server's sample history. blessed-contrib widgets,
// rebuilt on each show and resize (their canvas is sized once); a plain text summary when the area is too small.

import blessed from 'blessed';
import type { Widgets } from 'blessed';
import contrib from 'blessed-contrib';
import type { HostSample } from '../protocol/host-types.js';
import { formatBytes } from '../protocol/host-types.js';
import { escapeTags } from './cells.js';
import { showControls } from '../core/terminal-text.js';

const pct = (part: number, whole: number) => (whole > 0 ? Math.max(0, Math.min(100, Math.round((100 * part) / whole))) : 0);

/** The figures the gauges show, in percent and words (pure: unit-tested). */
export function gaugeFigures(s: HostSample): Array<{ label: string; percent: number; danger: boolean }> {
  const h = s.host;
  const guestsMem = s.guestsMem; // running guests only, as the server counts them
  const out = [
    { label: `RAM in use: ${formatBytes(h.ramTotal - h.ramAvailable)} of ${formatBytes(h.ramTotal)}`, percent: pct(h.ramTotal - h.ramAvailable, h.ramTotal), danger: false },
    { label: h.swapTotal ? `swap in use: ${formatBytes(h.swapTotal - h.swapFree)} of ${formatBytes(h.swapTotal)}` : 'swap: none', percent: pct(h.swapTotal - h.swapFree, h.swapTotal), danger: false },
  ];
  const fs = s.memfileFs;
  if (fs) {
    out.push({ label: `guests' mem= ${formatBytes(guestsMem)} against ${fs.path} ${formatBytes(fs.size)}`, percent: pct(guestsMem, fs.size), danger: guestsMem > fs.size });
  }
  for (const o of out) o.danger ||= o.percent >= 90;
  return out;
}

/** The last `n` values of a series from the history (sparklines read left to right, oldest first). */
export function series(history: readonly HostSample[], pick: (s: HostSample) => number | undefined, n: number): number[] {
  return history.map(pick).filter((v): v is number => v !== undefined).slice(-Math.max(1, n));
}

/** One guest's PSS over the history (samples where it was not measured are left out). */
export function guestSeries(history: readonly HostSample[], name: string, n: number): number[] {
  return series(history, (s) => s.guests.find((g) => g.name === name)?.pss, n);
}

export class GaugesView {
  private widgets: Widgets.BlessedElement[] = [];

  constructor(private readonly area: Widgets.BoxElement) {}

  /** Rebuilds the widgets for the area's current size. */
  show(sample: HostSample, history: readonly HostSample[], colors: { gauge: string; danger: string } = { gauge: 'green', danger: 'red' }): void {
    this.clear();
    // Offsets inside the area's frame, in cells (blessed counts a child's offsets from the frame itself).
    const width = Number(this.area.width) - 2;
    const height = Number(this.area.height) - 2;
    const half = Math.floor(width / 2);
    const figures = gaugeFigures(sample);
    const warnings = sample.warnings.map((w) => `{${w.level === 'danger' ? 'red' : 'yellow'}-fg}${escapeTags(w.text)}{/}`);
    if (width < 30 || height < 3 * figures.length + 4) {
      const text = blessed.box({ parent: this.area, top: 1, left: 1, width, height, tags: true });
      text.setContent([...figures.map((f) => `${f.percent}% ${escapeTags(f.label)}`), ...warnings].join('\n'));
      this.widgets.push(text);
      return;
    }
    // A borderless gauge draws its label one row above its box.
    let top = 2;
    for (const f of figures) {
      // Appended after construction: contrib's canvas is set up on 'attach', which a parent option fires too early.
      const g = contrib.gauge({ top, left: 1, width: half, height: 2, label: ` ${f.label} `, stroke: f.danger ? colors.danger : colors.gauge, fill: 'white' });
      this.area.append(g);
      g.setPercent(f.percent);
      this.widgets.push(g);
      top += 3;
    }
    const guests = sample.guests
      .filter((g) => g.pid !== null)
      .map((g) => `${escapeTags(showControls(g.name).slice(0, 10).padEnd(10))} ${formatBytes(g.mem ?? 0)} PSS ${g.pss === undefined ? '?' : formatBytes(g.pss)} file ${g.memfile ? formatBytes(g.memfile.allocated) : '?'}`);
    top -= 1;
    const list = blessed.box({ parent: this.area, top, left: 1, width: half, height: Math.max(3, height + 1 - top), label: ' guests: mem=, PSS, memory file ', border: 'line', tags: true });
    list.setContent([...warnings, ...guests].join('\n'));
    this.widgets.push(list);
    const points = Math.max(1, width - half - 4);
    const live = sample.guests.filter((g) => g.pid !== null);
    // Host history on top; each guest's PSS history below it, as many guests as fit (two rows each).
    const guestRows = Math.min(live.length, Math.max(0, Math.floor((height - 10) / 2)));
    const hostHeight = guestRows > 0 ? Math.max(8, Math.floor(height / 2)) : height;
    const spark = contrib.sparkline({ top: 1, left: 1 + half, width: width - half, height: hostHeight, label: ' host history (5 s samples) ', tags: true, border: { type: 'line' } });
    this.area.append(spark);
    spark.setData(
      ['RAM available', 'memory files used', 'swap used'],
      [
        series(history, (s) => s.host.ramAvailable, points),
        series(history, (s) => (s.memfileFs ? s.memfileFs.used : undefined), points),
        series(history, (s) => s.host.swapTotal - s.host.swapFree, points),
      ],
    );
    this.widgets.push(spark);
    if (guestRows > 0 && height - hostHeight >= 4) {
      const shown = live.slice(0, Math.min(guestRows, Math.floor((height - hostHeight - 2) / 2)));
      const perGuest = contrib.sparkline({ top: 1 + hostHeight, left: 1 + half, width: width - half, height: height - hostHeight, label: ' guest PSS history ', tags: true, border: { type: 'line' } });
      this.area.append(perGuest);
      perGuest.setData(
        shown.map((g) => `${g.name.slice(0, 16)} ${g.pss === undefined ? '' : formatBytes(g.pss)}`),
        shown.map((g) => guestSeries(history, g.name, points)),
      );
      this.widgets.push(perGuest);
    }
  }

  clear(): void {
    for (const w of this.widgets) w.destroy();
    this.widgets = [];
  }
}
