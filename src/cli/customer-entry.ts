// A hosting customer's entry (issue 17): `umux --shared [--hosting-dir DIR] COMMAND...` and `umux shell
// [--hosting-dir DIR]`, the ssh ForceCommand that reads what the customer asked for from SSH_ORIGINAL_COMMAND.
// Only an explicit list of client words gets through; nothing of the environment steers it (UMUX_* is dropped);
// it never starts a server, runs a program or takes a host path. The shared server checks everything again.

import { UmuxError } from '../core/errors.js';
import { useHostingSocket } from '../client/hosting-socket.js';

/** The words a customer may start a command with; the server decides what each may do on which guest. */
export const CUSTOMER_WORDS: readonly string[] = [
  'tui', 'ls', 'attach', 'log', 'events', 'boots', 'send', 'wait', 'start', 'stop', 'restart', 'cad', 'halt', 'reboot',
  'sysrq', 'pause', 'go', 'kill', 'backup', 'mc', 'help', 'version',
];

/**
 * Whole command lines let through besides CUSTOMER_WORDS, exactly as written: the far end of `umux --host` (what
 * ssh-transport.ts sends, with the default `umux` and without). The bridge goes to this customer's hosting socket
 * only (useHostingSocket has fixed it) and never starts a server; the shared server checks every request it carries.
 */
export const BRIDGE_LINES: readonly string[] = ['server --stdio', 'server --stdio --no-start', 'umux server --stdio', 'umux server --stdio --no-start'];

/** Longest SSH_ORIGINAL_COMMAND taken (a customer has no use for more). */
export const MAX_ORIGINAL_COMMAND = 1024;
/** What an ssh command line may hold: no quoting, globbing, substitution, separators, paths or control characters. */
const SAFE_LINE = /^[A-Za-z0-9 _.:=@%+,-]*$/;

function refused(what: string, hint: string): UmuxError {
  return new UmuxError('permission', `${what}: not allowed for a hosting customer`, { hint });
}

const WORDS_HINT = `the commands: ${CUSTOMER_WORDS.join(', ')}; with no command, the full-screen view`;

/** The words of a customer's command line after checking them (an empty list: the TUI). */
export function customerWords(words: readonly string[]): string[] {
  if (words.length === 0) return [];
  const line = words.join(' ');
  if (BRIDGE_LINES.includes(line)) return words[0] === 'umux' ? words.slice(1) : [...words];
  const [first = ''] = words;
  if ((first === '-h' || first === '--help') && words.length === 1) return ['help'];
  if ((first === '-V' || first === '--version') && words.length === 1) return ['version'];
  if (!CUSTOMER_WORDS.includes(first)) refusedWord(first);
  return [...words];
}

function refusedWord(word: string): never {
  throw refused(`"${word.slice(0, 64)}"`, WORDS_HINT);
}

/** SSH_ORIGINAL_COMMAND as words, or a refusal when it holds anything but plain words. */
export function sshCommandWords(original: string | undefined): string[] {
  if (original === undefined) return [];
  if (original.length > MAX_ORIGINAL_COMMAND) throw refused(`a command of ${original.length} characters`, `at most ${MAX_ORIGINAL_COMMAND}`);
  if (!SAFE_LINE.test(original)) {
    const bad = [...original].find((c) => !SAFE_LINE.test(c)) ?? '';
    throw refused(`the character ${JSON.stringify(bad)} in the command`, 'write plain words: letters, digits, spaces and . _ : = @ % + , - (no quoting, no paths)');
  }
  return original.split(' ').filter(Boolean);
}

/** Takes out what steers a client (UMUX_* and the directories it derives places from): a customer steers nothing. */
export function dropSteeringEnv(env: NodeJS.ProcessEnv): void {
  for (const key of Object.keys(env)) {
    if (key.startsWith('UMUX_') || key.startsWith('XDG_') || key === 'NODE_OPTIONS' || key === 'NODE_PATH') delete env[key];
  }
}

/**
 * Reads `--shared` / `shell` off the front of argv (with the admin's `--hosting-dir DIR`): the customer's command
 * words, with the connection fixed to the hosting socket; undefined when argv is an ordinary umux command line.
 */
export function customerEntry(argv: readonly string[], env: NodeJS.ProcessEnv): string[] | undefined {
  const [first, ...rest] = argv;
  if (first !== '--shared' && first !== 'shell') return undefined;
  let dir: string | undefined; // default /run/umux (files/hosting-dir.ts)
  if (rest[0] === '--hosting-dir') {
    if (rest[1] === undefined) throw new UmuxError('usage', '--hosting-dir needs a directory', { hint: `umux ${first} --hosting-dir /run/umux` });
    dir = rest[1];
    rest.splice(0, 2);
  }
  const original = env['SSH_ORIGINAL_COMMAND'];
  dropSteeringEnv(env);
  useHostingSocket(dir);
  if (first === 'shell') {
    // What the admin's ForceCommand line says is all it takes; what the customer typed comes from ssh alone.
    if (rest.length > 0) throw new UmuxError('usage', `umux shell takes no command words, got "${rest[0]!.slice(0, 64)}"`, { hint: 'the customer’s command comes from SSH_ORIGINAL_COMMAND' });
    return customerWords(sshCommandWords(original));
  }
  return customerWords(rest);
}
