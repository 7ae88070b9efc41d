// umux reboot NAME: MConsole reboot, the kernel restarts at once (asks first: filesystems are left dirty).
import { verbCommand } from './guest-verb.js';

export const rebootCommand = verbCommand('reboot', 'Reboot a guest at once: no userspace shutdown, filesystems left dirty', (g) => `reboot restarts ${g}'s kernel now: no userspace shutdown, its filesystems need an fsck. Reboot it?`);
