// What the `:` command line sends: a umux command with the focused guest filled in where it takes a NAME, or an
// MConsole verb sent to the focused guest through the server (`mc`). A string result is the complaint to show.

import { findCommand } from '../commands/table.js';
import { findVerb } from '../protocol/mconsole-verbs.js';

/**
 * The question to ask before sending argv from the `:` line: the command table's, and for `stop`, which an
 * uml_mconsole user may mean as MConsole's stop (umux's is :pause), the shutdown it really is.
 */
export function questionFor(argv: readonly string[]): string | undefined {
  if (argv.includes('--yes')) return undefined;
  if (argv[0] === 'stop') return `stop shuts ${argv[1] ?? 'the guest'} down (cad, halt, SIGTERM, SIGKILL); MConsole's stop is :pause here. Shut it down?`;
  return findCommand(argv[0] ?? '')?.confirm?.(argv.slice(1).filter((a) => !a.startsWith('-')));
}

/**
 * argv once its question was answered yes: with --yes for commands that take it (the server refuses those without
 * it), unchanged for the rest (stop asks here but has no --yes: it would answer "unknown option --yes").
 */
export function confirmedArgv(argv: readonly string[]): string[] {
  const takesYes = findCommand(argv[0] ?? '')?.options.some((o) => o.name === 'yes') ?? false;
  return takesYes && !argv.includes('--yes') ? [...argv, '--yes'] : [...argv];
}

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
