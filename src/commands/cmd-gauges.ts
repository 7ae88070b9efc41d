// :gauges in the TUI (a key binds it by default): host memory gauges and history (again to close).
import { tuiCommand } from './tui-command.js';

export const gaugesCommand = tuiCommand('gauges', 'host memory gauges and history (again to close)', (tui) => tui.toggleGauges());
