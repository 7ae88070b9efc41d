// One guest's boots (issue 15 item 3): each boot begins with a marker line in every console log (when, how it was
// started, how the one before ended) and a record in LOGDIR/UMID/boots saying where each marker is; its end is
// recorded when the server sees the guest's process end. Failures to write are reported, never thrown: a boot
// goes on without its record.

import { appendBootRecord, readBootRecords } from '../consoles/boot-book-file.js';
import { bootMarkerText, bootsFromRecords, type BootEnd, type BootInfo, type BootStart, type LogPlace } from '../protocol/boot-marker.js';

/** A console log a marker can be written to (a ConsoleHub, or a ConsoleLog opened for the purpose). */
export interface Markable {
  appendMarker(text: string): LogPlace | undefined;
}

export class BootBook {
  constructor(
    /** The guest's log directory, LOGDIR/UMID. */
    readonly dir: string,
    private readonly report: (line: string) => void,
  ) {}

  /** The boots the book keeps, oldest first; none when it cannot be read (said once per call). */
  list(): BootInfo[] {
    try {
      return bootsFromRecords(readBootRecords(this.dir));
    } catch (err) {
      this.report(`boot book: ${(err as Error).message}`);
      return [];
    }
  }

  /** The last boot is still open and is this process: a new server found the boot an earlier one recorded. */
  isCurrent(pid: number): boolean {
    const last = this.list().at(-1);
    return last !== undefined && last.end === null && last.pid === pid;
  }

  /**
   * A boot begins: the marker goes into each console's log (before any byte of the new boot when called as soon as
   * the consoles are wired), then the record with where each marker landed. A boot still open in the book ended
   * unseen: it is closed as unknown first.
   */
  begin(how: BootStart, pid: number | null, consoles: Iterable<[string, Markable]>): void {
    const last = this.list().at(-1);
    let previous: BootEnd | null | undefined = last?.end;
    if (last && last.end === null) {
      previous = { kind: 'unknown', detail: 'umux did not see it end', at: null };
      this.write({ t: 'end', ...previous });
    }
    const text = bootMarkerText(how, pid, previous);
    const logs: Record<string, LogPlace> = {};
    for (const [name, log] of consoles) {
      try {
        const place = log.appendMarker(text);
        if (place) logs[name] = place;
      } catch (err) {
        this.report(`${name}: cannot write the boot marker: ${(err as Error).message}`);
      }
    }
    this.write({ t: 'start', at: Date.now(), how, pid, logs });
  }

  /**
   * A console umux holds only now (an adopted guest's line, held a moment after the guest was found): it gets the
   * running boot's marker, once per boot.
   */
  markConsole(name: string, log: Markable): void {
    const boots = this.list();
    const last = boots.at(-1);
    if (!last || last.end !== null || last.logs[name]) return;
    try {
      const place = log.appendMarker(bootMarkerText(last.how, last.pid, boots.at(-2)?.end));
      if (place) this.write({ t: 'mark', console: name, place });
    } catch (err) {
      this.report(`${name}: cannot write the boot marker: ${(err as Error).message}`);
    }
  }

  /** The current boot ended (once: a second end of the same boot is not recorded). */
  end(end: BootEnd): void {
    const last = this.list().at(-1);
    if (last && last.end === null) this.write({ t: 'end', ...end });
  }

  private write(record: Parameters<typeof appendBootRecord>[1]): void {
    try {
      appendBootRecord(this.dir, record);
    } catch (err) {
      this.report(`boot book: ${(err as Error).message}`);
    }
  }
}
