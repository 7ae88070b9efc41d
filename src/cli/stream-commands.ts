// CLI commands that stream from the server: `umux log` (the tail, then with -f the live console) and
// `umux attach` (this terminal on a guest console). Guest bytes reach the terminal only through plainText or
// the safe renderer, never raw.

import { intOption } from '../commands/parse.js';
import type { ParsedCommand } from '../commands/types.js';
import { parseConsoleTarget } from '../commands/target.js';
import { MAX_LOG_LINES } from '../commands/table.js';
import { ServerSession } from '../client/session.js';
import { plainText } from '../term/plain-text.js';
import { printErr } from '../term/print.js';
import { runAttach } from './attach.js';
import { jsonLine } from './json-output.js';

export async function runStreamCommand(parsed: ParsedCommand): Promise<number> {
  if (parsed.spec.name === 'attach') return runAttach(parsed);
  const target = parseConsoleTarget(parsed.args[0]!);
  const lines = intOption(parsed, 'lines', 50, 0, MAX_LOG_LINES);
  const times = parsed.options['times'] === true;
  const session = await ServerSession.connect();
  const tty = process.stdout.isTTY === true;
  const show = (text: string) => process.stdout.write(tty ? plainText(text) : text);
  try {
    if (parsed.options['json'] === true) {
      // The tail as data: each line with the time it started (null where unknown).
      const reply = await session.request(['log', `${target.guest}:${target.console}`, '-n', String(lines), '--times']);
      process.stdout.write(jsonLine({ guest: target.guest, console: target.console, ...(reply.data as object) }));
      return 0;
    }
    if (parsed.options['follow'] !== true) {
      // With --times the server's text has the time prefixes (its data has the same lines with ISO times).
      const reply = await session.request(['log', `${target.guest}:${target.console}`, '-n', String(lines), ...(times ? ['--times'] : [])]);
      show(reply.text ?? '');
      const dropped = (reply.data as { dropped?: unknown } | null)?.dropped;
      if (typeof dropped === 'number') printErr(`umux: ${dropped} older lines left out: they do not fit in one reply (ask for fewer with -n)\n`);
      return 0;
    }
    // The server follows the file itself, from the tail on: no gap between the tail and what follows.
    const stream = await session.followLog(target.guest, target.console, lines, { times });
    const decoder = new TextDecoder();
    stream.onData((bytes) => show(decoder.decode(bytes, { stream: true })));
    return await new Promise<number>((resolve) => {
      stream.onClosed((reason) => {
        printErr(`umux: ${reason}\n`);
        resolve(0);
      });
      process.once('SIGINT', () => {
        stream.dispose();
        resolve(0);
      });
    });
  } finally {
    session.dispose();
  }
}
