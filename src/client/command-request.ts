// The one way a client sends a command line to the server, for the CLI and the TUI alike: ask the command's
// question first (a dangerous command) and add --yes once answered, make disk file names absolute against the
// client's directory, send, and turn the reply into text with the command's own `show`.

import { absolutizeArgv } from '../commands/host-paths.js';
import { findCommand } from '../commands/table.js';
import type { Reply } from '../commands/types.js';
import type { ProgressWire } from '../protocol/progress.js';
import type { RequestResult } from './session.js';

export interface Requester {
  request(argv: string[], timeoutMs?: number, onProgress?: (p: ProgressWire) => void): Promise<RequestResult>;
  /** The host argv goes to: `local`, or another host, whose files this directory says nothing about. */
  hostOf?(argv: readonly string[]): string;
}

/**
 * argv with disk file names made absolute against `cwd`, for the local host only: a far host gets them as typed
 * rather than made absolute against a directory of this host, which would name a file of the wrong host.
 */
export function hostPaths(server: Requester, argv: readonly string[], cwd: string): string[] {
  return (server.hostOf?.(argv) ?? 'local') === 'local' ? absolutizeArgv(argv, cwd) : [...argv];
}

export interface RequestIo {
  /** Asks a yes/no question; absent where nobody can answer (a script): the server then refuses without --yes. */
  confirm?: (question: string) => Promise<boolean>;
  /** The question to ask for argv, when the caller words it itself (the TUI's `:stop`); default: the command's. */
  question?: (argv: readonly string[]) => string | undefined;
  /** The client's working directory, against which disk file names are made absolute. */
  cwd: string;
  progress?: (p: ProgressWire) => void;
}

/** The command table's question for argv (none once --yes is in it). */
export function questionOf(argv: readonly string[]): string | undefined {
  if (argv.includes('--yes') || argv.includes('-y')) return undefined;
  return findCommand(argv[0] ?? '')?.confirm?.(argv.slice(1).filter((a) => !a.startsWith('-')));
}

/** argv once its question was answered yes: with --yes for commands that take it, unchanged for the rest. */
export function confirmedArgv(argv: readonly string[]): string[] {
  const takesYes = findCommand(argv[0] ?? '')?.options.some((o) => o.name === 'yes') ?? false;
  return takesYes && !argv.includes('--yes') ? [...argv, '--yes'] : [...argv];
}

/** Sends argv after its question; undefined when the answer was no (nothing sent). */
export async function requestCommand(server: Requester, argv: readonly string[], io: RequestIo): Promise<RequestResult | undefined> {
  const question = (io.question ?? questionOf)(argv);
  let send = [...argv];
  if (question !== undefined && io.confirm) {
    if (!(await io.confirm(question))) return undefined;
    send = confirmedArgv(send);
  }
  return server.request(hostPaths(server, send, io.cwd), undefined, io.progress);
}

/** A reply as text for people: the command's own `show`, else the server's text. */
export function replyText(argv: readonly string[], reply: Reply): string | undefined {
  const command = findCommand(argv[0] ?? '');
  const shown = command?.runsIn === 'server' ? command.show?.(reply) : undefined;
  return shown ?? reply.text;
}
