// `umux run NAME[:CONSOLE] 'COMMAND'`: types the command and Enter as a typist, waits for the shell prompt after
// the echo, and prints the lines in between (command-output.ts); a timeout fails with the last line shown.

import { parseConsoleTarget } from '../commands/target.js';
import type { ParsedCommand } from '../commands/types.js';
import { printErr, printOut } from '../term/print.js';
import { CommandTranscript, LOGIN_PROMPT, PASSWORD_PROMPT, promptShown, promptOption, typedLine } from './command-output.js';
import { UmuxError } from '../core/errors.js';
import { driveTimeout, openDriver, quoteLine, type ConsoleDriver } from './console-driver.js';
import { jsonLine } from './json-output.js';

export async function runRun(parsed: ParsedCommand): Promise<number> {
  const target = parseConsoleTarget(parsed.args[0]!);
  const command = typedLine(parsed.args[1]!, 'COMMAND');
  const { prompt, promptSource } = promptOption(parsed);
  const timeoutMs = driveTimeout(parsed);
  const started = Date.now();
  const { session, driver, shownLast } = await openDriver(target, { readOnly: false, program: 'run', started, timeoutMs });
  try {
    // The command would go in as a user name (or, worse, a password).
    if (LOGIN_PROMPT.test(shownLast) || PASSWORD_PROMPT.test(shownLast)) {
      throw new UmuxError('guest-error', `${driver.label} shows ${quoteLine(shownLast)}, not a shell prompt: nothing typed`, {
        hint: `log in first: umux login ${driver.label} --user USER --password-file FILE`,
      });
    }
    const transcript = await typeCommand(driver, command, prompt, promptSource);
    const output = transcript.output();
    const text = output.map((l) => `${l}\n`).join('');
    if (parsed.options['json'] === true) {
      const doc = { guest: target.guest, console: target.console, command, output: text, prompt: driver.text.partial, ms: Date.now() - started };
      printOut(jsonLine({ ...doc, ...(driver.resynced ? { resynced: true } : {}), ...(transcript.dropped > 0 ? { dropped: transcript.dropped } : {}) }));
    } else {
      printOut(text);
    }
    if (driver.resynced) printErr('umux: run: the server sent a fresh screen meanwhile (this client fell behind, or the console was resized): output may be incomplete\n');
    if (transcript.dropped > 0) printErr(`umux: run: ${transcript.dropped} characters of output left out (more than umux run keeps)\n`);
    return 0;
  } finally {
    driver.dispose();
    session.dispose();
  }
}

/** Types `command` and Enter; resolves with its transcript once the prompt shows after the echo's line. */
export async function typeCommand(driver: ConsoleDriver, command: string, prompt: RegExp, promptSource: string): Promise<CommandTranscript> {
  const transcript = new CommandTranscript(command);
  driver.forgetShown();
  driver.type(`${command}\r`);
  await driver.until(`the prompt /${promptSource}/ after typing ${quoteLine(command)}`, (lines, partial) => {
    for (const l of lines) transcript.add(l);
    return transcript.linesSeen > 0 && promptShown(partial, prompt) ? true : undefined;
  });
  return transcript;
}
