// umux kill-server: the server stops after replying; guests keep running and the next server re-adopts them.
import type { ServerCommand } from './command.js';

export const killServerCommand: ServerCommand = {
  name: 'kill-server',
  summary: 'Stop the umux server; guests keep running and the next server re-adopts them',
  usage: '',
  runsIn: 'server',
  target: 'none',
  changes: 'server',
  minArgs: 0,
  maxArgs: 0,
  options: [],
  serve: async (scope) => {
    scope.killServer();
    return { data: null, text: 'umux server stopping; guests keep running' };
  },
};
