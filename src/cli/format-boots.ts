// Text of `umux boots NAME`: one row per boot, oldest first, with both numbers `umux log --boot` takes. Pure; the
// panic text in it is the guest's, shown through term/print.ts like every reply.

import { table } from './format.js';

export interface BootsData {
  guest: string;
  boots: Array<{ n: number; rel: number; at: string; how: string; pid: number | null; end: { text: string; at: string | null } | null }>;
}

/** `2026-12-02 10:11:03` in the local time zone. */
function localTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export function formatBoots(data: BootsData): string {
  if (data.boots.length === 0) return `${data.guest}: no boots recorded yet (umux records each boot from its start on)\n`;
  return table(
    ['#', 'IDX', 'STARTED', 'HOW', 'PID', 'ENDED'],
    data.boots.map((b) => [String(b.n), String(b.rel), localTime(b.at), b.how, b.pid === null ? '-' : String(b.pid), b.end ? `${b.end.at ? `${localTime(b.end.at).slice(11)} ` : ''}${b.end.text}` : 'running']),
  );
}
