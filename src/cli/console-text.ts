// Console bytes as lines a script can match (`umux wait`, `run`, `login`): UTF-8 decoded, escape sequences and
// controls stripped (term/plain-text.ts), a sequence split across chunks held back until it is whole, a lone CR
// starting the line again (as on a terminal). Pure: no I/O.

import { plainText } from '../term/plain-text.js';

/** Longest line kept for matching; a longer one keeps its last part. */
export const MAX_LINE_CHARS = 64 * 1024;
/** How far back an unterminated escape sequence is held (a longer one is let through, and stripped as cut short). */
const HOLD_WINDOW = 4096;

/**
 * Where the unfinished end of `text` begins (text.length when it ends whole): an unterminated OSC/DCS/APC/PM/SOS
 * string, an ESC or CSI without its final byte, or a CR that may be the start of CR LF.
 */
export function incompleteTail(text: string): number {
  const from = Math.max(0, text.length - HOLD_WINDOW);
  const window = text.slice(from);
  const open = window.search(/\x1b[\]P^_X](?:(?!\x1b\\)[^\x07\x9c])*$/);
  if (open >= 0) return from + open;
  const esc = window.search(/\x1b(?:\[[0-?]*[ -/]*|[ -/]*)$/);
  if (esc >= 0) return from + esc;
  return text.endsWith('\r') ? text.length - 1 : text.length;
}

export class ConsoleText {
  private readonly decoder = new TextDecoder();
  private held = '';
  /** The line being written (no line end yet), stripped. */
  partial = '';
  /** The last complete line, stripped. */
  private lastComplete = '';

  /** Takes a chunk of console output; returns the lines it completed (the partial line is in `partial`). */
  push(bytes: Uint8Array): string[] {
    const raw = this.held + this.decoder.decode(bytes, { stream: true });
    const cut = incompleteTail(raw);
    this.held = raw.slice(cut);
    return this.pushText(raw.slice(0, cut));
  }

  /** Takes text already decoded (the rendered screen of `wait --recent`). */
  pushText(text: string): string[] {
    const done: string[] = [];
    const lines = text.replace(/\r+\n/g, '\n').split('\n');
    for (let i = 0; i < lines.length; i++) {
      // A lone CR goes back to the start of the line: what follows the last one is what the line shows now.
      const segments = lines[i]!.split('\r');
      if (segments.length > 1) this.partial = '';
      this.partial = clip(this.partial + plainText(segments[segments.length - 1]!));
      if (i < lines.length - 1) {
        done.push(this.partial);
        this.lastComplete = this.partial;
        this.partial = '';
      }
    }
    return done;
  }

  /** What the console showed last before this text began (from its screen): the last line until more comes. */
  seed(lastShown: string): void {
    if (this.lastComplete === '' && this.partial === '') this.lastComplete = lastShown;
  }

  /** The line the console shows last: the partial one, else the last complete one. */
  get lastLine(): string {
    return this.partial !== '' ? this.partial : this.lastComplete;
  }
}

function clip(line: string): string {
  return line.length > MAX_LINE_CHARS ? line.slice(-MAX_LINE_CHARS) : line;
}
