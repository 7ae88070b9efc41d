// The server's side of `umux boots NAME` (the boots a guest's book keeps) and of `umux log NAME --boot N` (one
// boot's lines of a console log, from its marker to the next boot's; only the last lines asked for are read).

import path from 'node:path';
import { UmuxError, UsageError } from '../core/errors.js';
import { readBootSection } from '../consoles/boot-section.js';
import { pairTail } from '../consoles/line-times.js';
import { describeEnd, pickBoot, type BootInfo } from '../protocol/boot-marker.js';
import { stampLines, toWireLines } from '../protocol/log-times.js';
import { BootBook } from './boot-book.js';
import { DEFAULT_CONSOLE_SETTINGS } from './console-wiring.js';
import type { Guest } from './guest.js';
import type { BootsData } from '../commands/scopes.js';
import { fitLines, timedLogTail } from './timed-log.js';

type BootWire = BootsData['boots'][number];

function toWire(b: BootInfo): BootWire {
  return {
    n: b.n,
    rel: b.rel,
    at: new Date(b.at).toISOString(),
    how: b.how,
    pid: b.pid,
    end: b.end && { kind: b.end.kind, detail: b.end.detail, at: b.end.at === null ? null : new Date(b.end.at).toISOString(), text: describeEnd(b.end) },
    consoles: Object.keys(b.logs),
  };
}

function bookOf(g: Guest, logRoot: string): BootBook {
  return new BootBook(path.join(logRoot, g.umid), () => undefined);
}

/** `umux boots NAME`: `{ guest, boots }`, oldest first; the command formats it (commands/cmd-boots.ts). */
export function bootsReply(g: Guest, logRoot: string): BootsData {
  return { guest: g.name, boots: bookOf(g, logRoot).list().map(toWire) };
}

/** `umux log NAME:CONSOLE --boot N [--times]`: the boot's last `lines` lines, a note when its start is gone. */
export function bootLogReply(g: Guest, console: string, logRoot: string, n: number, lines: number, times: boolean): { data: unknown; text: string } {
  const boots = bookOf(g, logRoot).list();
  const picked = pickBoot(n, boots.length);
  if (typeof picked === 'string') throw new UsageError(`${g.name}: ${picked}`, { hint: `umux boots ${g.name} lists them` });
  const boot = boots[picked]!;
  const what = `boot ${boot.n} of ${g.name}:${console}`;
  const start = boot.logs[console];
  if (!start) {
    throw new UmuxError('not-running', `${what} has no marker in the log: umux did not hold ${console} when it began`, {
      hint: boot.end?.kind === 'panic' && Object.keys(boot.logs).length === 0 ? `it panicked before its consoles came up: umux events ${g.name} has what it printed` : `umux boots ${g.name} says which consoles each boot has`,
    });
  }
  const end = boots.slice(picked + 1).find((b) => b.logs[console])?.logs[console];
  const dir = path.join(logRoot, g.umid);
  const section = readBootSection(dir, console, start, end, lines, what);
  const timestamped = g.managed?.def.logTimestamps ?? DEFAULT_CONSOLE_SETTINGS.logTimestamps;
  let timed = pairTail(section.text, { timestamped });
  // The last boot ends where the log ends: the live log's memory of line times covers its newest lines.
  if (times && end === undefined && timed.length > 0) timed = timedLogTail(g, console, logRoot, timed.length).slice(-timed.length);
  const first = times ? fitLines(timed) : 0;
  const shown = timed.slice(first);
  const data = { boot: toWire(boot), ...(section.note ? { note: section.note } : {}), ...(times ? { lines: toWireLines(shown) } : {}), ...(first > 0 ? { dropped: first } : {}) };
  return { data, text: times ? stampLines(shown) : section.text };
}
