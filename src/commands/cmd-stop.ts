// umux stop NAME [--force]: the shutdown ladder (cad, halt, SIGTERM, SIGKILL), each step timed and reported.
import { forceOption, GUEST, targetGuest } from './common.js';
import type { ServerCommand } from './command.js';

export const stopCommand: ServerCommand = {
  name: 'stop',
  summary: 'Stop a guest: cad, then halt, then SIGTERM, then SIGKILL to its process group, each step timed',
  usage: GUEST,
  runsIn: 'server',
  target: 'guest',
  changes: 'guest',
  minArgs: 1,
  maxArgs: 1,
  options: [forceOption('skip to the end of the ladder: SIGKILL to the process group')],
  serve: async (scope, call) => {
    const g = targetGuest(call);
    const steps = await scope.stop(g, call.parsed.options['force'] === true);
    return { data: { steps }, text: `${g.name}: ${g.state}\n${steps.map((s) => `  ${s}`).join('\n')}` };
  },
};
