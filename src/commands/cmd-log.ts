// umux log NAME[:CONSOLE] [-n N] [-f] [-t] [-b N]: a console's log tail from the server's files, then with -f the
// live console (the client follows the stream: cli/stream-commands.ts); --times stamps each line with its arrival;
// --boot N only that boot's lines.
import { MAX_LOG_LINES } from '../protocol/wire-limits.js';
import { stampLines, toWireLines, type LogTimesReply } from '../protocol/log-times.js';
import { intOption } from './parse.js';
import { CONSOLE } from './common.js';
import type { ClientCommand } from './command.js';
import { bootOption } from './cmd-boots.js';

export const logCommand: ClientCommand = {
  name: 'log',
  summary: "Print a console's log (the last lines), or follow it",
  usage: CONSOLE,
  runsIn: 'client',
  target: 'console',
  changes: false,
  minArgs: 1,
  maxArgs: 1,
  options: [
    { name: 'lines', short: 'n', value: 'N', summary: 'how many lines (default 50)' },
    { name: 'follow', short: 'f', summary: 'keep printing what the console writes' },
    { name: 'times', short: 't', summary: 'prefix each line with the time umux received it (HH:MM:SS.mmm; -- where unknown)' },
    { name: 'boot', short: 'b', value: 'N', summary: 'only boot N (umux boots lists them): 0 the current, -1 the one before, 1 the first kept' },
  ],
  details: [
    `At most ${MAX_LOG_LINES} lines. The log files hold what the guest wrote, unchanged (unless its definition sets`,
    'log_timestamps = true). --times shows when the server received the first byte of each line, in local time:',
    'it remembers that for the last 20000 lines of each console, also across guest restarts; lines from before the',
    'server last started show -- (or the time in the file, with log_timestamps = true). With --follow, new lines',
    'get the time the server read them from the log.',
    'Without --boot the log is shown across boots, each starting at its "boot:" marker line; with --boot only',
    'that boot\'s lines (from its marker to the next boot\'s), the last N of them. --follow takes --boot 0 only.',
  ],
  run: (client, parsed) => client.log(parsed),
  serve: async (scope, call) => {
    const { parsed } = call;
    const target = parsed.args[0]!;
    const lines = intOption(parsed, 'lines', 50, 0, MAX_LOG_LINES);
    const boot = bootOption(parsed.options);
    if (boot !== undefined) return scope.bootLog(target, boot, lines, parsed.options['times'] === true);
    if (parsed.options['times'] !== true) return { data: null, text: await scope.logTail(target, lines) };
    const timed = scope.timedLogTail(target, lines);
    const data: LogTimesReply = { lines: toWireLines(timed.lines), ...(timed.dropped > 0 ? { dropped: timed.dropped } : {}) };
    return { data, text: stampLines(timed.lines) };
  },
};
