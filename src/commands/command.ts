// A umux command with its behaviour (tmux's cmd_entry with its exec): one file per command (commands/cmd-*.ts)
// holds its words (types.ts) and what it does against a small scope (scopes.ts). The CLI, the `:` line and key
// bindings all run command lines through these.

import type { ClientScope, GuestRef, ServeScope, TuiScope } from './scopes.js';
import type { ProgressWire } from '../protocol/progress.js';
import type { CommandSpec, ParsedCommand, Reply } from './types.js';

/** One server command being run: what was typed, parsed, and its guest when the target is one. */
export interface ServeCall {
  parsed: ParsedCommand;
  argv: readonly string[];
  /** The target guest, looked up before anything else (target 'guest'). */
  guest?: GuestRef;
  /** Hears long work (a backup's copies). */
  progress?: (p: ProgressWire) => void;
}

/** A command the server runs: the CLI and the TUI send its argv. */
export interface ServerCommand extends CommandSpec {
  runsIn: 'server';
  serve(scope: ServeScope, call: ServeCall): Promise<Reply>;
  /** Its reply as text for people (the CLI and the TUI); default: the reply's text. */
  show?(reply: Reply): string | undefined;
}

/** A command the CLI runs itself (with or without a server); `serve` when the server supplies its data (log). */
export interface ClientCommand extends CommandSpec {
  runsIn: 'client' | 'direct';
  run(scope: ClientScope, parsed: ParsedCommand): Promise<number>;
  serve?(scope: ServeScope, call: ServeCall): Promise<Reply>;
  /** Also at the TUI's `:` line, where print shows an overlay (help, version). */
  inTui?: boolean;
}

/** A command of the TUI's own (panes, scrollback, overlays): keys and the `:` line run it. */
export interface TuiCommand extends CommandSpec {
  runsIn: 'tui';
  act(tui: TuiScope, parsed: ParsedCommand): void | Promise<void>;
}

/** A command the CLI knows (umux NAME): the server's and the client's. */
export type CliCommand = ServerCommand | ClientCommand;

export type Command = CliCommand | TuiCommand;
