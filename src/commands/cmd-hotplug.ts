// :hotplug in the TUI (a key binds it by default): hot-plug a disk, console, serial line or memory into the focused guest.
import { tuiCommand } from './tui-command.js';

export const hotplugCommand = tuiCommand('hotplug', 'hot-plug a disk, console, serial line or memory into the focused guest', (tui) => tui.hotplug());
