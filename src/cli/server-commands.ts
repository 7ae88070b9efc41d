// CLI commands that the server runs: the shared request pipeline (client/command-request.ts) with the terminal
// asking a dangerous command's question, the reply printed with the command's own `show` (or with --json as one
// document; a dangerous command is then not asked about: the server refuses it without --yes). `write` shows
// control characters visibly (main.ts passes term/print.ts); JSON escapes them all, C1 included.

import readline from 'node:readline';
import type { ParsedCommand } from '../commands/types.js';
import { EXIT } from '../core/exit-codes.js';
import { jsonLine, replyDocument } from './json-output.js';
import { ProgressLine } from './progress-line.js';
import { ServerSession } from '../client/session.js';
import { replyText, requestCommand } from '../client/command-request.js';

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
  const json = parsed.options['json'] === true;
  const session = await ServerSession.connect({ autostart: parsed.spec.name !== 'kill-server' });
  try {
    const line = json ? undefined : ProgressLine.forTerminal();
    const asks = !json && process.stdin.isTTY === true;
    const reply = await requestCommand(session, argv, { cwd: process.cwd(), ...(asks ? { confirm: ask } : {}), ...(line ? { progress: line.show } : {}) }).finally(() => line?.clear());
    if (reply === undefined) {
      write('not sent\n');
      return EXIT.failed;
    }
    // Every command's --json is its reply as one document (cli/json-output.ts).
    if (json) {
      write(jsonLine(replyDocument(reply)));
      return 0;
    }
    const text = replyText(argv, reply);
    if (text) write(text.endsWith('\n') ? text : `${text}\n`);
    return 0;
  } finally {
    session.dispose();
  }
}
