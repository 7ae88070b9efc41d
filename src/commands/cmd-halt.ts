// umux halt NAME: MConsole halt, the kernel stops at once (asks first: filesystems are left dirty).
import { verbCommand } from './guest-verb.js';

export const haltCommand = verbCommand('halt', 'Halt a guest at once: the kernel stops, no userspace shutdown, filesystems left dirty', (g) => `halt stops ${g} now: no userspace shutdown, its filesystems need an fsck. Halt it?`);
