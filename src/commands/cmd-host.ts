// umux host [--recent]: host RAM, swap and the memory-file filesystem against the guests' mem=, per guest.
import type { HostSample } from '../protocol/host-types.js';
import { formatHost } from './show-host.js';
import type { ServerCommand } from './command.js';

export const hostCommand: ServerCommand = {
  name: 'host',
  summary: "Host memory: RAM, swap, the filesystem holding UML memory files against the guests' mem=, per guest",
  usage: '',
  runsIn: 'server',
  target: 'none',
  changes: false,
  minArgs: 0,
  maxArgs: 0,
  options: [
    { name: 'json', summary: 'print JSON (with the sample history) instead of text' },
    { name: 'recent', summary: "the server's latest periodic sample (at most 5 s old) instead of a fresh one" },
  ],
  serve: async (scope, call) => ({ data: scope.host(call.parsed.options['recent'] === true) }),
  show: (reply) => formatHost((reply.data as { sample: HostSample }).sample),
};
