// The shape of the TUI's own commands (panes, scrollback, overlays, the sidebar): nothing sent to the server; each
// has its own file naming its words and the TuiScope action it runs. Most take no arguments; a few take one.

import type { TuiScope } from './scopes.js';
import type { TuiCommand } from './command.js';

export function tuiCommand(name: string, summary: string, act: (tui: TuiScope) => void | Promise<void>): TuiCommand {
  return { name, summary, usage: '', runsIn: 'tui', target: 'none', changes: false, minArgs: 0, maxArgs: 0, options: [], act: (tui) => act(tui) };
}

/** A TUI command taking one optional word (`goto [NAME]`): without it, the TUI asks or steps on. */
export function tuiCommandWithWord(name: string, summary: string, usage: string, act: (tui: TuiScope, word: string | undefined) => void | Promise<void>, details?: readonly string[]): TuiCommand {
  return {
    name, summary, usage, runsIn: 'tui', target: 'none', changes: false, minArgs: 0, maxArgs: 1, options: [],
    ...(details ? { details } : {}),
    act: (tui, parsed) => act(tui, parsed.args[0]),
  };
}
