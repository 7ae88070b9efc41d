// :zoom in the TUI (a key binds it by default): let the focused pane fill the main area (again to restore the panes).
import { tuiCommand } from './tui-command.js';

export const zoomCommand = tuiCommand('zoom', 'let the focused pane fill the main area (again to restore the panes)', (tui) => tui.zoom());
