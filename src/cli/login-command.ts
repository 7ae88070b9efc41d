// `umux login NAME[:CONSOLE] --user U`: Enter, "login:", the user, "Password:", the password (from a private file
// or stdin, typed into the console and nowhere else), then the shell prompt; "Login incorrect" is its own error.

import { parseConsoleTarget } from '../commands/target.js';
import type { ParsedCommand } from '../commands/types.js';
import { UmuxError, UsageError } from '../core/errors.js';
import { readPasswordFile, readPasswordStdin } from '../client/password-source.js';
import { printOut } from '../term/print.js';
import { LOGIN_INCORRECT, LOGIN_PROMPT, PASSWORD_PROMPT, promptShown, promptOption, typedLine } from './command-output.js';
import { driveTimeout, openDriver, type ConsoleDriver } from './console-driver.js';
import { jsonLine } from './json-output.js';

async function password(parsed: ParsedCommand, timeoutMs: number): Promise<string> {
  const file = parsed.options['password-file'];
  const stdin = parsed.options['password-stdin'] === true;
  if (typeof file === 'string' && stdin) throw new UsageError('login: give --password-file FILE or --password-stdin, not both');
  if (typeof file === 'string') return readPasswordFile(file);
  if (stdin) return readPasswordStdin(process.stdin, timeoutMs);
  throw new UsageError('login: no password: give --password-file FILE (mode 0600) or --password-stdin', { hint: 'a password is never taken from the command line, where ps shows it to every user' });
}

export async function runLogin(parsed: ParsedCommand): Promise<number> {
  const target = parseConsoleTarget(parsed.args[0]!);
  const userOption = parsed.options['user'];
  if (typeof userOption !== 'string' || userOption === '') throw new UsageError('login: --user USER is required', { hint: 'umux login NAME --user root --password-file FILE' });
  const user = typedLine(userOption, '--user');
  const { prompt, promptSource } = promptOption(parsed);
  const timeoutMs = driveTimeout(parsed);
  const started = Date.now();
  const secret = await password(parsed, timeoutMs);
  const { session, driver } = await openDriver(target, { readOnly: false, program: 'login', started, timeoutMs });
  try {
    await logIn(driver, user, secret, prompt, promptSource);
    const doc = { guest: target.guest, console: target.console, user, prompt: driver.text.partial, ms: Date.now() - started };
    printOut(parsed.options['json'] === true ? jsonLine(doc) : `logged in as ${user} on ${driver.label}\n`);
    return 0;
  } finally {
    driver.dispose();
    session.dispose();
  }
}

/** The dialogue with getty and login; the password is typed and never put in a message. */
async function logIn(driver: ConsoleDriver, user: string, secret: string, prompt: RegExp, promptSource: string): Promise<void> {
  driver.forgetShown();
  driver.type('\r');
  const first = await driver.until('"login:"', (_lines, partial) => (LOGIN_PROMPT.test(partial) ? 'login' : promptShown(partial, prompt) ? 'shell' : undefined));
  if (first === 'shell') {
    throw new UmuxError('guest-error', `${driver.label} shows a shell prompt, not "login:": someone is logged in there`, { hint: `log out first (umux send ${driver.label} exit), or go on with umux run` });
  }
  driver.forgetShown();
  driver.type(`${user}\r`);
  const asked = await driver.until('"Password:"', (lines, partial) =>
    PASSWORD_PROMPT.test(partial) ? 'password' : lines.some((l) => LOGIN_INCORRECT.test(l)) ? 'incorrect' : promptShown(partial, prompt) ? 'shell' : undefined,
  );
  if (asked === 'incorrect') throw incorrect(driver, user);
  if (asked === 'shell') return; // no password asked (an account without one)
  driver.forgetShown();
  driver.type(`${secret}\r`);
  const outcome = await driver.until(`the shell prompt /${promptSource}/ after the password`, (lines, partial) =>
    lines.some((l) => LOGIN_INCORRECT.test(l)) || LOGIN_PROMPT.test(partial) ? 'incorrect' : promptShown(partial, prompt) ? 'shell' : undefined,
  );
  if (outcome === 'incorrect') throw incorrect(driver, user);
}

function incorrect(driver: ConsoleDriver, user: string): UmuxError {
  return new UmuxError('permission', `${driver.label}: login as ${user} refused: the guest said "Login incorrect"`, { hint: 'check the user name and the password (file)' });
}
