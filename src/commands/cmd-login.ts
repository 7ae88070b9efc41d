// `umux login NAME[:CONSOLE] --user U`: the command's spec (behaviour: cli/login-command.ts). The password never
// comes from argv: a private file or stdin.

import type { ClientCommand } from './command.js';
import { CONSOLE } from './common.js';
import { DEFAULT_PROMPT } from './cmd-run.js';
import { DEFAULT_DRIVE_TIMEOUT_MS } from './cmd-wait.js';

export const loginCommand: ClientCommand = {
  name: 'login',
  summary: "Log in on a guest console's login: prompt as USER, the password read from a private file or stdin",
  usage: CONSOLE,
  runsIn: 'client',
  target: 'console',
  changes: 'guest',
  minArgs: 1,
  maxArgs: 1,
  options: [
    { name: 'user', short: 'u', value: 'USER', summary: 'the user to log in as (required)' },
    { name: 'password-file', value: 'FILE', summary: 'read the password from FILE: yours, mode 0600 or 0400 (its first line)' },
    { name: 'password-stdin', summary: 'read the password from stdin (its first line; not a terminal)' },
    { name: 'prompt', short: 'p', value: 'RE', summary: `the shell prompt that says the login worked (default '${DEFAULT_PROMPT}')` },
    { name: 'timeout', short: 't', value: 'MS', summary: `give up after MS milliseconds in all (default ${DEFAULT_DRIVE_TIMEOUT_MS}): exit 4` },
  ],
  details: [
    'Presses Enter, waits for "login:", types USER, waits for "Password:", types the password, then waits for the',
    'shell prompt. Exit 0 once it shows; 6 on "Login incorrect"; 4 on timeout; 1 when the console shows a shell',
    'prompt instead of login: (someone is logged in: log out first: umux send NAME exit).',
    'There is no --password option: argv is visible to every user in ps. The password is typed into the console',
    'only; umux never prints or logs it, and the guest does not echo it, so its console log does not hold it.',
    'Example: umux login web1 --user admin --password-file ~/.config/umux/web1.pw',
  ],
  run: (client, parsed) => client.drive(parsed),
};
