// CLI commands that the server runs: send argv over the wire, print the reply as text (or, with --json, as JSON;
// a dangerous command is then not asked about: the server refuses it without --yes). `write` shows
// control characters visibly (main.ts passes term/print.ts); JSON escapes them all, C1 included.

import readline from 'node:readline';
import type { ParsedCommand } from '../commands/types.js';
import { EXIT } from '../core/exit-codes.js';
import { jsonLine, replyDocument } from './json-output.js';
import { ProgressLine } from './progress-line.js';
import { absolutizeArgv } from '../commands/host-paths.js';
import { ServerSession } from '../client/session.js';
import { formatEvents, formatLs, type LsData } from './format.js';
import { formatHost } from './format-host.js';
import { formatBoots, type BootsData } from './format-boots.js';
import type { HostSample } from '../protocol/host-types.js';

/** Asks a yes/no question on the terminal; false on anything but y or yes. */
async function ask(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await new Promise<string>((resolve) => {
      rl.question(`${question} [y/N] `, resolve);
      rl.once('close', () => resolve(''));
    });
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export async function runServerCommand(parsed: ParsedCommand, argv: string[], write: (text: string) => void): Promise<number> {
  // Dangerous commands ask first on a terminal; in a script the server refuses them without --yes.
  const question = parsed.spec.confirm?.(parsed.args);
  if (question !== undefined && parsed.options['yes'] !== true && parsed.options['json'] !== true && process.stdin.isTTY) {
    if (!(await ask(question))) {
      write('not sent\n');
      return EXIT.failed;
    }
    argv = [...argv, '--yes'];
  }
  // UML resolves disk file names against its own directory, not ours: make them absolute here.
  argv = absolutizeArgv(argv, process.cwd());
  const session = await ServerSession.connect({ autostart: parsed.spec.name !== 'kill-server' });
  try {
    const line = parsed.options['json'] === true ? undefined : ProgressLine.forTerminal();
    const reply = await session.request(argv, undefined, line?.show).finally(() => line?.clear());
    // Every command's --json is its reply as one document (cli/json-output.ts).
    if (parsed.options['json'] === true) {
      write(jsonLine(replyDocument(reply)));
      return 0;
    }
    switch (parsed.spec.name) {
      case 'ls':
        write(formatLs(reply.data as LsData));
        break;
      case 'host': {
        const data = reply.data as { sample: HostSample; history: HostSample[] };
        write(formatHost(data.sample));
        break;
      }
      case 'boots':
        write(formatBoots(reply.data as BootsData));
        break;
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
