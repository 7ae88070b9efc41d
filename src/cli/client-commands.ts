// What the CLI says for a command name it does not know, and the version it reports.

import { UsageError } from '../core/errors.js';
import { UMUX_VERSION } from '../core/version.js';

export { UMUX_VERSION };

export function unknownCommand(name: string): UsageError {
  return new UsageError(`unknown command "${name}"`, { hint: 'umux help lists the commands' });
}
