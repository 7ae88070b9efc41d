// CLI commands that the server runs: send argv over the wire, print the reply as text (or JSON).

import type { ParsedCommand } from '../commands/types.js';
import { ServerSession } from '../client/session.js';
import { formatEvents, formatLs, type LsData } from './format.js';
import { formatHost } from './format-host.js';
import type { HostSample } from '../protocol/host-types.js';

export async function runServerCommand(parsed: ParsedCommand, argv: string[], write: (text: string) => void): Promise<number> {
  const session = await ServerSession.connect({ autostart: parsed.spec.name !== 'kill-server' });
  try {
    const reply = await session.request(argv);
    switch (parsed.spec.name) {
      case 'ls':
        write(parsed.options['json'] === true ? `${JSON.stringify(reply.data, null, 2)}\n` : formatLs(reply.data as LsData));
        break;
      case 'host': {
        const data = reply.data as { sample: HostSample; history: HostSample[] };
        write(parsed.options['json'] === true ? `${JSON.stringify(data, null, 2)}\n` : formatHost(data.sample));
        break;
      }
      case 'events':
        write(formatEvents(reply.data as Array<{ at: string; text: string }>));
        break;
      default:
        if (reply.text) write(`${reply.text}\n`);
    }
    return 0;
  } finally {
    session.dispose();
  }
}
