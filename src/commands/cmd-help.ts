// umux help [COMMAND]: the command list, or one command's help; in the TUI (`:help`, the ? key) also the keys.
import type { ClientCommand } from './command.js';

export const helpCommand: ClientCommand = {
  name: 'help',
  summary: 'List umux commands, or describe one',
  usage: '[COMMAND]',
  runsIn: 'client',
  target: 'none',
  changes: false,
  minArgs: 0,
  maxArgs: 1,
  options: [],
  inTui: true,
  run: async (client, parsed) => {
    client.out(client.help(parsed.args[0]));
    return 0;
  },
};
