// `umux run NAME[:CONSOLE] 'COMMAND'`: the command's spec (behaviour: cli/run-command.ts). It types into the guest.

import type { ClientCommand } from './command.js';
import { CONSOLE } from './common.js';
import { DEFAULT_DRIVE_TIMEOUT_MS } from './cmd-wait.js';

/** The prompt `umux run` and `login` wait for by default: `#` or `$` and a space, ending the line being written. */
export const DEFAULT_PROMPT = '[#$] $';

export const runCommand: ClientCommand = {
  name: 'run',
  summary: "Type a shell command into a guest console, wait for the prompt, print what the command printed",
  usage: `${CONSOLE} 'COMMAND'`,
  runsIn: 'client',
  target: 'console',
  changes: 'guest',
  minArgs: 2,
  maxArgs: 2,
  options: [
    { name: 'prompt', short: 'p', value: 'RE', summary: `the shell prompt to wait for, a regular expression (default '${DEFAULT_PROMPT}')` },
    { name: 'timeout', short: 't', value: 'MS', summary: `give up after MS milliseconds (default ${DEFAULT_DRIVE_TIMEOUT_MS}): exit 4` },
  ],
  details: [
    'Types COMMAND and Enter, then waits until the line being written (no line end yet) matches the prompt:',
    `by default '${DEFAULT_PROMPT}', a # or $ and a space at its end, as busybox, bash and dash prompts end.`,
    'Prints the lines between the echo of the command and the prompt, escape sequences removed. Output that does',
    "not end with a line end shares the prompt's line and is left out. The console must show a shell prompt",
    'when run starts: on a login: or Password: prompt it types nothing and exits 1 (log in first: umux login).',
    "The command's exit status is not known: add ; echo $? to see it.",
    'Exit 0 once the prompt shows; 4 on timeout (the message shows the last line); 3 when the console goes away.',
    "Example: umux run web1 'uname -r'",
  ],
  run: (client, parsed) => client.drive(parsed),
};
