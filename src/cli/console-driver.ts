// A console driven by a script (`umux wait`, `run`, `login`): an attached stream read as lines (console-text.ts),
// typing into it, and waits for what the lines show, each bounded by one deadline; a timeout or the console closing
// is a typed error naming what was waited for, for how long, and the last line the console showed.

import { ServerSession, type ConsoleStream } from '../client/session.js';
import { DEFAULT_DRIVE_TIMEOUT_MS, MAX_DRIVE_TIMEOUT_MS } from '../commands/cmd-wait.js';
import { intOption } from '../commands/parse.js';
import type { ConsoleTarget } from '../commands/target.js';
import type { ParsedCommand } from '../commands/types.js';
import type { Disposable } from '../core/disposable.js';
import { UmuxError } from '../core/errors.js';
import type { ScreenSnapshotWire } from '../protocol/wire-messages.js';
import { ConsoleText } from './console-text.js';
import { shownLines } from './shown-lines.js';

/** Lines kept for the next wait while none is running. */
const MAX_UNSEEN = 10_000;

/** A test run on each chunk: the lines it completed and the line being written; a value ends the wait. */
export type LineTest<T> = (lines: readonly string[], partial: string) => T | undefined;

/** How a shown line is quoted in messages: escaped, cut to a readable length. */
export function quoteLine(line: string): string {
  return JSON.stringify(line.length > 200 ? `${line.slice(0, 200)}…` : line);
}

export class ConsoleDriver implements Disposable {
  readonly text = new ConsoleText();
  /**
   * Set when the server sent a fresh snapshot mid-stream: this client fell behind (bytes it missed are not sent) or
   * the console was resized by another client (nothing missed). Output may then be incomplete.
   */
  resynced = false;
  private current: ((lines: readonly string[]) => void) | undefined;
  /** Lines completed while nobody waited: the next wait looks at them first. */
  private unseen: string[] = [];
  private failCurrent: ((err: UmuxError) => void) | undefined;
  private readonly subs: Disposable[] = [];

  constructor(
    private readonly stream: ConsoleStream,
    /** When the command started, and when every wait must be over (ms since the epoch). */
    private readonly started: number,
    private readonly deadline: number,
  ) {
    this.subs.push(
      stream.onData((bytes) => {
        const lines = this.text.push(bytes);
        if (this.current) this.current(lines);
        else this.unseen = [...this.unseen, ...lines].slice(-MAX_UNSEEN);
      }),
      stream.onSnapshot(() => (this.resynced = true)),
      stream.onClosed((reason) => this.failCurrent?.(this.closedError(reason))),
    );
  }

  get label(): string {
    return `${this.stream.guest}:${this.stream.console}`;
  }

  /** Forgets what came before now (typing starts something new): later waits look only at what follows. */
  forgetShown(): void {
    this.unseen = [];
    this.text.partial = '';
  }

  /** Types text into the console (UTF-8). */
  type(text: string): void {
    this.stream.write(new TextEncoder().encode(text));
  }

  /** Checks the lines not looked at yet and the line being written now, then each chunk, until `test` gives a value. */
  until<T>(what: string, test: LineTest<T>): Promise<T> {
    const now = test(this.unseen.splice(0), this.text.partial);
    if (now === undefined && this.stream.closed) return Promise.reject(this.closedError(this.stream.closedReason));
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const finish = (fn: () => void) => {
        clearTimeout(timer);
        this.current = undefined;
        this.failCurrent = undefined;
        fn();
      };
      const timer = setTimeout(() => finish(() => reject(this.timeoutError(what))), Math.max(0, this.deadline - Date.now()));
      this.failCurrent = (err) => finish(() => reject(err));
      this.current = (lines) => {
        const found = test(lines, this.text.partial);
        if (found !== undefined) finish(() => resolve(found));
      };
    });
  }

  private timeoutError(what: string): UmuxError {
    const waited = Date.now() - this.started;
    return new UmuxError('timeout', `${this.label}: waited ${waited} ms for ${what}; the last line it showed: ${quoteLine(this.text.lastLine)}`, {
      hint: 'give it longer with --timeout MS, or check what the console shows: umux log NAME',
    });
  }

  private closedError(reason: string): UmuxError {
    return new UmuxError('not-running', `${this.label} closed while umux waited on it: ${reason || 'no reason given'}`, {
      hint: 'see what happened: umux events NAME',
    });
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.subs.length = 0;
    this.stream.dispose();
  }
}

/** --timeout MS of wait, run and login. */
export function driveTimeout(parsed: ParsedCommand): number {
  return intOption(parsed, 'timeout', DEFAULT_DRIVE_TIMEOUT_MS, 1, MAX_DRIVE_TIMEOUT_MS);
}

export interface OpenedDriver {
  session: ServerSession;
  driver: ConsoleDriver;
  /** What the console showed when attached (the screen and `scrollback` lines of history). */
  snapshot: ScreenSnapshotWire;
  /** The line it showed last then (the cursor's line up to the cursor, else the one above). */
  shownLast: string;
}

/** Connects and attaches to a console: read-only to look (`wait`), as a typist to type (`run`, `login`). */
export async function openDriver(target: ConsoleTarget, opts: { readOnly: boolean; program: string; started: number; timeoutMs: number; scrollback?: number }): Promise<OpenedDriver> {
  const session = await ServerSession.connect({ program: opts.program, readOnly: opts.readOnly });
  try {
    const stream = await session.attach(target.guest, target.console, { readOnly: opts.readOnly, scrollback: opts.scrollback ?? 0 });
    // Refused right behind its `attached` (no such console): closed before anyone listened.
    if (stream.closed) throw new UmuxError('no-such-guest', stream.closedReason || `${target.guest}:${target.console} is not there`);
    const driver = new ConsoleDriver(stream, opts.started, opts.started + opts.timeoutMs);
    const shown = await shownLines(stream.snapshot, 1);
    const shownLast = shown.partial || (shown.lines[0] ?? '');
    driver.text.seed(shownLast);
    return { session, driver, snapshot: stream.snapshot, shownLast };
  } catch (err) {
    session.dispose();
    throw err;
  }
}
