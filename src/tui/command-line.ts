// What the `:` command line sends: a umux command with the focused guest filled in where it takes a NAME, or an
// MConsole verb sent to the focused guest through the server (`mc`). A string result is the complaint to show.

import { findCommand } from '../commands/table.js';
import { findVerb } from '../protocol/mconsole-verbs.js';

/** Turns what was typed at `:` into server argv: the focused guest goes in where the command takes a NAME. */
export function commandArgv(line: string, focused: string | undefined, names: readonly string[]): string[] | string {
  const words = line.trim().split(/\s+/).filter(Boolean);
  const [verb, ...rest] = words;
  if (verb === undefined) return 'type a command: sysrq m, cad, config ubdb=/path, proc meminfo, ls, host';
  const spec = findCommand(verb);
  if (spec && spec.runsIn === 'server' && spec.name !== 'mc') {
    const takesGuest = spec.usage.startsWith('NAME');
    if (!takesGuest || (rest[0] !== undefined && names.includes(rest[0]))) return [verb, ...rest];
    if (focused === undefined) return `${verb} needs a guest: focus one in the sidebar`;
    return [verb, focused, ...rest];
  }
  if (findVerb(verb) || spec?.name === 'mc') {
    const args = spec?.name === 'mc' ? rest : words;
    if (focused === undefined) return 'MConsole commands need a guest: focus one in the sidebar';
    return ['mc', focused, ...args];
  }
  return `unknown command "${verb}": a umux command (umux help) or an MConsole verb`;
}
