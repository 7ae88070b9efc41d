// `umux wait NAME[:CONSOLE] PATTERN`: a read-only attach whose new output (and with --recent N the last lines
// already shown) is matched line by line; prints the matching line, or fails with a timeout saying what it waited for.

import { intOption } from '../commands/parse.js';
import { MAX_RECENT_LINES } from '../commands/cmd-wait.js';
import { parseConsoleTarget } from '../commands/target.js';
import type { ParsedCommand } from '../commands/types.js';
import { printOut } from '../term/print.js';
import { driveTimeout, openDriver } from './console-driver.js';
import { userRegExp } from './command-output.js';
import { jsonLine } from './json-output.js';
import { shownLines } from './shown-lines.js';

export async function runWait(parsed: ParsedCommand): Promise<number> {
  const target = parseConsoleTarget(parsed.args[0]!);
  const source = parsed.args[1]!;
  const pattern = userRegExp(source, 'PATTERN');
  const timeoutMs = driveTimeout(parsed);
  const recent = intOption(parsed, 'recent', 0, 0, MAX_RECENT_LINES);
  const started = Date.now();
  const { session, driver, snapshot } = await openDriver(target, { readOnly: true, program: 'wait', started, timeoutMs, scrollback: recent });
  try {
    const matches = (line: string) => (pattern.test(line) ? line : undefined);
    let line: string | undefined;
    if (recent > 0) {
      const shown = await shownLines(snapshot, recent);
      line = shown.lines.find((l) => matches(l) !== undefined);
      driver.text.partial = shown.partial;
    }
    line ??= await driver.until(`/${source}/`, (lines, partial) => lines.find((l) => matches(l) !== undefined) ?? (partial === '' ? undefined : matches(partial)));
    const waitedMs = Date.now() - started;
    if (parsed.options['json'] === true) printOut(jsonLine({ guest: target.guest, console: target.console, pattern: source, line, ms: waitedMs }));
    else printOut(`${line}\n`);
    return 0;
  } finally {
    driver.dispose();
    session.dispose();
  }
}
