// umux restart NAME [--force]: stop, then boot again: from its definition, or for a guest umux found running, from
// the command line it recorded (the new process is adopted when it writes its pid file).
import { UmuxError } from '../core/errors.js';
import { forceOption, guestCommand, targetGuest } from './common.js';
import type { GuestRef, ServeScope } from './scopes.js';
import type { Reply } from './types.js';

/** How long a relaunched guest has to write its pid file and answer. */
const RELAUNCH_MS = 20_000;

async function restartFound(scope: ServeScope, g: GuestRef, force: boolean): Promise<Reply> {
  const steps = g.pid === null ? ['not running'] : await scope.stop(g, force);
  scope.relaunch(g);
  const pid = await scope.waitRunning(g, RELAUNCH_MS);
  if (pid === undefined) {
    throw new UmuxError('timeout', `${g.name} was relaunched but did not come up in ${RELAUNCH_MS / 1000} s`, { hint: `umux events ${g.name}; its output is in the log directory (relaunch.out)` });
  }
  return { data: { steps, pid }, text: `${g.name}: restarted from its recorded command line, pid ${pid}` };
}

export const restartCommand = guestCommand({
  name: 'restart',
  summary: 'Stop a guest (the whole ladder if needed) and boot it again',
  options: [forceOption('stop with SIGKILL to the process group')],
  serve: async (scope, call) => {
    const g = targetGuest(call);
    const force = call.parsed.options['force'] === true;
    if (g.kind === 'adopted') return restartFound(scope, g, force);
    const steps = await scope.stop(g, force);
    const { warning } = await scope.start(g, 'umux restart');
    return { data: { steps, ...(warning ? { warning } : {}) }, text: `${g.name}: restarted, pid ${g.pid}${warning ? `\nwarning: ${warning}` : ''}` };
  },
});
