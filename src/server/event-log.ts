// Each guest's event log: state changes, stop ladder steps, notifications, UML's host-side messages, each with a
// timestamp. Kept in memory (bounded) and appended to STATE/events/NAME.log (held back while the disk is full); a
// restarted server starts each guest's list from the tail of its file.

import fs from 'node:fs';
import path from 'node:path';
import { makeDirs } from '../files/make-dirs.js';
import { TextLog, type TextLogOptions } from './text-log.js';
import { Emitter } from '../core/emitter.js';

export interface GuestEvent {
  at: string;
  text: string;
}

const KEEP = 1000;
/** The most of an event file read back at start: well over KEEP lines of usual length. */
const TAIL_BYTES = 512 * 1024;
const LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (.*)$/;

/** The last `keep` events of an event file (`ISO text` lines); none when it is missing or unreadable. */
export function readEventTail(file: string, keep = KEEP): GuestEvent[] {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch {
    return [];
  }
  try {
    const size = fs.fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buf = Buffer.alloc(length);
    const got = fs.readSync(fd, buf, 0, length, size - length);
    const lines = buf.subarray(0, got).toString('utf8').split('\n');
    if (size > length) lines.shift(); // starts part way through a line
    const events = lines.flatMap((l) => {
      const m = LINE.exec(l);
      return m ? [{ at: m[1]!, text: m[2]! }] : [];
    });
    return events.slice(-keep);
  } catch {
    return [];
  } finally {
    fs.closeSync(fd);
  }
}

export class EventLog {
  private readonly addedEmitter = new Emitter<{ guest: string; event: GuestEvent }>();
  /** Each event as it is appended (subscribers hear it at once). */
  readonly onAdded = this.addedEmitter.event;
  private readonly recent = new Map<string, GuestEvent[]>();
  private readonly files = new Map<string, TextLog>();

  constructor(
    private readonly dir: string,
    private readonly fileOptions: TextLogOptions = {},
  ) {
    makeDirs(dir, 'event directory');
  }

  /** The guest's list, started from its file's tail the first time it is asked for. */
  private listOf(guest: string): GuestEvent[] {
    let list = this.recent.get(guest);
    if (!list) this.recent.set(guest, (list = readEventTail(this.fileOf(guest))));
    return list;
  }

  private fileOf(guest: string): string {
    return path.join(this.dir, `${guest}.log`);
  }

  add(guest: string, text: string): void {
    const ev = { at: new Date().toISOString(), text };
    const list = this.listOf(guest);
    list.push(ev);
    if (list.length > KEEP) list.splice(0, list.length - KEEP);
    let file = this.files.get(guest);
    if (!file) this.files.set(guest, (file = new TextLog(this.fileOf(guest), this.fileOptions)));
    file.append(`${ev.at} ${text}`);
    this.addedEmitter.fire({ guest, event: ev });
  }

  /** When the guest's newest event happened (ISO), null before its first. */
  lastAt(guest: string): string | null {
    return this.listOf(guest).at(-1)?.at ?? null;
  }

  list(guest: string): GuestEvent[] {
    return [...this.listOf(guest)];
  }

  /** The events of all these guests in time order, each with its guest's name: the newest `keep`. */
  listAll(guests: readonly string[], keep = KEEP): Array<GuestEvent & { guest: string }> {
    const all = guests.flatMap((guest) => this.listOf(guest).map((e) => ({ guest, ...e })));
    // A stable sort keeps each guest's own order for events of the same millisecond.
    return all.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)).slice(-keep);
  }
}
