// umux cad NAME: Ctrl-Alt-Del through MConsole; the guest's init decides (shutdown or reboot).
import { verbCommand } from './guest-verb.js';

export const cadCommand = verbCommand('cad', "Press Ctrl-Alt-Del in a guest: its init shuts down (or reboots) cleanly", (g) => `cad asks ${g}'s init to shut down (or reboot, as its inittab says). Send it?`);
