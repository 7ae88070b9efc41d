// The TUI's own commands, each from its own file, in the order help lists them; and the lookup the TUI's keys and
// `:` line use for a command line's first word: a TUI command, else a umux command (table.ts).

import type { Command, TuiCommand } from './command.js';
import { findCommand } from './table.js';
import { nextGuestCommand } from './cmd-next-guest.js';
import { prevGuestCommand } from './cmd-prev-guest.js';
import { nextConsoleCommand } from './cmd-next-console.js';
import { splitCommand } from './cmd-split.js';
import { closePaneCommand } from './cmd-close-pane.js';
import { zoomCommand } from './cmd-zoom.js';
import { nextPaneCommand } from './cmd-next-pane.js';
import { scrollbackCommand } from './cmd-scrollback.js';
import { searchCommand } from './cmd-search.js';
import { gaugesCommand } from './cmd-gauges.js';
import { recoverCommand } from './cmd-recover.js';
import { hotplugCommand } from './cmd-hotplug.js';
import { commandPromptCommand } from './cmd-command.js';
import { themeCommand } from './cmd-theme.js';
import { detachCommand } from './cmd-detach.js';
import { filterCommand } from './cmd-filter.js';
import { gotoCommand } from './cmd-goto.js';
import { groupCommand } from './cmd-group.js';

export const TUI_COMMANDS: readonly TuiCommand[] = [
  nextGuestCommand,
  prevGuestCommand,
  gotoCommand,
  filterCommand,
  groupCommand,
  nextConsoleCommand,
  splitCommand,
  closePaneCommand,
  zoomCommand,
  nextPaneCommand,
  scrollbackCommand,
  searchCommand,
  gaugesCommand,
  recoverCommand,
  hotplugCommand,
  commandPromptCommand,
  themeCommand,
  detachCommand,
];

/** The command a TUI command line names: the TUI's own first, then umux's. */
export function findTuiLineCommand(name: string): Command | undefined {
  return TUI_COMMANDS.find((c) => c.name === name) ?? findCommand(name);
}

/** True when the TUI can run this umux command (server commands and the client ones made for it: help, version). */
export function runsInTui(command: Command): boolean {
  return command.runsIn === 'server' || command.runsIn === 'tui' || (command.runsIn === 'client' && command.inTui === true);
}
