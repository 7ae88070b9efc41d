// Which consoles someone is typing into: while a client types into one console, every other console's output is
// read at a capped rate (read-pacer.ts), and a busy one not at all for a moment after each keystroke, so a flooding
// neighbour cannot take the CPU the echo needs (the guest's own echo, the server, the client all wait for a core
// behind it). Server-wide, one per server; holds no fd or timer (each console's pacer owns its own).

/** A console counts as typed into for this long after its last keystroke (a typist's pauses between words). */
export const TYPING_WINDOW_MS = 1500;

/** A console's reader as the priority sees it (read-pacer.ts). */
export interface Yielder {
  readonly key: object;
  /** Another console was just typed into: stop reading for a moment, if this console is busy. */
  standBack(): void;
}

export class TypingPriority {
  /** When each console was last typed into; entries older than the window are dropped on the next look. */
  private readonly typedAt = new Map<object, number>();
  private readonly readers = new Set<Yielder>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A client typed into `consoleKey` (the hub): every other busy console stands back for the echo's turn. */
  typed(consoleKey: object): void {
    this.typedAt.set(consoleKey, this.now());
    for (const r of this.readers) if (r.key !== consoleKey) r.standBack();
  }

  /** True while another console was typed into within the window and this one was not: its reads are capped. */
  yields(consoleKey: object): boolean {
    if (this.typedAt.size === 0) return false;
    const now = this.now();
    let other = false;
    for (const [key, at] of this.typedAt) {
      if (now - at > TYPING_WINDOW_MS) this.typedAt.delete(key);
      else if (key === consoleKey) return false;
      else other = true;
    }
    return other;
  }

  /** A console's reader, told of each keystroke into another console until it leaves. */
  join(reader: Yielder): void {
    this.readers.add(reader);
  }

  leave(reader: Yielder): void {
    this.readers.delete(reader);
    this.typedAt.delete(reader.key);
  }
}
