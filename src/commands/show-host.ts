// `umux host` as text: host RAM and swap, the memory-file filesystem against the guests' mem=, each guest's
// figures, and the warnings, most serious first.

import { formatBytes, type HostSample } from '../protocol/host-types.js';
import { table } from './show-guests.js';

const b = (n: number | undefined) => (n === undefined ? '-' : formatBytes(n));

export function formatHost(s: HostSample): string {
  const h = s.host;
  const lines = [
    `RAM           ${formatBytes(h.ramTotal)} total, ${formatBytes(h.ramAvailable)} available`,
    `swap          ${h.swapTotal === 0 ? 'none' : `${formatBytes(h.swapTotal)} total, ${formatBytes(h.swapFree)} free`}`,
    s.memfileFs
      ? `memory files  ${s.memfileDir} (${s.memfileFs.type === 'tmpfs' ? 'tmpfs' : `not tmpfs: ${s.memfileFs.typeHex}`}): ` +
        `${formatBytes(s.memfileFs.size)} size, ${formatBytes(s.memfileFs.used)} used, ${formatBytes(s.memfileFs.avail)} free`
      : `memory files  ${s.memfileDir}: ${s.memfileError?.message ?? 'unknown'}`,
    `guests        ${s.guests.filter((g) => g.pid !== null).length} running, mem= ${formatBytes(s.guestsMem)} in all, ` +
      `${formatBytes(s.guestsAllocated)} allocated in memory files`,
  ];
  let out = `${lines.join('\n')}\n`;
  if (s.guests.length > 0) {
    out += `\n${table(
      ['GUEST', 'PID', 'MEM=', 'PSS', 'MEMFILE ALLOCATED'],
      s.guests.map((g) => [g.name, g.pid === null ? '-' : String(g.pid), b(g.mem), b(g.pss), b(g.memfile?.allocated)]),
    )}`;
  }
  for (const w of s.warnings) out += `${w.level === 'danger' ? 'DANGER' : 'warning'}: ${w.text}\n`;
  return out;
}
