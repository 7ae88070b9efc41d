// :close-pane in the TUI (a key binds it by default): close the focused pane; its guest keeps running.
import { tuiCommand } from './tui-command.js';

export const closePaneCommand = tuiCommand('close-pane', 'close the focused pane; its guest keeps running', (tui) => tui.closePane());
