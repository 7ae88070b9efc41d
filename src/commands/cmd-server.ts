// umux server: the daemon in the foreground (clients start it in the background when none runs).
import type { ClientCommand } from './command.js';

export const serverCommand: ClientCommand = {
  name: 'server',
  summary: 'Run the umux server in the foreground (clients start it in the background when needed)',
  usage: '',
  runsIn: 'direct',
  target: 'none',
  changes: false,
  minArgs: 0,
  maxArgs: 0,
  options: [],
  details: [
    'One server per host user holds every managed guest\'s consoles, their logs and scrollback, and serves',
    'clients over a unix socket in the private socket directory. Guests keep running when it stops.',
  ],
  run: (client) => client.server(),
};
