// :split in the TUI (a key binds it by default): open another pane (up to 4) on the next guest not shown yet.
import { tuiCommand } from './tui-command.js';

export const splitCommand = tuiCommand('split', 'open another pane (up to 4) on the next guest not shown yet', (tui) => tui.split());
