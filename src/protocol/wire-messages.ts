// The umux wire protocol's messages (our tmux-protocol.h): one discriminated union per direction, checked by
// PROTOCOL_VERSION in hello. Message types are never renamed or reused; add new ones instead.

import { UmuxError, type UmuxErrorCode } from '../core/errors.js';
import { MAX_LOG_LINES, MAX_NAME } from './wire-limits.js';
import type { ProgressWire } from './progress.js';
import type { HostSample } from './host-types.js';
import type { GuestState } from './guest-state.js';

export const PROTOCOL_VERSION = 1;

export interface WireError {
  code: UmuxErrorCode;
  message: string;
  hint?: string;
}

export interface ScreenSnapshotWire {
  cols: number;
  rows: number;
  /** A VT stream that recreates screen and history in a fresh terminal of this size. */
  data: string;
}

export interface AttachedClient {
  id: number;
  pid: number;
  user: string;
  readOnly: boolean;
}

/**
 * How umux reaches an adopted guest's console: held (a pts/tty it holds), screen / tmux (the guest's stdio belongs to
 * a screen session or a tmux pane, shown through that multiplexer while a client is attached), waiting (bare pts: no
 * getty yet), elsewhere (fd:N held by another process) or unusable.
 */
export type ConsoleStatus = 'held' | 'screen' | 'tmux' | 'waiting' | 'elsewhere' | 'unusable';

/** What a managed guest's console runs on: a socketpair (no window size) or a pty (the guest sees a size). */
export type ConsoleTransport = 'socketpair' | 'pty';

/** Window sizes a client may report: tmux's own limits. */
export const MAX_WINDOW_COLS = 10_000;
export const MAX_WINDOW_ROWS = 10_000;

/** One guest as `umux ls` and the TUI see it. */
export interface GuestInfo {
  name: string;
  umid: string;
  /** A client checks it with parseGuestState: a newer server may send a state this client does not know. */
  state: GuestState;
  pid: number | null;
  mem: string;
  /**
   * Console lines. Adopted guests add how umux reaches each: held (attachable), waiting (bare pts: no getty yet),
   * elsewhere (fd:N held by another process, e.g. screen) or unusable; `note` says it in a sentence.
   */
  consoles: Array<{ name: string; clients: number; lost: boolean; status?: ConsoleStatus; note?: string; /** What MConsole says the line is (`pts:/dev/pts/3`, `port:9123`). */ spec?: string; transport?: ConsoleTransport }>;
  /** `consoles` summarised for people: runs of waiting lines as one range (protocol/console-summary.ts). */
  consoleGroups?: Array<{ names: string; lines: string[]; status?: ConsoleStatus; lost: boolean; spec?: string; note?: string }>;
  clients: number;
  uptimeMs: number | null;
  adopted: boolean;
  restarts: number;
  /** When the guest's newest event happened (ISO): the TUI marks guests with events the admin has not seen. */
  lastEventAt?: string | null;
  panic: string | null;
  /** Host user the guest runs as. */
  owner?: string;
  /** Where the guest is defined: its definition file's directory, or the uml_dir an adopted guest was found in. */
  dir?: string;
}

/**
 * A place in a console's log: byte `offset` of the file with inode `ino` (CONSOLE.log or, once rotated, CONSOLE.log.N:
 * a rename keeps the inode). Inode 0 names no file: from the start of the oldest file kept.
 */
export interface LogCursorWire {
  ino: number;
  /** The file's birth (µs since the epoch; 0 unknown): a new file may reuse a deleted one's inode. */
  born?: number;
  offset: number;
}

/** Why a server says bye to everyone: a deliberate stop (`umux kill-server`, a signal); clients then start none. */
export type ServerStop = 'kill-server' | 'signal';

/** Client → server. */
export type ClientMessage =
  /**
   * Said once, first. `readOnly`: the whole connection only looks; the server refuses it every command that changes
   * something and every attach that would type (commands/read-only.ts). It cannot become a writer: a new connection can.
   */
  | { t: 'hello'; version: number; pid: number; user: string; program: string; readOnly?: boolean }
  | { t: 'request'; id: number; argv: string[] }
  | { t: 'attach'; id: number; guest: string; console: string; readOnly: boolean; scrollback?: number }
  /**
   * Follows a console's log file (the last `lines` lines, then what is appended): `umux log -f`. With `times`, every
   * line comes with a `HH:MM:SS.mmm ` prefix: the time umux received it for the tail, the time it read it for the rest.
   */
  | {
      t: 'follow-log';
      id: number;
      guest: string;
      console: string;
      lines: number;
      times?: boolean;
      /** Resume a follow (after the server went away): what follows this place, and `lines` is ignored. */
      from?: LogCursorWire;
      /** Send a `log-at` before each data frame, so the client knows how far in the log it has got. */
      marks?: boolean;
    }
  | { t: 'detach'; stream: number }
  /** Asks for a fresh snapshot (a client that knows it fell behind). */
  | { t: 'resync'; stream: number }
  /**
   * The size of the client's view of an attached console (the pane's inside, the terminal less the status line).
   * Consoles with a real window size (a pty) take the size of the client that typed last, like tmux's
   * `window-size latest`; read-only clients never set it.
   */
  | { t: 'resize'; stream: number; cols: number; rows: number }
  /**
   * Subscribes this connection to the server's guest model (issue 12): replied to, then `guests` at once and on every
   * change, `event` for each event appended, and with `host` the host samples as the server takes them. Nothing is
   * asked again: the server pushes. A second subscribe replaces the first; read-only connections may subscribe.
   * `history: false`: the first host sample comes without the history (an hour of samples, megabytes with many
   * guests); the TUI asks for it (the `host --recent` request) only when its gauges open.
   */
  | { t: 'subscribe'; id: number; host?: boolean; history?: false }
  | { t: 'unsubscribe' };

/** The guest rows `umux ls --json` gives, and its definition problems. */
export interface GuestListWire {
  guests: GuestInfo[];
  problems: Array<{ message: string; hint?: string }>;
}

/** Server → client. */
export type ServerMessage =
  | { t: 'welcome'; version: number; serverPid: number; serverVersion: string; clientId: number }
  | { t: 'reply'; id: number; ok: true; data: unknown; text?: string }
  | { t: 'reply'; id: number; ok: false; error: WireError }
  /** Long work of request `id` going on (a backup's copies): sent at most every PROGRESS_MIN_MS, before its reply. */
  | { t: 'progress'; id: number; progress: ProgressWire }
  | { t: 'attached'; id: number; stream: number; guest: string; console: string; readOnly: boolean; snapshot: ScreenSnapshotWire; others: AttachedClient[] }
  /** Sent instead of the data a lagging client missed, and on resync. */
  | { t: 'snapshot'; stream: number; snapshot: ScreenSnapshotWire }
  | { t: 'notice'; stream?: number; level: 'info' | 'warn' | 'error'; text: string }
  /** The console is gone (guest exited, server stopping): no more data on this stream. */
  | { t: 'closed'; stream: number; reason: string }
  /**
   * `stop` is set when the whole server is going on purpose (kill-server, a signal): a client riding through server
   * restarts then waits for someone to start a new one instead of starting the old one again. Without it, this
   * connection alone is let go (a limit, a protocol error).
   */
  | { t: 'bye'; reason: string; stop?: ServerStop }
  /**
   * For a follow-log with `marks`: the data frame right behind this message (`bytes` long; 0 = no data frame follows)
   * ends at byte `end` of the log file with inode `ino`. Older clients ignore it (a message type they do not know).
   */
  | { t: 'log-at'; stream: number; ino: number; born: number; end: number; bytes: number }
  /** For a subscriber: the guest list, at once and again whenever a row changes (bursts coalesced). */
  | ({ t: 'guests' } & GuestListWire)
  /** For a subscriber: one event just appended to a guest's event log. */
  | { t: 'event'; guest: string; at: string; text: string }
  /** For a subscriber that asked for host samples: each one as the server takes it; the first has the history (unless not asked). */
  | { t: 'host'; sample: HostSample; history?: HostSample[] }
  /** For a subscriber that fell behind: this many events were not sent (`umux events NAME` lists them). */
  | { t: 'events-missed'; count: number };

export function errorToWire(err: unknown): WireError {
  if (err instanceof UmuxError) return { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) };
  return { code: 'internal', message: `internal error: ${(err as Error)?.message ?? String(err)}` };
}

export function errorFromWire(e: WireError): UmuxError {
  return new UmuxError(e.code, e.message, e.hint ? { hint: e.hint } : {});
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isStr = (v: unknown): v is string => typeof v === 'string';

/** A number or string from the wire past its limit: refused with the limit named. */
function tooLarge(message: string, field: string, what: string, limit: string): UmuxError {
  return new UmuxError('too-long', `${message}: ${field} is ${what}: at most ${limit}`, {
    hint: 'umux clients stay within the limits: this client is not umux, or a different version',
  });
}

function checkName(message: string, field: string, v: string): void {
  if (v.length > MAX_NAME) throw tooLarge(message, field, `${v.length} characters`, String(MAX_NAME));
}

function checkLines(message: string, field: string, v: number): void {
  if (v > MAX_LOG_LINES) throw tooLarge(message, field, String(v), String(MAX_LOG_LINES));
}

/**
 * Validates what a client sent; anything malformed is a usage error, never a crash of the server. Names longer than
 * MAX_NAME and line counts over MAX_LOG_LINES are refused (`too-long`) before the server does anything with them.
 */
export function parseClientMessage(value: unknown): ClientMessage {
  const bad = (what: string) =>
    new UmuxError('usage', `malformed client message: ${what}`, { hint: 'client and server versions may differ: restart the server' });
  if (!isObject(value) || !isStr(value['t'])) throw bad('no type');
  const v = value;
  switch (v['t']) {
    case 'hello':
      if (!isInt(v['version']) || !isInt(v['pid']) || !isStr(v['user']) || !isStr(v['program'])) throw bad('hello fields');
      if (v['readOnly'] !== undefined && typeof v['readOnly'] !== 'boolean') throw bad('hello readOnly (expected true or false)');
      checkName('hello', 'user', v['user']);
      checkName('hello', 'program', v['program']);
      return { t: 'hello', version: v['version'], pid: v['pid'], user: v['user'], program: v['program'], ...(v['readOnly'] === true ? { readOnly: true } : {}) };
    case 'request':
      if (!isInt(v['id']) || !Array.isArray(v['argv']) || !v['argv'].every(isStr)) throw bad('request fields');
      return { t: 'request', id: v['id'], argv: v['argv'] as string[] };
    case 'attach':
      if (!isInt(v['id']) || !isStr(v['guest']) || !isStr(v['console']) || typeof v['readOnly'] !== 'boolean') throw bad('attach fields');
      if (v['scrollback'] !== undefined && !isInt(v['scrollback'])) throw bad('attach scrollback');
      checkName('attach', 'guest', v['guest']);
      checkName('attach', 'console', v['console']);
      if (v['scrollback'] !== undefined) checkLines('attach', 'scrollback', v['scrollback']);
      return {
        t: 'attach',
        id: v['id'],
        guest: v['guest'],
        console: v['console'],
        readOnly: v['readOnly'],
        ...(v['scrollback'] === undefined ? {} : { scrollback: v['scrollback'] as number }),
      };
    case 'follow-log': {
      if (!isInt(v['id']) || !isStr(v['guest']) || !isStr(v['console']) || !isInt(v['lines'])) throw bad('follow-log fields');
      if (v['times'] !== undefined && typeof v['times'] !== 'boolean') throw bad('follow-log times');
      if (v['marks'] !== undefined && typeof v['marks'] !== 'boolean') throw bad('follow-log marks');
      const from = v['from'];
      if (from !== undefined && (!isObject(from) || !isInt(from['ino']) || !isInt(from['offset']) || (from['born'] !== undefined && !isInt(from['born'])))) {
        throw bad('follow-log from (expected {ino, born, offset})');
      }
      checkName('follow-log', 'guest', v['guest']);
      checkName('follow-log', 'console', v['console']);
      checkLines('follow-log', 'lines', v['lines']);
      return {
        t: 'follow-log',
        id: v['id'],
        guest: v['guest'],
        console: v['console'],
        lines: v['lines'],
        ...(v['times'] === true ? { times: true } : {}),
        ...(v['marks'] === true ? { marks: true } : {}),
        ...(from !== undefined ? { from: { ino: from['ino'] as number, offset: from['offset'] as number, ...(from['born'] !== undefined ? { born: from['born'] as number } : {}) } } : {}),
      };
    }
    case 'detach':
    case 'resync':
      if (!isInt(v['stream'])) throw bad(`${v['t']} stream`);
      return { t: v['t'], stream: v['stream'] };
    case 'resize': {
      const cols = v['cols'];
      const rows = v['rows'];
      if (!isInt(v['stream']) || !isInt(cols) || !isInt(rows)) throw bad('resize fields');
      if (cols < 1 || rows < 1 || cols > MAX_WINDOW_COLS || rows > MAX_WINDOW_ROWS) throw bad(`resize to ${cols}x${rows} (expected 1x1 to ${MAX_WINDOW_COLS}x${MAX_WINDOW_ROWS})`);
      return { t: 'resize', stream: v['stream'], cols, rows };
    }
    case 'subscribe':
      if (!isInt(v['id'])) throw bad('subscribe id');
      if (v['host'] !== undefined && typeof v['host'] !== 'boolean') throw bad('subscribe host (expected true or false)');
      if (v['history'] !== undefined && typeof v['history'] !== 'boolean') throw bad('subscribe history (expected true or false)');
      return { t: 'subscribe', id: v['id'], ...(v['host'] === true ? { host: true } : {}), ...(v['history'] === false ? { history: false as const } : {}) };
    case 'unsubscribe':
      return { t: 'unsubscribe' };
    default:
      throw bad(`unknown type ${JSON.stringify(v['t'])}`);
  }
}

/** The request id of a message that failed validation, when it has a usable one: its refusal is the reply to it. */
export function requestIdOf(value: unknown): number | undefined {
  if (!isObject(value) || !isInt(value['id'])) return undefined;
  return value['t'] === 'request' || value['t'] === 'attach' || value['t'] === 'follow-log' || value['t'] === 'subscribe' ? value['id'] : undefined;
}

/** The client trusts the server it started, but still refuses a message it cannot read. */
export function parseServerMessage(value: unknown): ServerMessage {
  if (!isObject(value) || !isStr(value['t'])) {
    throw new UmuxError('bad-reply', 'malformed server message', { hint: 'restart the server (umux kill-server)' });
  }
  return value as unknown as ServerMessage;
}

/** The one-line complaint when the two sides speak different protocol versions. */
export function versionMismatch(server: number, client: number): UmuxError {
  return new UmuxError('usage', `umux server speaks protocol ${server}, this client speaks ${client}`, {
    hint: 'restart the server with this umux (umux kill-server; the next command starts a new one). Guests keep running.',
  });
}
