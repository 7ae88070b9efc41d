// umux send NAME[:CONSOLE] TEXT...: types into a console umux holds, then Enter; refused when the guest stops reading.
import { UmuxError } from '../core/errors.js';
import { encodeUtf8 } from '../core/utf8.js';
import { CONSOLE } from './common.js';
import type { ServerCommand } from './command.js';

export const sendCommand: ServerCommand = {
  name: 'send',
  summary: 'Type TEXT into a guest console, then Enter (for scripts)',
  usage: `${CONSOLE} TEXT...`,
  runsIn: 'server',
  target: 'console',
  changes: 'guest',
  minArgs: 2,
  maxArgs: 'rest',
  options: [{ name: 'no-enter', short: 'n', summary: 'do not press Enter after the text' }],
  serve: async (scope, call) => {
    const { args, options } = call.parsed;
    const input = scope.consoleInput(args[0]!);
    const text = args.slice(1).join(' ') + (options['no-enter'] === true ? '' : '\r');
    const bytes = encodeUtf8(text);
    if (!input.write(bytes)) {
      throw new UmuxError('busy', `${input.guest.name}:${input.console} is not reading its console (over 1 MiB of typing waits): nothing sent`, { hint: `is it paused? umux go ${input.guest.name}` });
    }
    return { data: { bytes: bytes.length } };
  },
};
