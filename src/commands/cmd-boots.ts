// `umux boots NAME`: the boots of a guest the server keeps a record of (issue 15 item 3), each with when and how it
// was started and how it ended; `umux log NAME --boot N` shows one of them.

import type { CommandSpec } from './types.js';
import { UsageError } from '../core/errors.js';

export const bootsCommand: CommandSpec = {
  name: 'boots',
  summary: 'List the boots of a guest: when and how each was started, how it ended (clean halt, panic, killed)',
  usage: 'NAME',
  runsIn: 'server',
  changes: false,
  minArgs: 1,
  maxArgs: 1,
  options: [],
  details: [
    '# counts from the first boot kept (1), IDX back from the current or last one (0, -1, -2): either is what',
    '`umux log NAME --boot N` takes. Each boot starts with a marker line in every console log of the guest',
    '("[umux TIME] boot: started by HOW; previous boot: HOW IT ENDED"). Started by: umux start, autostart, umux',
    'restart, restart policy, reboot (UML boots again in the same process), found running (a guest no server saw',
    'start), adopted, relaunch. Ended: clean halt (the guest halted itself), stopped by umux, kernel panic (with its',
    'text), killed (a signal), exited, rebooted, unknown (no server saw it end). The record is LOGDIR/UMID/boots;',
    'its newest 256 KiB are kept.',
  ],
};

/** `--boot N` of `umux log` as a number (0, -1, 3), or undefined when it was not given. */
export function bootOption(options: Readonly<Record<string, string | boolean | undefined>>): number | undefined {
  const raw = options['boot'];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^[+-]?\d{1,6}$/.test(raw)) {
    throw new UsageError(`log: --boot expects a boot number (0 the current, -1 the one before, 1 the first kept), got "${String(raw)}"`, {
      hint: 'umux boots NAME lists them',
    });
  }
  return Number(raw);
}
