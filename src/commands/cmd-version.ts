// umux version: this program's version (the server's is in its hello).
import type { ClientCommand } from './command.js';

export const versionCommand: ClientCommand = {
  name: 'version',
  summary: 'Print the umux version',
  usage: '',
  runsIn: 'client',
  target: 'none',
  changes: false,
  minArgs: 0,
  maxArgs: 0,
  options: [],
  run: async (client) => {
    client.out(`umux ${client.version}\n`, { version: client.version });
    return 0;
  },
};
