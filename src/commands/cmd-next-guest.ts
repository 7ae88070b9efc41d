// :next-guest in the TUI (a key binds it by default): focus the next guest in the sidebar.
import { tuiCommand } from './tui-command.js';

export const nextGuestCommand = tuiCommand('next-guest', 'focus the next guest in the sidebar', (tui) => tui.moveGuest(1));
