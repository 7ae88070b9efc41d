// umux demo: three small real guests under a private server, shown in the TUI; leaving removes them (direct/demo.ts).
import type { ClientCommand } from './command.js';

export const demoCommand: ClientCommand = {
  name: 'demo',
  summary: 'Boot three small real UML guests under a private server and open the TUI on them (leaving removes them)',
  usage: '',
  runsIn: 'direct',
  target: 'none',
  changes: 'guest',
  minArgs: 0,
  maxArgs: 0,
  options: [],
  details: [
    'Builds busybox hostfs roots in a temporary directory and boots demo1, demo2 (with a serial line)',
    'and demo3 (its init exits 30 s after boot, so the kernel panics). As root, installs user-mode-linux',
    'and busybox-static first when they are missing; otherwise prints the apt-get command to run.',
    'On a terminal it opens the TUI; with piped input it serves the MConsole prompt on the guests instead.',
  ],
  run: (client, parsed) => client.demo(parsed),
};
