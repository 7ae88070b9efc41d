// What the sidebar's commands do over the TUI's parts: filter as the admin types (Esc clears, Enter keeps it and
// shows the first guest found when the focused one is not), jump to a guest by name, step through the groupings.

import { UsageError } from '../core/errors.js';
import { completeLine, type Completion } from './complete.js';
import { groupings, guestNamed, nextGrouping, parseGrouping } from './sidebar-model.js';
import type { TuiParts } from './tui-parts.js';

/** `filter TEXT` sets it; `filter` reads it at the prompt, the sidebar following each keystroke. */
export async function filterGuests(tui: TuiParts, text: string | undefined): Promise<void> {
  const { guests } = tui;
  if (text !== undefined) return guests.setFilter(text);
  const before = guests.view.filter;
  const typed = await tui.prompt.read({ label: 'filter: ', initial: before, onChange: (line) => guests.setFilter(line) });
  guests.setFilter(typed ?? '');
  if (typed === undefined) return tui.status.flash(before ? 'filter cleared' : 'no filter', 'info', 2000);
  const p = tui.workspace.active;
  const shown = guests.shown();
  if (p && shown[0] && !shown.some((g) => g.name === p.guest)) await tui.workspace.show(p, shown[0].name);
}

/** `goto NAME`: the focused pane shows it; a filter that hides it goes. Without NAME, asks (Tab completes). */
export async function gotoGuest(tui: TuiParts, typed: string | undefined): Promise<void> {
  const { guests, workspace } = tui;
  const names = guests.guests.map((g) => g.name);
  const asked = typed ?? (await tui.prompt.read({ label: 'goto: ', complete: (line, cursor) => completeName(line, cursor, names) }))?.trim();
  if (!asked) return;
  const found = guestNamed(names, asked);
  if ('problem' in found) return tui.status.flash(found.problem, 'error');
  const p = workspace.active;
  if (!p) return tui.status.flash('no pane to show it in', 'error');
  if (!guests.shown().some((g) => g.name === found.name)) guests.setFilter('');
  await workspace.show(p, found.name);
}

/** Tab at the goto prompt: as `:goto ` followed by what is typed completes it. */
function completeName(line: string, cursor: number, names: readonly string[]): Completion {
  const lead = 'goto ';
  const c = completeLine(lead + line, cursor + lead.length, { guests: names, devices: [] });
  return { ...c, start: c.start - lead.length, end: c.end - lead.length };
}

/** `group BY` groups the sidebar so; `group` steps to the next grouping. */
export function groupGuests(tui: TuiParts, word: string | undefined): void {
  const { guests } = tui;
  const by = word === undefined ? nextGrouping(guests.view.group, guests.view.hosts !== undefined) : parseGrouping(word);
  if (by === undefined) throw new UsageError(`expected ${groupings(true).join(', ')} or nothing, got ${JSON.stringify(word)}`, { hint: ':group with no word steps through them' });
  guests.setGroup(by);
  tui.status.flash(by === 'none' ? 'sidebar: not grouped' : `sidebar grouped by ${by}`, 'info', 2000);
}
