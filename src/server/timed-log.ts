// A console's log tail with the time each line started: from the live ConsoleLog that writes it (its memory of
// line starts) when the server holds the console, else from the file alone (only what the file says of times:
// log_timestamps prefixes and umux markers). Synchronous, so a follow can start in the same tick with no gap.

import path from 'node:path';
import type { UmuxError } from '../core/errors.js';
import { followLog, logFilePath, pairTail, type TimedLine } from '../consoles/logfile.js';
import type { FollowListener, LogCursor, LogFollow } from '../consoles/log-follow.js';
import { errnoOf } from '../consoles/log-files.js';
import { readLogTailSync } from '../consoles/log-tail.js';
import { LineStamper, stampLines } from '../protocol/log-times.js';
import { DEFAULT_CONSOLE_SETTINGS } from './console-wiring.js';
import type { Guest } from './guest.js';

/** Bytes one `log --times` reply may spend on its lines (a wire frame is at most 32 MiB). */
export const LOG_TIMES_BUDGET = 24 * 1024 * 1024;

/**
 * The index of the first of the last lines that fit in one reply: each line crosses the wire twice, JSON-escaped,
 * once in data and once in the stamped text.
 */
export function fitLines(lines: ReadonlyArray<{ text: string }>, budget = LOG_TIMES_BUDGET): number {
  let used = 0;
  for (let i = lines.length - 1; i >= 0; i--) {
    used += 2 * Buffer.byteLength(JSON.stringify(lines[i]!.text)) + 64;
    if (used > budget) return i + 1;
  }
  return 0;
}

export function timedLogTail(g: Guest, consoleName: string, logRoot: string, lines: number): TimedLine[] {
  const dir = path.join(logRoot, g.umid);
  const hub = g.hubs.get(consoleName);
  // A hub stays after its guest exits (its log too): its times are good until the guest starts again.
  if (hub && hub.logPath === logFilePath(dir, consoleName)) return hub.readLogWithTimes(lines);
  const timestamped = g.managed?.def.logTimestamps ?? DEFAULT_CONSOLE_SETTINGS.logTimestamps;
  return pairTail(readLogTailSync(dir, consoleName, lines), { timestamped });
}

/**
 * `umux log -f --times`: the tail with the times umux received its lines, then every byte appended with the time this
 * follow read it (within a poll of its arrival) before each new line. The follow starts, then the tail is read, in the
 * same tick, so nothing falls between them. A resume (`from`) has no tail and starts mid-line where the log does.
 */
export function followLogWithTimes(
  g: Guest,
  consoleName: string,
  logRoot: string,
  lines: number,
  onData: FollowListener,
  onError: (err: UmuxError) => void,
  more: { from?: LogCursor; onNotice?: (text: string) => void } = {},
): LogFollow {
  let stamper: LineStamper | undefined;
  const follow = followLog(path.join(logRoot, g.umid), consoleName, (bytes, at) => onData((stamper ??= new LineStamper(true)).stamp(bytes, Date.now()), at), {
    lines: 0,
    onError,
    ...more,
  });
  if (more.from) {
    stamper = new LineStamper(follow.startsLine);
    return follow;
  }
  let tail: TimedLine[] = [];
  try {
    tail = lines > 0 ? timedLogTail(g, consoleName, logRoot, lines) : [];
  } catch (err) {
    if (errnoOf(err) !== 'ENOENT') {
      follow.dispose();
      throw err;
    }
  }
  stamper = new LineStamper(tail.at(-1)?.open !== true);
  if (tail.length > 0) onData(new TextEncoder().encode(stampLines(tail, { keepOpen: true })), follow.position() ?? { ino: 0, born: 0, end: 0 });
  return follow;
}
