// :scrollback in the TUI (a key binds it by default): scroll the focused pane's history; / searches, t toggles times.
import { tuiCommand } from './tui-command.js';

export const scrollbackCommand = tuiCommand('scrollback', "scroll the focused pane's history: / searches, t toggles times, q leaves", (tui) => tui.scrollback(false));
