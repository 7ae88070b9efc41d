// :next-pane in the TUI (a key binds it by default): move the focus to the next pane.
import { tuiCommand } from './tui-command.js';

export const nextPaneCommand = tuiCommand('next-pane', 'move the focus to the next pane', (tui) => tui.nextPane());
