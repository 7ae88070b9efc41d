// :prev-guest in the TUI (a key binds it by default): focus the previous guest in the sidebar.
import { tuiCommand } from './tui-command.js';

export const prevGuestCommand = tuiCommand('prev-guest', 'focus the previous guest in the sidebar', (tui) => tui.moveGuest(-1));
