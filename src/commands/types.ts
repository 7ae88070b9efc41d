// The shape of a umux command (tmux's cmd_entry, typed): one table serves the CLI, the `:` prompt and key
// bindings, and every help text is generated from it.

export interface OptionSpec {
  /** Long name without dashes: 'uml-dir'. */
  name: string;
  /** One-letter short form, if any. */
  short?: string;
  /** Name of the value it takes ('DIR'); absent for a flag. */
  value?: string;
  summary: string;
}

/** What a command changes when it runs; false: it only looks. */
export type Changes = false | 'guest' | 'server';

export interface CommandSpec {
  /** kebab-case verb; MConsole verbs keep their kernel spelling. */
  name: string;
  summary: string;
  /** Positional part of the usage: 'UMID|SOCKET [COMMAND...]'. */
  usage: string;
  options: readonly OptionSpec[];
  /** Where it runs: 'direct' talks to guests itself (no server needed), 'client' in the client, 'server' in the daemon. */
  runsIn: 'direct' | 'client' | 'server';
  /** Positional arguments: least and most ('rest': any number). */
  minArgs: number;
  maxArgs: number | 'rest';
  /**
   * What running it changes: the guest (its state, consoles, devices, disks), the server (stops it), or nothing (it
   * only looks). Read-only clients are refused every command that changes something (commands/read-only.ts).
   */
  changes: Changes;
  /** Stop option parsing at the first positional (so `umux mconsole g1 log -f F` leaves `-f` to the command). */
  optionsFirst?: boolean;
  /**
   * Dangerous commands: the question to ask first, from the positional arguments (undefined: nothing to ask for
   * these arguments). Asked on a terminal; the server refuses the command without --yes.
   */
  confirm?: (args: readonly string[]) => string | undefined;
  /** Longer text for `umux help NAME`. */
  details?: readonly string[];
}

export type OptionValues = Record<string, string | boolean | undefined>;

export interface ParsedCommand {
  spec: CommandSpec;
  options: OptionValues;
  args: string[];
}
