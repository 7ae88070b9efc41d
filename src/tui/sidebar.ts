// The sidebar's markup (pure): one line per guest with a coloured state badge and an attention mark, and host
// meters at its foot (RAM, swap, the memory-file filesystem with the guests' mem= total).
// Guest names and warnings are escaped: only umux's own tags reach blessed.

import type { GuestInfo } from '../protocol/wire-messages.js';
import { parseGuestState, type GuestState } from '../protocol/guest-state.js';
import type { HostSample } from '../protocol/host-types.js';
import { escapeTags } from './cells.js';
import { compactBytes, type Level, meterCells, meterLevel, meterSegs, segsMarkup, type MeterInput, type MeterStyle, type Seg } from './meter.js';
import { showControls } from '../core/terminal-text.js';

export const SIDEBAR_WIDTH = 26;
/** A meter line: a 3-letter label and its flag, the bar, a space and the figure (`502M/24G`). */
const LABEL_WIDTH = 4;
const FIGURE_WIDTH = 9;

/** Each state's badge: its colour when the theme gives none, and its text (at most 5 columns). */
export const BADGE: Readonly<Record<GuestState, readonly [string, string]>> = {
  running: ['green', 'RUN'],
  starting: ['cyan', 'BOOT'],
  paused: ['yellow', 'PAUSE'],
  unresponsive: ['red', 'HUNG'],
  crashed: ['red', 'PANIC'],
  stale: ['magenta', 'STALE'],
  stopping: ['yellow', 'STOP…'],
  stopped: ['gray', 'OFF'],
  exited: ['gray', 'EXIT'],
};

/** States that need the admin: marked with `!` in the sidebar. */
export const NEEDS_ATTENTION: Readonly<Record<GuestState, boolean>> = {
  running: false,
  starting: false,
  paused: false,
  unresponsive: true,
  crashed: true,
  stale: true,
  stopping: false,
  stopped: false,
  exited: false,
};

export interface SidebarStyle {
  /** Colour of each state's badge (a blessed colour name or #rrggbb; 'default' leaves it uncoloured). */
  states?: Readonly<Partial<Record<GuestState, string>>>;
  /** Guests shown in a pane other than the focused one: marked with a dot. */
  shown?: ReadonlySet<string>;
  /** Guests with events the admin has not looked at: marked with a star. */
  unseen?: ReadonlySet<string>;
}

/** One guest's line: attention mark, state badge, name, mem=; inverse when it is the focused guest. */
export function guestLine(g: GuestInfo, focused: string | undefined, style: SidebarStyle = {}): string {
  const state = parseGuestState(g.state);
  // A state from a newer server is shown as its text, in white.
  const [fallback, badge] = state ? BADGE[state] : ['white', showControls(g.state).toUpperCase()];
  const color = (state && style.states?.[state]) ?? fallback;
  const padded = escapeTags(badge.padEnd(5));
  const badgeText = color === 'default' ? padded : `{${color}-fg}${padded}{/${color}-fg}`;
  const mark = state && NEEDS_ATTENTION[state] ? '!' : style.unseen?.has(g.name) ? '*' : style.shown?.has(g.name) ? '•' : ' ';
  const line = `${mark}${badgeText} ${escapeTags(showControls(g.name).slice(0, SIDEBAR_WIDTH - 13))} ${escapeTags(g.mem)}`;
  return g.name === focused ? `{inverse}${line}{/inverse}` : line;
}

/** One line per guest: attention mark, state badge, name, mem=; the focused guest's line inverse. */
export function guestLines(guests: readonly GuestInfo[], focused: string | undefined, style: SidebarStyle = {}): string {
  if (guests.length === 0) return 'no guests yet:\numux start NAME';
  return guests.map((g) => guestLine(g, focused, style)).join('\n');
}

/** A row of the sidebar: a group's header, a guest, or a note under a header (why a host is unreachable). */
export type SidebarRow = { kind: 'header'; text: string; count: number } | { kind: 'guest'; guest: GuestInfo } | { kind: 'note'; text: string };

/** A note's line: its text (from a far host: controls shown, tags escaped), cut to `width`, dimmed. */
function noteLine(text: string, width: number): string {
  const shown = showControls(text);
  return `{gray-fg}${escapeTags(shown.length > width ? `${shown.slice(0, width - 1)}…` : shown)}{/gray-fg}`;
}

/** The rows that fit: rows[top, top + count), with how many are left out above and below (each says so on a line). */
export interface SidebarWindow {
  top: number;
  count: number;
  above: number;
  below: number;
}

/** A group's header, `── crashed 2 ───`, cut at the left (`…/guests 12`) to fit `width`; host text escaped. */
export function groupHeader(text: string, count: number, width = SIDEBAR_WIDTH - 2): string {
  const tail = ` ${count} `;
  const room = Math.max(1, width - 3 - tail.length);
  const shown = showControls(text || '?');
  const label = shown.length > room ? `…${shown.slice(shown.length - room + 1)}` : shown;
  return `{bold}${escapeTags(`── ${label}${tail}`.padEnd(width, '─'))}{/bold}`;
}

export interface SidebarText {
  rows: readonly SidebarRow[];
  window: SidebarWindow;
  focused: string | undefined;
  style: SidebarStyle;
  /** The filter typed, shown on the first line with the count of guests it finds (empty: no such line). */
  filter: string;
  /** Guests in all, and those the filter finds. */
  total: number;
  matched: number;
}

/** `↑ 12 more`, and when the first row shown is a guest whose group's header scrolled away, that group: `↑ 57 more · www`. */
function moreAbove(rows: readonly SidebarRow[], window: SidebarWindow, width: number): string {
  const text = `↑ ${window.above} more`;
  if (rows[window.top]?.kind !== 'guest') return text;
  const header = rows.slice(0, window.top).findLast((r) => r.kind === 'header');
  if (header?.kind !== 'header') return text;
  const room = width - text.length - 3;
  const name = showControls(header.text || '?');
  return room < 2 ? text : `${text} · ${name.length > room ? `…${name.slice(name.length - room + 1)}` : name}`;
}

/** The sidebar's lines: the filter and its count, "↑ N more", the window's rows, "↓ N more". */
export function sidebarText(t: SidebarText, width = SIDEBAR_WIDTH - 2): string {
  const lines: string[] = [];
  if (t.filter) {
    const count = ` ${t.matched}/${t.total}`;
    const typed = showControls(t.filter);
    const room = Math.max(1, width - 1 - count.length);
    lines.push(`{bold}/${escapeTags(typed.length > room ? `${typed.slice(0, room - 1)}…` : typed.padEnd(room))}{/bold}${count}`);
  }
  if (t.total === 0 && !t.rows.some((r) => r.kind === 'note')) return 'no guests yet:\numux start NAME';
  if (t.rows.length === 0) lines.push('no guest matches');
  if (t.window.above > 0) lines.push(`{gray-fg}${escapeTags(moreAbove(t.rows, t.window, width))}{/gray-fg}`);
  for (const row of t.rows.slice(t.window.top, t.window.top + t.window.count)) {
    if (row.kind === 'note') lines.push(noteLine(row.text, width));
    else lines.push(row.kind === 'header' ? groupHeader(row.text, row.count, width) : guestLine(row.guest, t.focused, t.style));
  }
  if (t.window.below > 0) lines.push(`{gray-fg}↓ ${t.window.below} more{/gray-fg}`);
  return lines.join('\n');
}

/** One meter line: label and a flag (`!` past the danger level), bar, figure; `width` columns in all. */
export function meterLine(label: string, m: MeterInput, figure: string, style: MeterStyle, width = SIDEBAR_WIDTH - 2, level: Level = meterLevel(m, style.levels)): string {
  const fig = figure.padStart(FIGURE_WIDTH);
  const bar = meterCells(width - LABEL_WIDTH - 1 - FIGURE_WIDTH, m);
  const head: Seg = { text: `${label.slice(0, LABEL_WIDTH - 1).padEnd(LABEL_WIDTH - 1)}${level === 'danger' ? '!' : ' '}`, bold: level === 'danger' };
  const tail: Seg = { text: ` ${fig}`, ...(level === 'ok' ? {} : { fg: style[level] }), bold: level === 'danger' };
  return segsMarkup([head, ...meterSegs(bar, level, style), tail]);
}

/** The memory-file filesystem's short label: Shm for /dev/shm, Tmp for a TMPDIR. */
export function memfileLabel(dir: string): string {
  return dir.replace(/\/+$/, '') === '/dev/shm' ? 'Shm' : 'Tmp';
}

/**
 * The sidebar's foot: RAM, swap and the memory-file filesystem as meters, one line each (the last with the guests'
 * mem= total as a second layer and a mark), and one short line when the guests' mem= passes the filesystem's end.
 */
export function hostLines(host: HostSample, style: MeterStyle, width = SIDEBAR_WIDTH - 2): string {
  const h = host.host;
  const used = (n: number, whole: number) => `${compactBytes(n)}/${compactBytes(whole)}`;
  const lines = [
    meterLine('RAM', { used: h.ramTotal - h.ramAvailable, size: h.ramTotal }, used(h.ramTotal - h.ramAvailable, h.ramTotal), style, width),
    meterLine('Swp', { used: h.swapTotal - h.swapFree, size: h.swapTotal }, h.swapTotal ? used(h.swapTotal - h.swapFree, h.swapTotal) : 'none', style, width),
  ];
  const fs = host.memfileFs;
  const label = memfileLabel(host.memfileDir);
  if (fs) lines.push(meterLine(label, { used: fs.used, size: fs.size, committed: host.guestsMem }, used(fs.used, fs.size), style, width));
  else lines.push(meterLine(label, { used: 0, size: 0 }, 'missing', style, width, 'danger'));
  if (fs && fs.size > 0 && host.guestsMem > fs.size) {
    const text = `mem= ${compactBytes(host.guestsMem)} > ${compactBytes(fs.size)}: SIGBUS`.slice(0, width);
    lines.push(segsMarkup([{ text, fg: style.danger, bold: true }]));
  } else if (host.warnings[0]) {
    const w = host.warnings[0];
    const text = w.text.length > width ? `${w.text.slice(0, width - 1)}…` : w.text;
    lines.push(segsMarkup([{ text, fg: w.level === 'danger' ? style.danger : style.warn }]));
  }
  return lines.join('\n');
}

/** Per guest, the newest event the admin has seen (shown in a pane, or its event log opened), else the TUI's start. */
export class SeenEvents {
  private readonly seen = new Map<string, string>();

  constructor(private readonly since: string = new Date().toISOString()) {}

  /** The admin saw `name`'s events up to `at`. */
  mark(name: string, at: string): void {
    this.seen.set(name, at);
  }

  /** The guests with events newer than the admin saw; a guest shown in a pane counts as seen. */
  unseen(guests: readonly GuestInfo[], inPanes: ReadonlySet<string | undefined>): Set<string> {
    for (const g of guests) if (inPanes.has(g.name) && g.lastEventAt) this.seen.set(g.name, g.lastEventAt);
    return new Set(guests.filter((g) => g.lastEventAt && g.lastEventAt > (this.seen.get(g.name) ?? this.since)).map((g) => g.name));
  }
}
