// Which consoles someone is typing into: while a client types into one console, every other console's output is
// read at a capped rate (read-pacer.ts), so a flooding neighbour cannot take the CPU the echo needs (the guest's own
// echo, the server, the client all wait for a core behind it). Server-wide, one per server; holds no fd or timer.

/** A console counts as typed into for this long after its last keystroke (a typist's pauses between words). */
export const TYPING_WINDOW_MS = 1500;

export class TypingPriority {
  /** When each console was last typed into; entries older than the window are dropped on the next look. */
  private readonly typedAt = new Map<object, number>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** A client typed into `consoleKey` (the hub). */
  typed(consoleKey: object): void {
    this.typedAt.set(consoleKey, this.now());
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

  /** The console is gone. */
  forget(consoleKey: object): void {
    this.typedAt.delete(consoleKey);
  }
}
