// What the `:` command line (and a bound key's command line) runs: a TUI command, a umux command with the focused
// guest filled in where its target is a guest or a console, or an MConsole verb sent to the focused guest through
// the server (`mc`). A string result is the complaint to show.

import { findTuiLineCommand, runsInTui } from '../commands/tui-table.js';
import { findVerb } from '../protocol/mconsole-verbs.js';
import { confirmedArgv, questionOf } from '../client/command-request.js';

export { confirmedArgv };

/**
 * The question to ask before sending argv from the `:` line: the command table's, and for `stop`, which an
 * uml_mconsole user may mean as MConsole's stop (umux's is :pause), the shutdown it really is.
 */
export function questionFor(argv: readonly string[]): string | undefined {
  if (argv.includes('--yes')) return undefined;
  if (argv[0] === 'stop') return `stop shuts ${argv[1] ?? 'the guest'} down (cad, halt, SIGTERM, SIGKILL); MConsole's stop is :pause here. Shut it down?`;
  return questionOf(argv);
}

/** A parsed `:` line: the TUI's own command or a client command it runs itself, or server argv. */
export type LineRun = { kind: 'tui'; name: string; args: string[] } | { kind: 'server'; argv: string[] };

/** Turns what was typed at `:` into what to run; the focused guest goes in where the command takes a NAME. */
export function commandLine(line: string, focused: string | undefined, names: readonly string[]): LineRun | string {
  const words = line.trim().split(/\s+/).filter(Boolean);
  const [verb, ...rest] = words;
  if (verb === undefined) return 'type a command: sysrq m, cad, config ubdb=/path, proc meminfo, ls, host, split';
  const command = findTuiLineCommand(verb);
  if (command && (command.runsIn === 'tui' || command.runsIn === 'client') && runsInTui(command)) return { kind: 'tui', name: command.name, args: rest };
  if (command && command.runsIn === 'server' && command.name !== 'mc') {
    const takesGuest = command.target !== 'none';
    if (!takesGuest || (rest[0] !== undefined && names.includes(rest[0].split(':')[0]!))) return { kind: 'server', argv: [verb, ...rest] };
    if (focused === undefined) return `${verb} needs a guest: focus one in the sidebar`;
    return { kind: 'server', argv: [verb, focused, ...rest] };
  }
  if (findVerb(verb) || command?.name === 'mc') {
    const args = command?.name === 'mc' ? rest : words;
    if (focused === undefined) return 'MConsole commands need a guest: focus one in the sidebar';
    return { kind: 'server', argv: ['mc', focused, ...args] };
  }
  if (command) return `${verb} runs from the shell: umux ${verb} (umux help ${verb})`;
  return `unknown command "${verb}": a umux command (umux help), a TUI command (:help) or an MConsole verb`;
}

/** Server argv for a `:` line, or the complaint (the TUI's own commands are not server argv). */
export function commandArgv(line: string, focused: string | undefined, names: readonly string[]): string[] | string {
  const run = commandLine(line, focused, names);
  if (typeof run === 'string') return run;
  return run.kind === 'server' ? run.argv : `${run.name} runs in the TUI, not on the server`;
}
