// umux kill NAME [--hard]: SIGTERM to the guest's main pid (UML's quick shutdown), or SIGKILL to its process group.
import { guestCommand, targetGuest, yesOption } from './common.js';

export const killCommand = guestCommand({
  name: 'kill',
  summary: "SIGTERM to a guest's main pid (UML's own quick shutdown); --hard: SIGKILL to its whole process group",
  options: [{ name: 'hard', summary: 'SIGKILL every process of the guest (pulls the plug)' }, yesOption],
  confirm: ([g]) => `kill ends ${g} without a clean shutdown: its filesystems need an fsck. Kill it?`,
  serve: (scope, call) => scope.kill(targetGuest(call), call.parsed.options['hard'] === true),
});
