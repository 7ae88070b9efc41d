// umux tui [-r]: the full-screen view (also plain `umux` on a terminal).
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
  options: [readOnlyOption],
  details: ['Keys: the prefix (C-], or UMUX_PREFIX such as C-g) then n/p guest, c console, : command, ? help, d leave.'],
  run: (client, parsed) => client.tui({ readOnly: parsed.options['read-only'] === true }),
};
