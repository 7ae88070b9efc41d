// umux events NAME [-f]: a guest's event log (states, stop steps, notifications); -f follows it (cli/).
import { formatEvents } from './show-guests.js';
import { GUEST, targetGuest } from './common.js';
import type { ServerCommand } from './command.js';

export const eventsCommand: ServerCommand = {
  name: 'events',
  summary: "Print a guest's event log: state changes, stop steps, notifications, UML's own messages",
  usage: GUEST,
  runsIn: 'server',
  target: 'guest',
  changes: false,
  minArgs: 1,
  maxArgs: 1,
  options: [{ name: 'follow', short: 'f', summary: 'keep printing new events as they happen (like tail -f)' }],
  serve: async (scope, call) => ({ data: scope.events(targetGuest(call)) }),
  show: (reply) => formatEvents(reply.data as Array<{ at: string; text: string }>),
};
