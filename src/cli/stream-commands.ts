// CLI commands that stream from the server: `umux log` (the tail, then with -f the live console) and
// `umux attach` (this terminal on a guest console). Guest bytes reach the terminal only through plainText or
// the safe renderer, never raw. `log -f` rides through the server going away: it knows how far in the log it has
// printed and, once a server is back, asks for what follows (the log file is the truth: no line twice, none lost).

import { intOption } from '../commands/parse.js';
import type { ParsedCommand } from '../commands/types.js';
import { parseConsoleTarget } from '../commands/target.js';
import { MAX_LOG_LINES } from '../commands/table.js';
import { ServerSession, type ConsoleStream } from '../client/session.js';
import { isUmuxError, UmuxError, UsageError } from '../core/errors.js';
import { bootOption } from '../commands/cmd-boots.js';
import type { LogCursorWire } from '../protocol/wire-messages.js';
import { plainText } from '../term/plain-text.js';
import { printErr } from '../term/print.js';
import { runAttach } from './attach.js';
import { jsonLine } from './json-output.js';

export async function runStreamCommand(parsed: ParsedCommand): Promise<number> {
  if (parsed.spec.name === 'attach') return runAttach(parsed);
  const target = parseConsoleTarget(parsed.args[0]!);
  const lines = intOption(parsed, 'lines', 50, 0, MAX_LOG_LINES);
  const times = parsed.options['times'] === true;
  const boot = bootOption(parsed.options);
  if (boot !== undefined && boot !== 0 && parsed.options['follow'] === true) {
    throw new UsageError(`log: --follow follows the current boot, not boot ${boot}`, { hint: 'leave out --follow, or give --boot 0' });
  }
  // --boot 0 with --follow is the follow of today: the current boot is the one that goes on.
  const only = boot === undefined || parsed.options['follow'] === true ? [] : ['--boot', String(boot)];
  const session = await ServerSession.connect(parsed.options['follow'] === true ? { ride: true, program: 'log -f' } : {});
  const tty = process.stdout.isTTY === true;
  const show = (text: string) => process.stdout.write(tty ? plainText(text) : text);
  try {
    if (parsed.options['json'] === true) {
      // The tail as data: each line with the time it started (null where unknown).
      const reply = await session.request(['log', `${target.guest}:${target.console}`, '-n', String(lines), '--times', ...only]);
      process.stdout.write(jsonLine({ guest: target.guest, console: target.console, ...(reply.data as object) }));
      return 0;
    }
    if (parsed.options['follow'] !== true) {
      // With --times the server's text has the time prefixes (its data has the same lines with ISO times).
      const reply = await session.request(['log', `${target.guest}:${target.console}`, '-n', String(lines), ...(times ? ['--times'] : []), ...only]);
      const note = (reply.data as { note?: unknown } | null)?.note;
      if (typeof note === 'string') printErr(`umux: ${note}\n`);
      show(reply.text ?? '');
      const dropped = (reply.data as { dropped?: unknown } | null)?.dropped;
      if (typeof dropped === 'number') printErr(`umux: ${dropped} older lines left out: they do not fit in one reply (ask for fewer with -n)\n`);
      return 0;
    }
    // The server follows the file itself, from the tail on: no gap between the tail and what follows.
    return await followOn(session, target, lines, times, show);
  } finally {
    session.dispose();
  }
}

/** After a server is back, how long log -f keeps asking for the console's log. */
const REFOLLOW_MS = 30_000;

/**
 * `log -f` until Ctrl-C or the guest's console is gone for good. When the server goes away it says so on stderr
 * (stdout stays the log) and, once one is back, resumes after the last byte it printed.
 */
async function followOn(session: ServerSession, target: { guest: string; console: string }, lines: number, times: boolean, show: (text: string) => void): Promise<number> {
  const decoder = new TextDecoder();
  let stream: ConsoleStream | undefined;
  let resolveDone: (code: number) => void = () => undefined;
  const done = new Promise<number>((r) => (resolveDone = r));
  const end = (code: number, message?: string) => {
    if (message) printErr(`umux: ${message}\n`);
    resolveDone(code);
  };
  const start = async (from: LogCursorWire | undefined, lineCount: number) => {
    const s = await session.followLog(target.guest, target.console, lineCount, { times, ...(from ? { from } : {}) });
    // Refused right behind its `attached` (no such console): closed before anyone listened.
    if (s.closed && !s.serverAway) throw new UmuxError('no-such-guest', s.closedReason);
    stream = s;
    s.onData((bytes) => show(decoder.decode(bytes, { stream: true })));
    s.onNotice((n) => printErr(`umux: ${n.text}\n`));
    s.onClosed((reason) => {
      if (!s.serverAway) end(0, reason);
    });
  };
  /** Where to go on from: the last place the server marked, or (an older server, no marks) from now on. */
  const resumeFrom = (last: ConsoleStream | undefined): LogCursorWire | undefined => {
    if (last?.logCursor) return last.logCursor;
    if (last && last.marks === 0) return undefined;
    return { ino: 0, offset: 0 }; // marked but no log file yet: all of it, from its start
  };
  session.onAway((away) => printErr(`umux: ${away.text}; log -f goes on where it was once a server is back\n`));
  session.onRideStatus((text) => printErr(`umux: ${text}\n`));
  session.onBack((pid) => {
    const from = resumeFrom(stream);
    if (!from) printErr('umux: this server does not say where a log is read: lines written while it was away may be missing\n');
    void resume(from, pid);
  });
  /** Follows again after `from`; a new server may not know the guest's consoles at once (adopted: probed first). */
  const resume = async (from: LogCursorWire | undefined, pid: number) => {
    const deadline = Date.now() + REFOLLOW_MS;
    for (;;) {
      try {
        await start(from, 0);
        printErr(`umux: reconnected to umux server pid ${pid}; log -f goes on\n`);
        return;
      } catch (err) {
        if (session.away) return; // gone again: the next onBack resumes
        if (Date.now() >= deadline) return end(1, isUmuxError(err) ? err.describe() : String(err));
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  session.onClose((reason) => end(1, reason));
  const onSigint = () => {
    stream?.dispose();
    resolveDone(0);
  };
  process.once('SIGINT', onSigint);
  await start(undefined, lines);
  try {
    return await done;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
