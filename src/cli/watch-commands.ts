// `umux ls --watch` and `umux events -f [NAME]`: one subscription to the server's guest model (issue 12), printed as it
// changes; nothing polls. Both ride through a server restart: subscribed again once one is back (events -f first
// prints what it missed meanwhile). Ctrl-C ends them. Guest text goes out through printOut (controls shown visibly).

import type { ParsedCommand } from '../commands/types.js';
import { ServerSession } from '../client/session.js';
import { isUmuxError } from '../core/errors.js';
import type { GuestListWire } from '../protocol/wire-messages.js';
import { clearScreenOut, printErr, printOut } from '../term/print.js';
import { formatEvents, formatLs } from '../commands/show-guests.js';
import { jsonLine, jsonRecord } from './json-output.js';

interface GuestEventLine {
  at: string;
  text: string;
  /** Set when following every guest. */
  guest?: string;
}

/** Runs until Ctrl-C (0) or the server connection ends for good (1). */
export async function runWatchCommand(parsed: ParsedCommand): Promise<number> {
  const follow = parsed.spec.name === 'events';
  const session = await ServerSession.connect({ ride: true, readOnly: true, program: follow ? 'events -f' : 'ls --watch' });
  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((r) => (resolveDone = r));
  const end = (code: number, message?: string) => {
    if (message) printErr(`umux: ${message}\n`);
    resolveDone(code);
  };
  const onSigint = () => end(0);
  process.once('SIGINT', onSigint);
  session.onClose((reason) => end(1, reason));
  session.onAway((away) => printErr(`umux: ${away.text}\n`));
  session.onRideStatus((text) => printErr(`umux: ${text}\n`));
  const watch = follow ? followEvents(session, parsed.args[0], parsed.options['json'] === true) : watchList(session, parsed.options['json'] === true);
  session.onBack(() => {
    void watch().catch((err: unknown) => {
      if (!session.away) end(1, isUmuxError(err) ? err.describe() : String(err));
    });
  });
  try {
    await watch();
    return await done;
  } finally {
    process.off('SIGINT', onSigint);
    session.dispose();
  }
}

/** `ls --watch`: the table on each change; on a terminal redrawn in place (like watch(1)), piped printed again. */
function watchList(session: ServerSession, json: boolean): () => Promise<void> {
  const tty = process.stdout.isTTY === true && !json;
  let shown = 0;
  session.onGuests((list: GuestListWire) => {
    if (json) return printOut(jsonLine(list));
    if (tty) clearScreenOut();
    else if (shown > 0) printOut('\n');
    shown++;
    printOut(`${tty ? `${new Date().toLocaleTimeString()}  umux ls --watch (Ctrl-C ends)\n\n` : ''}${formatLs(list)}`);
  });
  return () => session.subscribe();
}

/**
 * `events -f [NAME]`: the event log so far, then each new event; without NAME every guest's, each with its name.
 * Subscribed before the log is asked for, so nothing falls between; after a server restart what came meanwhile is
 * printed first (events after the last one printed). With --json one object a line.
 */
function followEvents(session: ServerSession, target: string | undefined, json: boolean): () => Promise<void> {
  let names = new Set(target === undefined ? [] : [target]);
  const wanted = (guest: string) => target === undefined || names.has(guest);
  let lastAt = '';
  /** Events printed with the time lastAt: another one with that time is new only if its text differs. */
  let atLast = new Set<string>();
  let catchingUp = false;
  let held: GuestEventLine[] = [];
  /** Prints events; those of a catch-up only when newer than the last printed (a live one always). */
  const print = (events: GuestEventLine[], live = false) => {
    const seen = (e: GuestEventLine) => `${e.guest ?? ''}\0${e.text}`;
    const fresh = live ? events : events.filter((e) => e.at > lastAt || (e.at === lastAt && !atLast.has(seen(e))));
    for (const e of fresh) {
      if (e.at !== lastAt) atLast = new Set();
      lastAt = e.at;
      atLast.add(seen(e));
    }
    if (fresh.length === 0) return;
    printOut(json ? fresh.map((e) => jsonRecord({ guest: e.guest ?? target, at: e.at, text: e.text })).join('') : formatEvents(fresh));
  };
  session.onGuests((list) => {
    // The guest may be named by its umid: its events come under its name.
    const g = target === undefined ? undefined : list.guests.find((x) => x.name === target || x.umid === target);
    if (g && target !== undefined) names = new Set([target, g.name]);
  });
  session.onEvent((e) => {
    if (!wanted(e.guest)) return;
    const line = { at: e.at, text: e.text, ...(target === undefined ? { guest: e.guest } : {}) };
    if (catchingUp) held.push(line);
    else print([line], true);
  });
  session.onEventsMissed((count) => printErr(`umux: ${count} events were not sent (this client fell behind); umux events${target === undefined ? '' : ` ${target}`} lists them\n`));
  return async () => {
    catchingUp = true;
    held = [];
    try {
      await session.subscribe();
      print((await session.request(target === undefined ? ['events'] : ['events', target])).data as GuestEventLine[]);
      print(held);
    } finally {
      catchingUp = false;
      held = [];
    }
  };
}
