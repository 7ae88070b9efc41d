// umux clean NAME: what a dead guest left behind (umid directory, port-helpers) goes; the guest must be dead.
import { guestCommand, targetGuest } from './common.js';

export const cleanCommand = guestCommand({
  name: 'clean',
  summary: 'Remove the umid directory a dead guest left behind (stale socket and pid file), and end the port-helpers that keep its ports bound',
  serve: (scope, call) => scope.clean(targetGuest(call)),
});
