// The commands that drive a console for scripts (`umux wait`, `run`, `login`), each in its own file.

import type { ParsedCommand } from '../commands/types.js';

export async function runDriveCommand(parsed: ParsedCommand): Promise<number> {
  switch (parsed.spec.name) {
    case 'wait':
      return (await import('./wait-command.js')).runWait(parsed);
    case 'run':
      return (await import('./run-command.js')).runRun(parsed);
    default:
      return (await import('./login-command.js')).runLogin(parsed);
  }
}
