// umux ls [--watch]: the guest list (state, pid, memory, consoles, clients, uptime); --watch follows it (cli/).
import { formatLs, type LsData } from './show-guests.js';
import type { ServerCommand } from './command.js';

export const lsCommand: ServerCommand = {
  name: 'ls',
  summary: 'List guests: state, pid, memory, consoles, attached clients, uptime',
  usage: '',
  runsIn: 'server',
  target: 'none',
  changes: false,
  minArgs: 0,
  maxArgs: 0,
  options: [
    { name: 'json', summary: 'print JSON instead of a table' },
    { name: 'watch', short: 'w', summary: 'keep watching: the table again on each change (redrawn in place on a terminal; with --json a line each)' },
  ],
  serve: async (scope) => ({ data: scope.rows() }),
  show: (reply) => formatLs(reply.data as LsData),
};
