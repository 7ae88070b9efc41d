// umux clean NAME: what a dead guest left behind (umid directory, port-helpers) goes; the guest must be dead.
import { GUEST, targetGuest } from './common.js';
import type { ServerCommand } from './command.js';

export const cleanCommand: ServerCommand = {
  name: 'clean',
  summary: 'Remove the umid directory a dead guest left behind (stale socket and pid file), and end the port-helpers that keep its ports bound',
  usage: GUEST,
  runsIn: 'server',
  target: 'guest',
  changes: 'guest',
  minArgs: 1,
  maxArgs: 1,
  options: [],
  serve: (scope, call) => scope.clean(targetGuest(call)),
};
