// What the TUI's commands do (TuiScope, commands/scopes.ts) over the TUI's parts, and the one way a command line
// from a key or the `:` line runs: a TUI command, a client command shown here (help), or a server command through
// the shared request pipeline. Messages name the admin's own keys.

import type { ClientScope, TuiScope } from '../commands/scopes.js';
import { findTuiLineCommand } from '../commands/tui-table.js';
import { commandHelp } from '../commands/help.js';
import { parseArgs } from '../commands/parse.js';
import { UsageError } from '../core/errors.js';
import { UMUX_VERSION } from '../core/version.js';
import { commandLine } from './command-line.js';
import { helpText } from './help.js';
import { hotplugForm } from './hotplug-form.js';
import { lookingSteps, recoverySteps } from './recovery.js';
import { stepGuest } from './pane-slots.js';
import { filterGuests, gotoGuest, groupGuests } from './sidebar-actions.js';
import { MAX_PANES } from './layout.js';
import { errorText } from './status-line.js';
import type { TuiParts } from './tui-parts.js';

/** Prefix n/p: the focused pane shows the next or previous guest the sidebar shows (in its order). */
async function showNeighbour(tui: TuiParts, step: number): Promise<void> {
  const p = tui.workspace.active;
  const name = stepGuest(tui.guests.shown().map((g) => g.name), p?.guest, step);
  if (p && name !== undefined) await tui.workspace.show(p, name);
}

/** A guest's event log in an overlay, scrolled to the newest; its unseen-events star goes. */
async function showEvents(tui: TuiParts, name: string | undefined): Promise<void> {
  if (name === undefined) return tui.status.flash('no guest here: the sidebar is empty', 'error');
  try {
    const events = (await tui.hosts.request(['events', name])).data as Array<{ at: string; text: string }>;
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

/** The TUI's actions, which its commands (commands/cmd-*.ts, runsIn 'tui') run. */
export function tuiScope(tui: TuiParts): TuiScope {
  const { workspace, guests, status, keys } = tui;
  return {
    moveGuest: (step) => showNeighbour(tui, step),
    nextConsole: async () => {
      const p = workspace.active;
      if (p) await workspace.show(p, p.guest, p.consoleIndex + 1);
    },
    split: async () => {
      if (workspace.full) return status.flash(`${MAX_PANES} panes is the most: ${keys.of('close-pane')} closes one`, 'error');
      if (guests.guests.length === 0) return status.flash('no guest to show', 'error');
      await workspace.split();
    },
    closePane: () => {
      if (workspace.panes.length <= 1) return status.flash(`the last pane stays: ${keys.of('detach')} leaves the TUI`, 'error');
      workspace.close();
    },
    zoom: () => {
      if (workspace.panes.length === 1) return status.flash('one pane: nothing to zoom', 'info');
      workspace.toggleZoom();
    },
    nextPane: () => workspace.nextPane(),
    scrollback: async (search) => {
      const p = workspace.active;
      const s = await tui.scroll.enter(p);
      if (search && s && p) await tui.scroll.search(p, false);
    },
    toggleGauges: () => tui.gauges.toggle(),
    recover: () => recover(tui),
    hotplug: () => hotplug(tui),
    commandPrompt: async () => {
      const line = await tui.commands.prompt(guests.guests, workspace.focusedGuest(), workspace.active?.guest);
      if (line !== undefined) await runLine(tui, line);
    },
    nextTheme: () => nextTheme(tui),
    detach: () => tui.leave(),
    filter: (text) => filterGuests(tui, text),
    goto: (name) => gotoGuest(tui, name),
    group: (by) => groupGuests(tui, by),
  };
}

/** A client command the TUI cannot run (a session of its own). */
const fromShell = (name: string) => async (): Promise<number> => {
  throw new UsageError(`${name} runs from the shell: umux ${name}`);
};

/** What a client command run in the TUI has: an overlay for its output; help names the TUI's keys too. */
function tuiClient(tui: TuiParts): ClientScope {
  return {
    json: false,
    out: (text) => tui.overlays.showText(text.replace(/\n+$/, ''), ' help (q closes, arrows scroll) '),
    help: (name) => {
      if (name === undefined) return helpText(tui.keys.keymap, tui.keys.prefix);
      const command = findTuiLineCommand(name);
      if (!command) throw new UsageError(`no command "${name}"`, { hint: ':help lists the keys and commands' });
      return commandHelp(command);
    },
    version: UMUX_VERSION,
    tui: fromShell('tui'),
    attach: fromShell('attach'),
    log: fromShell('log'),
    server: fromShell('server'),
    demo: fromShell('demo'),
    mconsole: fromShell('mconsole'),
    drive: (parsed) => fromShell(parsed.spec.name)(),
  };
}

/** Runs a command line from a key or the `:` line; a failure is one line in the status, naming the line. */
export async function runLine(tui: TuiParts, line: string): Promise<void> {
  try {
    const run = commandLine(line, tui.workspace.active?.guest, tui.guests.guests.map((g) => g.name));
    if (typeof run === 'string') return tui.status.flash(run, 'error');
    // The event log shows in its own view (newest last, its unseen star cleared); other replies as the runner shows them.
    if (run.kind === 'server' && run.argv[0] === 'events' && run.argv.length === 2) return showEvents(tui, run.argv[1]);
    if (run.kind === 'server') return tui.commands.send(run.argv);
    const command = findTuiLineCommand(run.name);
    if (command?.runsIn === 'tui' && command.maxArgs === 0 && run.args.length > 0) return tui.status.flash(`${run.name} takes no arguments`, 'error');
    if (command?.runsIn === 'tui') return await command.act(tuiScope(tui), parseArgs(command, run.args));
    if (command?.runsIn === 'client') await command.run(tuiClient(tui), parseArgs(command, run.args));
  } catch (err) {
    tui.status.flash(`${line}: ${errorText(err)}`, 'error');
  }
}
