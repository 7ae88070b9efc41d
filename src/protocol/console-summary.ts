// A guest's console lines, summarised: lines nothing has opened yet (a bare `pts` with no getty, a `port` no guest
// line waits on) are grouped into ranges, `ssl1-63 waiting for a getty`, so `con=pts ssl=pts` is one entry, not 78.
// Used by `umux ls` (table and --json) and the TUI.

import type { GuestInfo } from './wire-messages.js';

export type ConsoleLine = GuestInfo['consoles'][number];

export interface ConsoleGroup {
  /** `con1` or `ssl1-63`. */
  names: string;
  /** The lines in the group, in order. */
  lines: string[];
  status: ConsoleLine['status'];
  lost: boolean;
  spec?: string;
  note?: string;
}

function split(name: string): { kind: string; n: number } | undefined {
  const m = /^(con|ssl)(\d+)$/.exec(name);
  return m ? { kind: m[1]!, n: Number(m[2]) } : undefined;
}

/** Groups runs of consecutive waiting lines of one kind and spec; every other line stays on its own. */
export function groupConsoles(consoles: readonly ConsoleLine[]): ConsoleGroup[] {
  const groups: ConsoleGroup[] = [];
  for (const c of consoles) {
    const last = groups[groups.length - 1];
    const here = split(c.name);
    const prev = last ? split(last.lines[last.lines.length - 1]!) : undefined;
    const joins =
      last !== undefined && c.status === 'waiting' && last.status === 'waiting' && !c.lost && !last.lost && last.spec === c.spec &&
      here !== undefined && prev !== undefined && here.kind === prev.kind && here.n === prev.n + 1;
    if (joins) last.lines.push(c.name);
    else groups.push({ names: c.name, lines: [c.name], status: c.status, lost: c.lost, ...(c.spec === undefined ? {} : { spec: c.spec }), ...(c.note === undefined ? {} : { note: c.note }) });
  }
  for (const g of groups) {
    if (g.lines.length < 2) continue;
    g.names = `${g.lines[0]}-${split(g.lines[g.lines.length - 1]!)!.n}`;
    g.note = `${g.names} are ${g.spec ?? 'waiting'}: ${g.lines.length} lines waiting for a getty or shell in the guest to open them; umux attaches when one does`;
  }
  return groups;
}

/** `con1` when attachable; otherwise how or why not, in a word: `con0(screen)`, `con0(lost)`, `ssl1-63(waiting)`. */
export function groupLabel(g: ConsoleGroup): string {
  if (g.lost) return `${g.names}(lost)`;
  switch (g.status) {
    case 'waiting':
      return `${g.names}(waiting)`;
    case 'elsewhere':
      return `${g.names}(elsewhere)`;
    case 'screen':
    case 'tmux':
      return `${g.names}(${g.status})`;
    case 'unusable':
      return `${g.names}(-)`;
    default:
      return g.names;
  }
}

/** The consoles a pane can attach to: not lost, held by umux or shown through screen/tmux. */
export function attachableConsoles(g: GuestInfo): GuestInfo['consoles'] {
  return g.consoles.filter((c) => !c.lost && (c.status === undefined || c.status === 'held' || c.status === 'screen' || c.status === 'tmux'));
}
