// The shape of the TUI's own commands (panes, scrollback, overlays): no arguments, nothing sent to the server; each
// has its own file naming its words and the TuiScope action it runs.

import type { TuiScope } from './scopes.js';
import type { TuiCommand } from './command.js';

export function tuiCommand(name: string, summary: string, act: (tui: TuiScope) => void | Promise<void>): TuiCommand {
  return { name, summary, usage: '', runsIn: 'tui', target: 'none', changes: false, minArgs: 0, maxArgs: 0, options: [], act: (tui) => act(tui) };
}
