// One console stream put behind a ConsoleHub: its log file, its terminal model, writes back to the guest, flow
// control. Managed guests wire socketpairs through it, adopted guests the ptys and ttys they hold.

import path from 'node:path';
import type { Duplex } from 'node:stream';
import { ConsoleLog, describeLoss, type LineTimes } from '../consoles/logfile.js';
import { Screen } from '../term/screen.js';
import { ConsoleHub, type WindowSize } from './console-hub.js';
import type { KeptStream } from './kept-stream.js';
import type { TypingPriority } from './typing-priority.js';

export interface ConsoleSettings {
  scrollback: number;
  logMaxBytes: number;
  logKeep: number;
  logTimestamps: boolean;
}

/** What an adopted guest's consoles get: the defaults of a guest definition. */
export const DEFAULT_CONSOLE_SETTINGS: ConsoleSettings = { scrollback: 2000, logMaxBytes: 16 * 1024 * 1024, logKeep: 3, logTimestamps: false };

export interface WireOptions {
  guest: string;
  umid: string;
  name: string;
  logRoot: string;
  settings: ConsoleSettings;
  stream: Duplex;
  event: (text: string) => void;
  /** The line times of the hub this one replaces (same console, disposed first): kept if the file is unchanged. */
  continueTimes?: LineTimes;
  /** Called after each chunk reaches the hub (the stall guard listens here). */
  onData?: (chunk: Buffer) => void;
  /** The stream is a pty: clients' sizes reach the guest through this (see ConsoleHubOptions.resize). */
  resize?: (size: WindowSize) => void;
  /**
   * The console is held by the keeper (`stream` or its source): each append's commit point is recorded for the next
   * server. `resumed`: a console this server took back, whose model starts from the tail of its log.
   */
  kept?: { stream: KeptStream; resumed: boolean };
  /** The server's record of what is being typed into (ConsoleHubOptions.typing). */
  typing?: TypingPriority;
}

/** Lines of a taken-back console's log replayed into its model. */
const PRIME_LINES = 500;

export function hubOnStream(o: WireOptions): ConsoleHub {
  const log = ConsoleLog.open({
    dir: path.join(o.logRoot, o.umid),
    console: o.name,
    maxBytes: o.settings.logMaxBytes,
    keep: o.settings.logKeep,
    timestamps: o.settings.logTimestamps,
    continueTimes: o.continueTimes,
  });
  log.onError((err) => o.event(`${o.name} log: ${err.message}`));
  // Once per gap each: a full disk is told when it starts to cost output and when writing works again.
  log.onWriteFailed((err) => o.event(`${o.name} log: ${err.message}; the console goes on, its log misses the output until it can write again`));
  log.onWriteResumed((gap) => o.event(`${o.name} log: writing again; ${describeLoss(gap)} (marked in the file)`));
  const stream = o.stream;
  const kept = o.kept?.stream;
  if (kept) {
    kept.recordCommits(path.join(o.logRoot, o.umid), o.name);
    kept.recordStart(log.position);
  }
  const hub = new ConsoleHub({
    guest: o.guest,
    name: o.name,
    log,
    onLogError: (message) => o.event(message),
    screen: new Screen({ scrollback: o.settings.scrollback, answerQueries: true }),
    toGuest: (bytes) => {
      if (!stream.destroyed) stream.write(bytes);
    },
    inputBacklog: () => stream.writableLength,
    pause: () => stream.pause(),
    resume: () => stream.resume(),
    ...(o.resize ? { resize: o.resize } : {}),
    ...(o.typing ? { typing: o.typing } : {}),
    ...(kept ? { onLogged: (bytes: number) => kept.logged(bytes, log.position) } : {}),
  });
  if (o.kept?.resumed) {
    try {
      hub.prime(Buffer.from(log.readTail({ lines: PRIME_LINES }), 'utf8'));
    } catch {
      // An unreadable tail only leaves the model empty until the guest prints again.
    }
  }
  stream.on('data', (chunk: Buffer) => {
    hub.feed(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    o.onData?.(chunk);
  });
  return hub;
}
