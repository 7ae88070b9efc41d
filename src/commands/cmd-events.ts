// umux events NAME [-f]: a guest's event log (states, stop steps, notifications); -f follows it (cli/).
import { formatEvents } from './show-guests.js';
import { guestCommand, targetGuest } from './common.js';

export const eventsCommand = guestCommand({
  name: 'events',
  summary: "Print a guest's event log: state changes, stop steps, notifications, UML's own messages",
  changes: false,
  options: [{ name: 'follow', short: 'f', summary: 'keep printing new events as they happen (like tail -f)' }],
  serve: async (scope, call) => ({ data: scope.events(targetGuest(call)) }),
  show: (reply) => formatEvents(reply.data as Array<{ at: string; text: string }>),
});
