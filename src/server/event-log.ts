// Each guest's event log: state changes, stop ladder steps, notifications, UML's host-side messages, each with a
// timestamp. Kept in memory (bounded) and appended to STATE/events/NAME.log (held back while the disk is full).

import path from 'node:path';
import { makeDirs } from '../files/make-dirs.js';
import { TextLog, type TextLogOptions } from './text-log.js';

export interface GuestEvent {
  at: string;
  text: string;
}

const KEEP = 1000;

export class EventLog {
  private readonly recent = new Map<string, GuestEvent[]>();
  private readonly files = new Map<string, TextLog>();

  constructor(
    private readonly dir: string,
    private readonly fileOptions: TextLogOptions = {},
  ) {
    makeDirs(dir, 'event directory');
  }

  add(guest: string, text: string): void {
    const ev = { at: new Date().toISOString(), text };
    const list = this.recent.get(guest) ?? [];
    list.push(ev);
    if (list.length > KEEP) list.splice(0, list.length - KEEP);
    this.recent.set(guest, list);
    let file = this.files.get(guest);
    if (!file) this.files.set(guest, (file = new TextLog(path.join(this.dir, `${guest}.log`), this.fileOptions)));
    file.append(`${ev.at} ${text}`);
  }

  /** When the guest's newest event happened (ISO), null before its first. */
  lastAt(guest: string): string | null {
    return this.recent.get(guest)?.at(-1)?.at ?? null;
  }

  list(guest: string): GuestEvent[] {
    return [...(this.recent.get(guest) ?? [])];
  }
}
