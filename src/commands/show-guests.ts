// Text output of guest lists and events: the `umux ls` table, uptimes, events. Pure formatting of wire data.

import type { GuestInfo } from '../protocol/wire-messages.js';
import { groupConsoles, groupLabel } from '../protocol/console-summary.js';

export type GuestRow = GuestInfo;

export interface LsData {
  guests: GuestRow[];
  problems: Array<{ message: string; hint?: string }>;
}

export function formatUptime(ms: number | null): string {
  if (ms === null) return '-';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86400)}d${String(Math.floor((s % 86400) / 3600)).padStart(2, '0')}h`;
}

export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

export function formatLs(data: LsData): string {
  let out = '';
  if (data.guests.length === 0) out += 'no guests: define one in the config directory, or start one in ~/.uml\n';
  else {
    out += table(
      ['NAME', 'STATE', 'KIND', 'OWNER', 'PID', 'MEM', 'CONSOLES', 'CLIENTS', 'UPTIME'],
      data.guests.map((g) => [
        g.name,
        g.state,
        g.adopted ? 'adopted' : 'managed',
        g.owner ?? '-',
        g.pid === null ? '-' : String(g.pid),
        g.mem,
        groupConsoles(g.consoles).map(groupLabel).join(',') || '-',
        String(g.clients),
        formatUptime(g.uptimeMs),
      ]),
    );
    for (const g of data.guests) {
      if (g.panic) out += `${g.name}: panic: ${g.panic}\n`;
      for (const c of groupConsoles(g.consoles)) if (c.status && c.status !== 'held' && c.note) out += `${g.name}:${c.note}\n`;
    }
  }
  for (const p of data.problems) out += `problem: ${p.message}${p.hint ? `\n  hint: ${p.hint}` : ''}\n`;
  return out;
}

/** One line per event; events of every guest (`umux events` without a name) carry the guest's name after the time. */
export function formatEvents(events: Array<{ at: string; text: string; guest?: string }>): string {
  return events.map((e) => `${e.at}  ${e.guest === undefined ? '' : `${e.guest}  `}${e.text}\n`).join('');
}
