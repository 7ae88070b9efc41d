// What each prefix key does, as a table from action name (commands/keymap.ts ACTIONS) to a handler given the TUI's
// parts, so a key (and later a bound command line) runs a lookup, not a switch. Messages name the admin's own keys.

import type { ActionName } from '../commands/keymap.js';
import { helpText } from './help.js';
import { hotplugForm } from './hotplug-form.js';
import { lookingSteps, recoverySteps } from './recovery.js';
import { stepGuest } from './pane-slots.js';
import { MAX_PANES } from './layout.js';
import { errorText } from './status-line.js';
import type { TuiParts } from './tui-parts.js';

export type ActionHandler = (tui: TuiParts, ...args: string[]) => void | Promise<void>;

/** Prefix n/p: the focused pane shows the next or previous guest in the sidebar. */
async function showNeighbour(tui: TuiParts, step: number): Promise<void> {
  const p = tui.workspace.active;
  const name = stepGuest(tui.guests.guests.map((g) => g.name), p?.guest, step);
  if (p && name !== undefined) await tui.workspace.show(p, name);
}

/** A guest's event log in an overlay, scrolled to the newest; its unseen-events star goes. */
async function showEvents(tui: TuiParts, name: string | undefined): Promise<void> {
  if (name === undefined) return tui.status.flash('no guest here: the sidebar is empty', 'error');
  try {
    const events = (await tui.session.request(['events', name])).data as Array<{ at: string; text: string }>;
    const last = events.at(-1)?.at;
    if (last) tui.guests.markSeen(name, last);
    tui.guests.draw();
    const text = events.length ? events.map((e) => `${e.at.slice(11, 19)}  ${e.text}`).join('\n') : `no events for ${name} yet`;
    tui.overlays.showText(text, ` ${name}: events (q closes) `, true);
  } catch (err) {
    tui.status.flashError(err);
  }
}

/** The recovery menu for the focused guest; a read-only admin is offered only the steps that look. */
async function recover(tui: TuiParts): Promise<void> {
  const g = tui.workspace.focusedGuest();
  if (!g) return tui.status.flash('no guest to recover: the sidebar is empty', 'error');
  const steps = tui.readOnly ? lookingSteps(recoverySteps(g)) : recoverySteps(g);
  if (steps.length === 0) return tui.status.flash(`read-only client: recovering ${g.name} changes the guest; ask for a writer (umux tui without --read-only)`, 'error');
  const i = await tui.overlays.pick(`recover ${g.name} (${g.state})`, steps.map((s, n) => `${n + 1}. ${s.label}`));
  if (i === undefined) return;
  const step = steps[i]!;
  if (step.view === 'events') return showEvents(tui, g.name);
  if (step.view === 'log') {
    await tui.scroll.enter(tui.workspace.active);
    return;
  }
  tui.status.flash(`${g.name}: ${step.argv.join(' ')} …`);
  await tui.commands.send(step.argv);
}

async function hotplug(tui: TuiParts): Promise<void> {
  const g = tui.workspace.focusedGuest();
  if (!g) return tui.status.flash('no guest to plug into', 'error');
  if (tui.readOnly) return tui.status.flash('read-only: hot-plug is not sent', 'error');
  const { commands, overlays, status } = tui;
  await hotplugForm(g.name, {
    ask: (label, initial, note) => commands.ask(label, initial, note),
    confirm: (q) => commands.confirm(q),
    request: (argv) => commands.request(argv),
    show: (t) => overlays.showText(t),
    flash: (text, level) => status.flash(text, level),
    cwd: process.cwd(),
  });
}

function nextTheme(tui: TuiParts): void {
  try {
    const theme = tui.look.next();
    tui.restyle();
    tui.status.flash(`theme: ${theme.name}${tui.look.noColor ? ' (NO_COLOR: no colours)' : ''}: ${theme.description}`, 'info');
  } catch (err) {
    tui.status.flashError(err);
  }
}

export const ACTION_HANDLERS: Readonly<Record<ActionName, ActionHandler>> = {
  'next-guest': (tui) => showNeighbour(tui, 1),
  'prev-guest': (tui) => showNeighbour(tui, -1),
  'next-console': async ({ workspace }) => {
    const p = workspace.active;
    if (p) await workspace.show(p, p.guest, p.consoleIndex + 1);
  },
  split: async ({ workspace, guests, status, keys }) => {
    if (workspace.full) return status.flash(`${MAX_PANES} panes is the most: ${keys.of('close-pane')} closes one`, 'error');
    if (guests.guests.length === 0) return status.flash('no guest to show', 'error');
    await workspace.split();
  },
  'close-pane': ({ workspace, status, keys }) => {
    if (workspace.panes.length <= 1) return status.flash(`the last pane stays: ${keys.of('detach')} leaves the TUI`, 'error');
    workspace.close();
  },
  zoom: ({ workspace, status }) => {
    if (workspace.panes.length === 1) return status.flash('one pane: nothing to zoom', 'info');
    workspace.toggleZoom();
  },
  'next-pane': ({ workspace }) => workspace.nextPane(),
  scrollback: async ({ scroll, workspace }) => {
    await scroll.enter(workspace.active);
  },
  search: async ({ scroll, workspace }) => {
    const p = workspace.active;
    const s = await scroll.enter(p);
    if (s && p) await scroll.search(p, false);
  },
  gauges: ({ gauges, guests }) => gauges.toggle(guests.host, guests.samples),
  events: (tui) => showEvents(tui, tui.workspace.active?.guest),
  recover,
  hotplug,
  command: ({ commands, guests, workspace }) => commands.prompt(guests.guests, workspace.focusedGuest(), workspace.active?.guest),
  theme: nextTheme,
  detach: (tui) => tui.leave(),
  help: ({ overlays, keys }) => overlays.showText(helpText(keys.keymap, keys.prefix), ' help (q closes, arrows scroll) '),
};

/** Runs the action a key names (a name with no handler does nothing); a failure is one line in the status. */
export async function runAction(tui: TuiParts, action: string, ...args: string[]): Promise<void> {
  try {
    await (ACTION_HANDLERS as Readonly<Record<string, ActionHandler | undefined>>)[action]?.(tui, ...args);
  } catch (err) {
    tui.status.flash(`${action}: ${errorText(err)}`, 'error');
  }
}
