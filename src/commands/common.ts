// Words several command files share: how targets are written in usage lines, and the options more than one takes.

import { UmuxError } from '../core/errors.js';
import type { OptionSpec } from './types.js';
import type { ServerCommand } from './command.js';

export const GUEST = 'NAME';
export const CONSOLE = 'NAME[:CONSOLE]';

export const yesOption: OptionSpec = { name: 'yes', short: 'y', summary: 'do not ask first (for scripts)' };
export const forceOption = (summary: string): OptionSpec => ({ name: 'force', summary });
export const readOnlyOption: OptionSpec = { name: 'read-only', short: 'r', summary: 'watch only: typing is refused' };

/** Every command's machine-readable form (cli/json-output.ts): one JSON document on stdout, errors as JSON on stderr. */
export const JSON_OPTION: OptionSpec = { name: 'json', summary: 'print one JSON document (errors as JSON on stderr)' };

/** The guest a target-'guest' command was given (looked up by the server before it runs). */
export function targetGuest<G>(call: { guest?: G }): G {
  if (call.guest === undefined) throw new UmuxError('internal', 'a guest command ran without its guest looked up', { hint: 'please report this with the command you ran' });
  return call.guest;
}

/** Fields a served command on one guest need not repeat: the usual shape, which `fields` extend or override. */
type GuestCommandFields = Omit<ServerCommand, 'usage' | 'runsIn' | 'target' | 'changes' | 'minArgs' | 'maxArgs' | 'options'> & Partial<ServerCommand>;

/** A command the server runs on one guest (NAME), changing it unless `changes` says otherwise. */
export function guestCommand(fields: GuestCommandFields): ServerCommand {
  return { usage: GUEST, runsIn: 'server', target: 'guest', changes: 'guest', minArgs: 1, maxArgs: 1, options: [], ...fields };
}
