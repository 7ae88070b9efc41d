// umux server [--stdio]: the daemon in the foreground (clients start it in the background when none runs), or with
// --stdio a bridge from stdin/stdout to this user's server: what `umux --host` runs on the far side of ssh.
import { UsageError } from '../core/errors.js';
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
  options: [
    { name: 'stdio', summary: 'bridge stdin/stdout to this user\'s server (started when none runs): the far end of umux --host' },
    { name: 'no-start', summary: 'with --stdio: start no server when none runs (umux --host HOST kill-server)' },
  ],
  details: [
    'One server per host user holds every managed guest\'s consoles, their logs and scrollback, and serves',
    'clients over a unix socket in the private socket directory. Guests keep running when it stops.',
    'With --stdio it runs no server: it carries the wire between its stdin/stdout and the server, byte for byte,',
    'until either side closes (ssh runs it for umux --host).',
  ],
  run: (client, parsed) => {
    const stdio = parsed.options['stdio'] === true;
    if (!stdio && parsed.options['no-start'] === true) throw new UsageError('server: --no-start goes with --stdio only', { hint: 'umux server --stdio --no-start' });
    return client.server({ stdio, start: parsed.options['no-start'] !== true });
  },
};
