// :command in the TUI (a key binds it by default): read a command line: a umux command or an MConsole verb on the focused guest (sysrq m, config ubdb=/x).
import { tuiCommand } from './tui-command.js';

export const commandPromptCommand = tuiCommand('command', 'read a command line: a umux command or an MConsole verb on the focused guest (sysrq m, config ubdb=/x)', (tui) => tui.commandPrompt());
