// :next-console in the TUI (a key binds it by default): show the focused guest's next console or serial line.
import { tuiCommand } from './tui-command.js';

export const nextConsoleCommand = tuiCommand('next-console', "show the focused guest's next console or serial line", (tui) => tui.nextConsole());
