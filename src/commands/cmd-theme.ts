// :theme in the TUI (a key binds it by default): switch to the next theme.
import { tuiCommand } from './tui-command.js';

export const themeCommand = tuiCommand('theme', 'switch to the next theme', (tui) => tui.nextTheme());
