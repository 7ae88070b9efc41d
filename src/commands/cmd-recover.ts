// :recover in the TUI (a key binds it by default): recovery menu for the focused guest, for when it hangs or panics.
import { tuiCommand } from './tui-command.js';

export const recoverCommand = tuiCommand('recover', 'recovery menu for the focused guest, for when it hangs or panics', (tui) => tui.recover());
