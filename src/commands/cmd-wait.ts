// `umux wait NAME[:CONSOLE] PATTERN`: the command's spec (behaviour: cli/wait-command.ts). It only looks.

import type { ClientCommand } from './command.js';
import { CONSOLE } from './common.js';

/** Default and most milliseconds `wait`, `run` and `login` wait (a day: never unbounded). */
export const DEFAULT_DRIVE_TIMEOUT_MS = 30_000;
export const MAX_DRIVE_TIMEOUT_MS = 86_400_000;
/** Most lines `wait --recent` looks back. */
export const MAX_RECENT_LINES = 2000;

export const waitCommand: ClientCommand = {
  name: 'wait',
  summary: 'Wait until a guest console shows a line matching PATTERN (a regular expression), then print that line',
  usage: `${CONSOLE} PATTERN`,
  runsIn: 'client',
  target: 'console',
  changes: false,
  minArgs: 2,
  maxArgs: 2,
  options: [
    { name: 'timeout', short: 't', value: 'MS', summary: `give up after MS milliseconds (default ${DEFAULT_DRIVE_TIMEOUT_MS}): exit 4` },
    { name: 'recent', value: 'N', summary: 'also match the last N lines the console already shows (default 0: only new output)' },
  ],
  details: [
    'Like expect, only output that comes after umux wait started counts, unless --recent N also lets the last N',
    "lines of the console's screen and scrollback count (the line being written, such as a prompt, is one of them).",
    'PATTERN is a JavaScript regular expression matched against each line with escape sequences and control',
    'characters removed; the line still being written (a prompt with no line end yet) is matched too.',
    'Prints the matching line and exits 0. On timeout exits 4 with a message saying what was waited for, for how',
    'long, and the last line the console showed; exits 3 when the guest or console goes away meanwhile.',
    "Example: umux send web1 reboot; umux wait -t 60000 web1 'login: $'",
  ],
  run: (client, parsed) => client.drive(parsed),
};
