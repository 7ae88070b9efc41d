// umux attach NAME[:CONSOLE] [-r]: this terminal on a guest console (cli/attach.ts), as screen -r or virsh console.
import { CONSOLE, readOnlyOption } from './common.js';
import type { ClientCommand } from './command.js';

export const attachCommand: ClientCommand = {
  name: 'attach',
  summary: "Attach this terminal to a guest console (detach: C-] then d), like screen -r or virsh console",
  usage: CONSOLE,
  runsIn: 'client',
  target: 'console',
  changes: false,
  minArgs: 1,
  maxArgs: 1,
  options: [readOnlyOption],
  run: (client, parsed) => client.attach(parsed),
};
