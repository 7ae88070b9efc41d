// The sidebar's model (pure), for a hundred guests: the order (those that need attention first), the filter typed
// (name, fuzzy, or a state word like `panic`), groups (by state, owner, definition directory or host) with a header each,
// and the window of rows that fits the sidebar's height with the focused guest in it.

import { GUEST_STATES, parseGuestState, type GuestState } from '../protocol/guest-state.js';
import type { GuestInfo } from '../protocol/wire-messages.js';
import { splitQualified } from '../protocol/host-guest.js';
import { BADGE, NEEDS_ATTENTION, SIDEBAR_WIDTH, type SidebarRow, type SidebarWindow } from './sidebar.js';

export type { SidebarRow, SidebarWindow };

/** How the sidebar groups its guests; `group` with no word steps through them in this order. */
export const GROUPINGS = ['none', 'state', 'owner', 'dir'] as const;
/** By host: the default in a view over several hosts, and in the steps after dir only there. */
export const HOST_GROUPING = 'host';
export type Grouping = (typeof GROUPINGS)[number] | typeof HOST_GROUPING;

export interface SidebarView {
  /** What the admin typed at the filter; empty shows every guest. */
  filter: string;
  group: Grouping;
  /** The hosts of a view over several, in order, each with how it is (grouping by host shows why one is down). */
  hosts?: ReadonlyArray<HostLine>;
}

/** Words that find a state besides its name and badge: `panic` finds crashed guests, `hang` unresponsive ones. */
const STATE_WORDS: Readonly<Record<GuestState, readonly string[]>> = {
  running: ['up'],
  starting: ['booting'],
  paused: ['frozen'],
  unresponsive: ['hang', 'hung'],
  crashed: ['panic', 'crash'],
  stale: ['dead'],
  stopping: [],
  stopped: ['off', 'down'],
  exited: ['exit', 'down'],
};

/** A state's place when grouping by state: those that need attention first, then in GUEST_STATES order. */
function stateRank(text: string): number {
  const state = parseGuestState(text);
  if (state === undefined) return GUEST_STATES.length * 2;
  return GUEST_STATES.indexOf(state) + (NEEDS_ATTENTION[state] ? 0 : GUEST_STATES.length);
}

function needsAttention(g: GuestInfo): boolean {
  const state = parseGuestState(g.state);
  return state !== undefined && NEEDS_ATTENTION[state];
}

/** The sidebar's order: guests that need attention (panic, hang, stale) first, each part in the server's order. */
export function sidebarOrder(guests: readonly GuestInfo[]): GuestInfo[] {
  return [...guests.filter(needsAttention), ...guests.filter((g) => !needsAttention(g))];
}

/** `wb1` finds `web1`: the letters of `term` in `text`, in order. */
function inOrder(term: string, text: string): boolean {
  let at = 0;
  for (const ch of term) {
    at = text.indexOf(ch, at) + 1;
    if (at === 0) return false;
  }
  return true;
}

/** The words a guest is found by from their start besides its name: its state, badge, state words and owner. */
function guestWords(g: GuestInfo): string[] {
  const state = parseGuestState(g.state);
  const words = [g.state, ...(state ? [BADGE[state][1], ...STATE_WORDS[state]] : []), g.owner ?? ''];
  if (state && NEEDS_ATTENTION[state]) words.push('!');
  return words.map((w) => w.toLowerCase());
}

/** One word of a filter: a part of the name, the start of a state word or the owner, a part of the directory with a `/`. */
function termFinds(g: GuestInfo, term: string, fuzzy: boolean): boolean {
  const name = g.name.toLowerCase();
  if (name.includes(term) || (fuzzy && inOrder(term, name))) return true;
  if (term.includes('/')) return (g.dir ?? '').toLowerCase().includes(term);
  return guestWords(g).some((w) => w.startsWith(term));
}

/**
 * True when every word of `filter` finds the guest (case aside): a part of its name, the start of its state, badge,
 * a state word (`panic`, `hang`) or its owner, or, for a word with a `/`, a part of its directory; `!` finds those
 * that need attention. With `fuzzy`, a word's letters in order in the name do too (`wb1` finds `web1`).
 */
export function matchesFilter(g: GuestInfo, filter: string, fuzzy = false): boolean {
  const terms = filter.toLowerCase().split(/\s+/).filter(Boolean);
  return terms.every((t) => termFinds(g, t, fuzzy));
}

/** The guests `filter` finds: by parts of words when any guest is found so, else by letters in order (fuzzy). */
export function filterGuests(guests: readonly GuestInfo[], filter: string): GuestInfo[] {
  const found = guests.filter((g) => matchesFilter(g, filter));
  return found.length > 0 ? found : guests.filter((g) => matchesFilter(g, filter, true));
}

/** The group a guest goes in: its state, owner, or definition directory (`?` when the server does not say). */
export function groupOf(g: GuestInfo, by: Grouping): string {
  if (by === 'state') return g.state;
  if (by === 'owner') return g.owner ?? '?';
  if (by === 'dir') return g.dir ?? '?';
  if (by === 'host') return splitQualified(g.name).host;
  return '';
}

/** The guests shown, in order: filtered, attention first, grouped (groups in order, their guests in sidebar order). */
export function shownGuests(guests: readonly GuestInfo[], view: SidebarView): GuestInfo[] {
  return sidebarRows(guests, view).flatMap((r) => (r.kind === 'guest' ? [r.guest] : []));
}

/** The sidebar's rows: the guests shown, with a header before each group when grouping. */
export function sidebarRows(guests: readonly GuestInfo[], view: SidebarView): SidebarRow[] {
  const shown = sidebarOrder(filterGuests(guests, view.filter));
  if (view.group === 'none') return shown.map((guest) => ({ kind: 'guest', guest }));
  if (view.group === 'host' && view.hosts) return hostRows(shown, view.hosts, view.filter !== '');
  const groups = new Map<string, GuestInfo[]>();
  for (const g of shown) {
    const key = groupOf(g, view.group);
    const members = groups.get(key);
    if (members) members.push(g);
    else groups.set(key, [g]);
  }
  const keys = [...groups.keys()].sort((a, b) => (view.group === 'state' ? stateRank(a) - stateRank(b) : a.localeCompare(b)));
  return keys.flatMap((key): SidebarRow[] => {
    const members = groups.get(key)!;
    return [{ kind: 'header', text: key, count: members.length }, ...members.map((guest): SidebarRow => ({ kind: 'guest', guest }))];
  });
}

/** A host as the sidebar shows it: up, connecting, or down with why and when it is tried again. */
export interface HostLine {
  host: string;
  state: 'up' | 'connecting' | 'down';
  reason: string;
  retryS?: number;
}

/** What the sidebar says under a host that is not up: its state and next try, then the gist of why (ssh's last words). */
export function hostNote(h: HostLine, width = SIDEBAR_WIDTH - 2): string[] {
  if (h.state === 'up') return [];
  if (h.state === 'connecting') return ['connecting…'];
  const head = h.retryS === undefined ? 'unreachable' : `unreachable, retry ${h.retryS} s`;
  // `ssh: connect to host 10.0.0.2 port 22: Connection refused` → `Connection refused`: what fits is the cause.
  const parts = h.reason.split(': ').filter(Boolean);
  const gist = parts.length > 1 && (parts.at(-1) ?? '').length >= 4 ? parts.at(-1)! : h.reason;
  return [head, ...wrapWords(gist, width, 2)];
}

/** Grouped by host, in the hosts' order: each header, what is wrong with it (up to 3 lines), its guests. */
function hostRows(shown: readonly GuestInfo[], hosts: readonly HostLine[], filtering: boolean): SidebarRow[] {
  return hosts.flatMap((line): SidebarRow[] => {
    const { host } = line;
    const members = shown.filter((g) => splitQualified(g.name).host === host);
    if (filtering && members.length === 0) return [];
    const notes = hostNote(line).map((text): SidebarRow => ({ kind: 'note', text }));
    return [{ kind: 'header', text: host, count: members.length }, ...notes, ...members.map((guest): SidebarRow => ({ kind: 'guest', guest }))];
  });
}

/** `text` in lines of at most `width` at word breaks (a longer word cut), `most` lines at most. */
export function wrapWords(text: string, width: number, most: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    for (let w = word; w; w = w.slice(width)) {
      const piece = w.slice(0, width);
      if (line && line.length + 1 + piece.length <= width) line += ` ${piece}`;
      else {
        if (line) lines.push(line);
        line = piece;
      }
    }
  }
  if (line) lines.push(line);
  return lines.slice(0, most);
}

/** How many rows fit from `top` in `height` lines, a line going to each "more" mark needed. */
function rowsFrom(top: number, total: number, height: number): number {
  const room = height - (top > 0 ? 1 : 0);
  return top + room >= total ? total - top : Math.max(1, room - 1);
}

/**
 * The window over `total` rows in `height` lines: it moves as little as it can from `lastTop` to keep row `focus`
 * in view (with its group's header when it is its group's first), and never leaves lines empty below the last row.
 */
export function sidebarWindow(total: number, height: number, focus: number | undefined, lastTop = 0, headerBefore = false): SidebarWindow {
  const lines = Math.max(3, height);
  if (total <= lines) return { top: 0, count: total, above: 0, below: 0 };
  let top = Math.max(0, Math.min(lastTop, total - 1));
  if (focus !== undefined && focus >= 0 && focus < total) {
    const want = headerBefore && focus > 0 ? focus - 1 : focus;
    if (want < top) top = want;
    while (focus >= top + rowsFrom(top, total, lines)) top++;
  }
  while (top > 0 && top - 1 + rowsFrom(top - 1, total, lines) >= total) top--;
  const count = rowsFrom(top, total, lines);
  return { top, count, above: top, below: total - top - count };
}

/** The groupings there are: with several hosts, by host too. */
export function groupings(severalHosts = false): readonly Grouping[] {
  return severalHosts ? [...GROUPINGS, HOST_GROUPING] : GROUPINGS;
}

/** The next grouping after `by` (none, state, owner, dir, [host,] none …). */
export function nextGrouping(by: Grouping, severalHosts = false): Grouping {
  const all = groupings(severalHosts);
  return all[(all.indexOf(by) + 1) % all.length]!;
}

/** A grouping by its word (host too: with one host, all under `local`), or undefined when `word` names none. */
export function parseGrouping(word: string): Grouping | undefined {
  return (groupings(true) as readonly string[]).includes(word) ? (word as Grouping) : undefined;
}

/**
 * The guest `typed` names, for `goto`: the exact name, else the only one whose name starts with it, else the only
 * one its letters find in order (case aside); the complaint to show when none or several do.
 */
export function guestNamed(names: readonly string[], typed: string): { name: string } | { problem: string } {
  if (names.includes(typed)) return { name: typed };
  const t = typed.toLowerCase();
  const tries = [(n: string) => n.toLowerCase() === t, (n: string) => n.toLowerCase().startsWith(t), (n: string) => inOrder(t, n.toLowerCase())];
  for (const test of tries) {
    const found = names.filter(test);
    if (found.length === 1) return { name: found[0]! };
    if (found.length > 1) {
      const some = found.slice(0, 4).join(', ');
      return { problem: `${found.length} guests match "${typed}": ${some}${found.length > 4 ? ', …' : ''} (type more, or Tab)` };
    }
  }
  return { problem: `no guest matches "${typed}" (${names.length} guests; Tab at :goto lists them)` };
}
