// The server's half of the command table: argv re-parsed with the same specs the CLI used (the server is
// authoritative, as tmux's is), the target guest looked up first, the question a dangerous command needs answered
// checked, then the command's own serve run against the server's scope.

import { UmuxError } from '../core/errors.js';
import { parseArgs } from '../commands/parse.js';
import { findCommand } from '../commands/table.js';
import type { Reply } from '../commands/types.js';
import type { ServeCall } from '../commands/command.js';
import type { ProgressWire } from '../protocol/progress.js';
import { commandScope, type DispatchContext } from './command-scope.js';

export type { DispatchContext };

/** A dangerous command the client did not confirm: refused with the question it should have asked. */
function requireYes(question: string | undefined, yes: boolean, argv: readonly string[]): void {
  if (question === undefined || yes) return;
  throw new UmuxError('usage', `not confirmed: ${question}`, { hint: `umux ${argv.join(' ')} --yes` });
}

/** Runs one command line; `progress` hears long work (a backup's copies), at most every PROGRESS_MIN_MS. */
export async function dispatch(ctx: DispatchContext, argv: string[], progress?: (p: ProgressWire) => void): Promise<Reply> {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : findCommand(name);
  // `log` runs in the client (it may follow the stream), but its tail comes from the server's log files.
  if (!command || command.serve === undefined) {
    throw new UmuxError('usage', `the server does not run "${name ?? ''}"`, { hint: 'umux help lists the commands' });
  }
  const parsed = parseArgs(command, rest);
  ctx.registry.reload();
  const scope = commandScope(ctx);
  const call: ServeCall = { parsed, argv, ...(progress ? { progress } : {}) };
  if (command.target === 'guest' && parsed.args[0] !== undefined) call.guest = scope.guest(parsed.args[0]); // events' NAME is optional
  requireYes(command.confirm?.(parsed.args), parsed.options['yes'] === true, argv);
  return command.serve(scope, call);
}
