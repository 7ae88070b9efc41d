// :search in the TUI (a key binds it by default): search the focused pane's history (scrollback and / at once).
import { tuiCommand } from './tui-command.js';

export const searchCommand = tuiCommand('search', "search the focused pane's history (scrollback and / at once)", (tui) => tui.scrollback(true));
