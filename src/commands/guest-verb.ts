// The shape of the guest commands that are one MConsole verb sent by the server (cad, halt, reboot, pause, go):
// each has its own file naming its words; this builds the command from them.

import { GUEST, targetGuest, yesOption } from './common.js';
import type { ServerCommand } from './command.js';

type Verb = 'cad' | 'halt' | 'reboot' | 'pause' | 'go';

export function verbCommand(name: Verb, summary: string, question?: (guest: string) => string, details?: readonly string[]): ServerCommand {
  return {
    name,
    summary,
    usage: GUEST,
    runsIn: 'server',
    target: 'guest',
    changes: 'guest',
    minArgs: 1,
    maxArgs: 1,
    options: question ? [yesOption] : [],
    ...(question ? { confirm: (args: readonly string[]) => question(args[0] ?? '?') } : {}),
    ...(details ? { details } : {}),
    serve: (scope, call) => scope.verb(targetGuest(call), name),
  };
}
