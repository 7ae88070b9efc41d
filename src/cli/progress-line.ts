// Progress of a long request (a backup) on the terminal: one line on stderr redrawn in place at most every
// PROGRESS_MIN_MS, cleared when the reply comes. Nothing at all when stderr is no terminal (piped, scripts).

import { formatProgress, PROGRESS_MIN_MS, type ProgressWire } from '../protocol/progress.js';
import { printStatusLine } from '../term/print.js';

export class ProgressLine {
  private last = -Infinity;
  private shown = false;

  /** The handler for ServerSession.request, or undefined when stderr is not a terminal. */
  static forTerminal(): ProgressLine | undefined {
    return process.stderr.isTTY ? new ProgressLine() : undefined;
  }

  readonly show = (p: ProgressWire): void => {
    const now = Date.now();
    if (now - this.last < PROGRESS_MIN_MS && p.done < p.total) return;
    this.last = now;
    this.shown = true;
    printStatusLine(formatProgress(p));
  };

  clear(): void {
    if (this.shown) printStatusLine('');
    this.shown = false;
  }
}
