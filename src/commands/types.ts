// The words of a umux command (tmux's cmd_entry, typed): name, arguments, options, target, what it changes, how
// dangerous it is and where it runs. command.ts adds the behaviour; each command is one file, commands/cmd-*.ts.

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

/** What its first positional argument names: nothing, a guest (NAME), or a console (NAME[:CONSOLE]). */
export type TargetKind = 'none' | 'guest' | 'console';

/**
 * Where it runs: 'direct' talks to guests itself (no server needed), 'client' in the client, 'server' in the daemon
 * (the CLI and the TUI send it), 'tui' only inside the TUI (keys and the `:` line).
 */
export type RunsIn = 'direct' | 'client' | 'server' | 'tui';

export interface CommandSpec {
  /** kebab-case verb; MConsole verbs keep their kernel spelling. */
  name: string;
  summary: string;
  /** Positional part of the usage: 'UMID|SOCKET [COMMAND...]'. */
  usage: string;
  options: readonly OptionSpec[];
  runsIn: RunsIn;
  /** What the first positional names; the TUI fills in the focused guest where it is a guest or a console. */
  target: TargetKind;
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

/** What the server sends back for a command: data for --json and the TUI, text for people. */
export interface Reply {
  data: unknown;
  text?: string;
}

