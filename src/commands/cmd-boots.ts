// umux boots NAME: the boots of a guest the server keeps a record of (issue 15 item 3), each with when and how it
// was started and how it ended; `umux log NAME --boot N` shows one of them (bootOption reads that N).
import { UsageError } from '../core/errors.js';
import { guestCommand, targetGuest } from './common.js';
import { table } from './show-guests.js';
import type { BootsData } from './scopes.js';

/** `2026-12-02 10:11:03` in the local time zone. */
function localTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** One row per boot, oldest first, with both numbers `umux log --boot` takes; the panic text is the guest's (printed escaped). */
export function formatBoots(data: BootsData): string {
  if (data.boots.length === 0) return `${data.guest}: no boots recorded yet (umux records each boot from its start on)\n`;
  return table(
    ['#', 'IDX', 'STARTED', 'HOW', 'PID', 'ENDED'],
    data.boots.map((b) => [String(b.n), String(b.rel), localTime(b.at), b.how, b.pid === null ? '-' : String(b.pid), b.end ? `${b.end.at ? `${localTime(b.end.at).slice(11)} ` : ''}${b.end.text}` : 'running']),
  );
}

export const bootsCommand = guestCommand({
  name: 'boots',
  summary: 'List the boots of a guest: when and how each was started, how it ended (clean halt, panic, killed)',
  changes: false,
  details: [
    '# counts from the first boot kept (1), IDX back from the current or last one (0, -1, -2): either is what',
    '`umux log NAME --boot N` takes. Each boot starts with a marker line in every console log of the guest',
    '("[umux TIME] boot: started by HOW; previous boot: HOW IT ENDED"). Started by: umux start, autostart, umux',
    'restart, restart policy, reboot (UML boots again in the same process), found running (a guest no server saw',
    'start), adopted, relaunch. Ended: clean halt (the guest halted itself), stopped by umux, kernel panic (with its',
    'text), killed (a signal), exited, rebooted, unknown (no server saw it end). The record is LOGDIR/UMID/boots;',
    'its newest 256 KiB are kept.',
  ],
  serve: async (scope, call) => ({ data: scope.boots(targetGuest(call)) }),
  show: (reply) => formatBoots(reply.data as BootsData),
});

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
