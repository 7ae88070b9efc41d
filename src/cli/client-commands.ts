// Commands that run in the client alone and need no guest or server: help and version.

import { commandHelp, overviewHelp } from '../commands/help.js';
import { findCommand } from '../commands/table.js';
import type { ParsedCommand } from '../commands/types.js';
import { UsageError } from '../core/errors.js';

import { UMUX_VERSION } from '../core/version.js';

export { UMUX_VERSION };

export function runClientCommand(parsed: ParsedCommand, write: (text: string) => void): number {
  switch (parsed.spec.name) {
    case 'help': {
      const name = parsed.args[0];
      if (name === undefined) {
        write(overviewHelp());
        return 0;
      }
      const spec = findCommand(name);
      if (!spec) throw unknownCommand(name);
      write(commandHelp(spec));
      return 0;
    }
    case 'version':
      write(`umux ${UMUX_VERSION}\n`);
      return 0;
    default:
      throw new UsageError(`${parsed.spec.name} does not run in the client`);
  }
}

export function unknownCommand(name: string): UsageError {
  return new UsageError(`unknown command "${name}"`, { hint: 'umux help lists the commands' });
}
