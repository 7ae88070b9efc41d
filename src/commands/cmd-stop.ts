// umux stop NAME [--force]: the shutdown ladder (cad, halt, SIGTERM, SIGKILL), each step timed and reported.
import { forceOption, guestCommand, targetGuest } from './common.js';

export const stopCommand = guestCommand({
  name: 'stop',
  summary: 'Stop a guest: cad, then halt, then SIGTERM, then SIGKILL to its process group, each step timed',
  options: [forceOption('skip to the end of the ladder: SIGKILL to the process group')],
  serve: async (scope, call) => {
    const g = targetGuest(call);
    const steps = await scope.stop(g, call.parsed.options['force'] === true);
    return { data: { steps }, text: `${g.name}: ${g.state}\n${steps.map((s) => `  ${s}`).join('\n')}` };
  },
});
