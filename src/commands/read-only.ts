// Read-only clients (`umux tui -r`, `umux attach -r`) look and change nothing. The rule is the command table's
// `changes`: the server applies it to every request of a read-only connection, before dispatch (server-client.ts);
// the TUI uses it to offer a read-only admin only what would be allowed.

import { UmuxError } from '../core/errors.js';
import { findCommand } from './table.js';

/** How a client of this program gets a writer (the hello's `program`). */
function writerWay(program: string): string {
  if (program === 'umux-tui') return 'umux tui without --read-only';
  if (program === 'attach') return 'umux attach without --read-only';
  return 'connect without --read-only';
}

/** The one-line refusal for a read-only client that asked for `what` (quoted already), which changes `target`. */
function refusal(what: string, target: string, program: string): UmuxError {
  return new UmuxError('permission', `read-only client: ${what} changes the ${target}; ask for a writer (${writerWay(program)})`);
}

/** True when running argv would change something (unknown commands change nothing here: the server refuses them anyway). */
export function changesSomething(argv: readonly string[]): boolean {
  const spec = argv[0] === undefined ? undefined : findCommand(argv[0]);
  return spec !== undefined && spec.changes !== false;
}

/** Why a read-only client may not run argv, or undefined when it only looks. */
export function readOnlyRefusal(argv: readonly string[], program: string): UmuxError | undefined {
  const spec = argv[0] === undefined ? undefined : findCommand(argv[0]);
  if (spec === undefined || spec.changes === false) return undefined;
  return refusal(`"${spec.name}"`, spec.changes, program);
}

/** Why a read-only client may not attach as a typist (attach with readOnly false). */
export function readOnlyAttachRefusal(program: string): UmuxError {
  return refusal('"attach" to type (readOnly false)', 'guest', program);
}
