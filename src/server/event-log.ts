// Each guest's event log: state changes, stop ladder steps, notifications, UML's host-side messages, each with a
// timestamp. Kept in memory (bounded) and appended to STATE/events/NAME.log.

import fs from 'node:fs';
import path from 'node:path';
import { makeDirs } from '../files/make-dirs.js';

export interface GuestEvent {
  at: string;
  text: string;
}

const KEEP = 1000;

export class EventLog {
  private readonly recent = new Map<string, GuestEvent[]>();

  constructor(private readonly dir: string) {
    makeDirs(dir, 'event directory');
  }

  add(guest: string, text: string): void {
    const ev = { at: new Date().toISOString(), text };
    const list = this.recent.get(guest) ?? [];
    list.push(ev);
    if (list.length > KEEP) list.splice(0, list.length - KEEP);
    this.recent.set(guest, list);
    try {
      fs.appendFileSync(path.join(this.dir, `${guest}.log`), `${ev.at} ${text}\n`, { mode: 0o600 });
    } catch {
      // the in-memory log still has it
    }
  }

  /** When the guest's newest event happened (ISO), null before its first. */
  lastAt(guest: string): string | null {
    return this.recent.get(guest)?.at(-1)?.at ?? null;
  }

  list(guest: string): GuestEvent[] {
    return [...(this.recent.get(guest) ?? [])];
  }
}
