// Finding a guest's console for attach, send and log, with one set of errors: no such guest, no such console, and
// why a console cannot be used, in the words `umux ls` uses for it, and what to do (DESIGN.md: the console lookup and
// its errors in one place). Every command that takes GUEST[:CONSOLE] comes through here.

import { UmuxError } from '../core/errors.js';
import { parseConsoleTarget } from '../commands/target.js';
import type { GuestInfo } from '../protocol/wire-messages.js';
import type { ConsoleHub } from './console-hub.js';
import { startCommand, type Guest } from './guest.js';

/** Where guests are looked up by name or umid; throws no-such-guest with the names it knows. */
export interface GuestFinder {
  get(name: string): Guest;
}

export interface ConsoleRef {
  guest: Guest;
  console: string;
}

/** GUEST[:CONSOLE] (con0 when left out) as a guest and a console name; a usage error or no-such-guest. */
export function findTarget(guests: GuestFinder, text: string): ConsoleRef {
  const t = parseConsoleTarget(text);
  return { guest: guests.get(t.guest), console: t.console };
}

/** GUEST[:CONSOLE] as a console line the guest has (held or not): for its log. */
export function findConsoleLine(guests: GuestFinder, text: string): ConsoleRef {
  const ref = findTarget(guests, text);
  requireLine(ref.guest, ref.console);
  return ref;
}

/** GUEST[:CONSOLE]'s hub, to attach to or type into, or the error saying why there is none. */
export function findHub(guests: GuestFinder, text: string): ConsoleRef & { hub: ConsoleHub } {
  const ref = findTarget(guests, text);
  return { ...ref, hub: requireHub(ref.guest, ref.console) };
}

type ConsoleLine = GuestInfo['consoles'][number];

/** The line `console` as `umux ls` shows it, or no-such-guest naming the consoles the guest has. */
export function requireLine(g: Guest, console: string): { line: ConsoleLine; lines: ConsoleLine[] } {
  const lines = g.info().consoles;
  const line = lines.find((c) => c.name === console);
  if (line) return { line, lines };
  throw new UmuxError('no-such-guest', `${g.name} has no console ${console}`, { hint: `its consoles: ${lines.map((c) => c.name).join(', ') || 'none'}` });
}

/** The hub of `console`, or a one-line error saying why there is none and what to do. */
export function requireHub(g: Guest, console: string): ConsoleHub {
  const hub = g.hubs.get(console);
  if (hub && g.pid !== null) return hub;
  const { line, lines } = requireLine(g, console);
  if (g.pid === null) {
    throw new UmuxError('not-running', `${g.name} is ${g.state}: ${console} is not open`, { hint: startCommand(g) });
  }
  if (line.lost) {
    throw new UmuxError('not-running', `${g.name}:${console} is lost with the umux server or console keeper that held it; the guest is running`, {
      hint: `its log is kept (umux log ${g.name}:${console}); umux restart ${g.name} gives it new consoles`,
    });
  }
  const held = lines.find((c) => c.status === 'held' && !c.lost);
  throw new UmuxError('not-running', `${g.name}:${console} cannot be used: ${line.note ?? `it is ${line.status ?? 'not open'}`}`, {
    hint: line.status === 'waiting' ? 'start a getty on it in the guest' : held ? `umux attach ${g.name}:${held.name}` : `umux config ${g.name} con1=pts, then a getty on tty1 in the guest`,
  });
}

/** Why `console` has no log to show, when umux never held it; undefined when it did or might have. */
export function noLogReason(g: Guest, console: string): UmuxError | undefined {
  const line = g.info().consoles.find((c) => c.name === console);
  if (!line || line.lost || line.status === undefined || line.status === 'held') return undefined;
  return new UmuxError('not-running', `${g.name}:${console} has no log: umux has not held it (${line.note ?? line.status})`, {
    hint: line.status === 'waiting' ? 'it is logged from the moment a getty opens it' : `umux ls ${g.name} says which lines umux holds`,
  });
}
