// The guest list as `umux ls --json` and subscribers get it: every guest's row (its consoles grouped for people, the
// time of its newest event) and the definition problems. One function, so the pushed list and `ls` never differ.

import { groupConsoles } from '../protocol/console-summary.js';
import type { GuestListWire } from '../protocol/wire-messages.js';
import type { EventLog } from './event-log.js';
import type { GuestRegistry } from './registry.js';

export function guestRows(reg: GuestRegistry, events: EventLog): GuestListWire {
  return {
    guests: reg.all().map((g) => {
      const info = g.info();
      return { ...info, consoleGroups: groupConsoles(info.consoles), lastEventAt: events.lastAt(g.name) };
    }),
    problems: reg.problems.map((p) => ({ message: p.message, ...(p.hint ? { hint: p.hint } : {}) })),
  };
}

/**
 * What makes two lists different for a subscriber: everything but the uptimes, which change every millisecond (a
 * client adds the time since it received the row). Start times within a second are the same start.
 */
export function rowsKey(list: GuestListWire): string {
  return JSON.stringify({
    ...list,
    guests: list.guests.map((g) => ({ ...g, uptimeMs: g.uptimeMs === null ? null : Math.round((Date.now() - g.uptimeMs) / 1000) })),
  });
}
