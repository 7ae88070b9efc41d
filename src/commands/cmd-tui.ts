// umux tui [-r] [--host HOST]: the full-screen view (also plain `umux` on a terminal), with hosts.toml's hosts beside
// the local one (or only HOST).
import { readOnlyOption } from './common.js';
import type { ClientCommand } from './command.js';

export const tuiCommand: ClientCommand = {
  name: 'tui',
  summary: 'Open the full-screen view: guests, their consoles, the : command line, host memory (plain umux on a terminal)',
  usage: '',
  runsIn: 'client',
  target: 'none',
  changes: false,
  minArgs: 0,
  maxArgs: 0,
  options: [readOnlyOption, { name: 'host', value: 'HOST', summary: 'show HOST (a hosts.toml name or an ssh destination) beside this host, instead of every host of hosts.toml' }],
  details: [
    'Keys: the prefix (C-], or UMUX_PREFIX such as C-g) then n/p guest, c console, : command, ? help, d leave.',
    'With hosts.toml (or --host), other hosts\' guests are shown too, as NAME@HOST, grouped by host (README: Several hosts).',
  ],
  run: (client, parsed) => {
    const host = parsed.options['host'];
    return client.tui({ readOnly: parsed.options['read-only'] === true, ...(typeof host === 'string' ? { host } : {}) });
  },
};
