// Finding a guest's console for attach, send and log, with one set of errors: each says why that console cannot be
// used, in the words `umux ls` uses for it, and what to do (DESIGN.md: the console lookup and its errors in one place).

import { UmuxError } from '../core/errors.js';
import type { ConsoleHub } from './console-hub.js';
import { startCommand, type Guest } from './guest.js';

/** The hub of `console`, or a one-line error saying why there is none and what to do. */
export function requireHub(g: Guest, console: string): ConsoleHub {
  const hub = g.hubs.get(console);
  if (hub && g.pid !== null) return hub;
  const lines = g.info().consoles;
  const line = lines.find((c) => c.name === console);
  if (!line) {
    throw new UmuxError('no-such-guest', `${g.name} has no console ${console}`, { hint: `its consoles: ${lines.map((c) => c.name).join(', ') || 'none'}` });
  }
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
