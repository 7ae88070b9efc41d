// umux events [NAME] [-f]: a guest's event log (states, stop steps, notifications), or every guest's with their
// names when no NAME is given; -f follows it (cli/watch-commands.ts), with --json one object a line.
import { formatEvents } from './show-guests.js';
import { GUEST, guestCommand } from './common.js';

export const eventsCommand = guestCommand({
  name: 'events',
  summary: "Print a guest's event log (all guests' without NAME): state changes, stop steps, notifications",
  // An optional guest: looked up when given (dispatch.ts); the TUI's : line puts the focused one in.
  usage: `[${GUEST}]`,
  minArgs: 0,
  changes: false,
  options: [{ name: 'follow', short: 'f', summary: 'keep printing new events as they happen (like tail -f); with --json one object a line' }],
  serve: async (scope, call) => ({ data: call.guest === undefined ? scope.allEvents() : scope.events(call.guest) }),
  show: (reply) => formatEvents(reply.data as Array<{ at: string; text: string; guest?: string }>),
});
