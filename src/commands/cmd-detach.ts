// :detach in the TUI (a key binds it by default): leave the TUI; guests and the server keep running.
import { tuiCommand } from './tui-command.js';

export const detachCommand = tuiCommand('detach', 'leave the TUI; guests and the server keep running', (tui) => tui.detach());
