// umux start NAME: boots a guest from its definition, warning when its mem= would not fit the memory filesystem.
import { guestCommand, targetGuest } from './common.js';

export const startCommand = guestCommand({
  name: 'start',
  summary: 'Boot a guest from its definition',
  details: [
    "Warns, in the reply and the guest's events, when its mem= does not fit on the memory-file filesystem (TMPDIR,",
    'else /dev/shm) beside what the running guests will grow to: it would die with SIGBUS when that fills.',
  ],
  serve: async (scope, call) => {
    const g = targetGuest(call);
    const { info, warning } = await scope.start(g);
    return { data: { ...info, ...(warning ? { warning } : {}) }, text: `${g.name}: running, pid ${g.pid}${warning ? `\nwarning: ${warning}` : ''}` };
  },
});
