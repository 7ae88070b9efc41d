// umux's entry point and composition root: turns argv into a command from the table and runs it where the table
// says: a client command's own `run` against the CLI's scope (built here, the only file that may import every
// layer), a server command through the shared request pipeline. Errors become one line on stderr and an exit code.
// Text reaches stdout and stderr through term/print.ts only, control characters shown visibly (guest text is in it).

import { commandHelp, overviewHelp } from './commands/help.js';
import { parseArgs } from './commands/parse.js';
import { findCommand } from './commands/table.js';
import type { ClientScope } from './commands/scopes.js';
import type { ParsedCommand } from './commands/types.js';
import { isUmuxError, UmuxError } from './core/errors.js';
import { EXIT, exitCodeFor } from './core/exit-codes.js';
import { unknownCommand, UMUX_VERSION } from './cli/client-commands.js';
import { printErr, printOut } from './term/print.js';
import { startStep } from './tui/start-times.js';
import { jsonError, jsonLine, noJsonForm, wantsJson } from './cli/json-output.js';

/** CONFIG_DIR/tui.toml, checked before the screen is taken over (a mistake there is a one-line error). */
async function tuiSettings(env: NodeJS.ProcessEnv) {
  const { loadTuiSettings } = await import('./config/tui-settings.js');
  return loadTuiSettings(env);
}

/** The demo on a terminal: its own server and guests, shown in the TUI; leaving it removes them. */
async function demoTui(): Promise<number> {
  const { prepareDemoWorld } = await import('./direct/demo.js');
  const world = prepareDemoWorld();
  const { runTui } = await import('./tui/app.js');
  // A closed terminal (SSH gone, tmux killed) must not leave the demo's guests and server behind.
  const onSignal = () => void world.cleanup().finally(() => process.exit(EXIT.failed));
  process.once('SIGHUP', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await runTui({ readOnly: false, env: world.env, settings: await tuiSettings(process.env), banner: world.banner, leaveMessage: `umux demo: done; its guests, server and ${world.base} are removed` });
  } finally {
    process.off('SIGHUP', onSignal);
    process.off('SIGTERM', onSignal);
    await world.cleanup();
  }
}

/** A TUI command named on the command line: where it works instead. */
async function tuiOnly(name: string): Promise<UmuxError | undefined> {
  const { TUI_COMMANDS } = await import('./commands/tui-table.js');
  const { KEYMAP, DEFAULT_PREFIX } = await import('./commands/keymap.js');
  if (!TUI_COMMANDS.some((c) => c.name === name)) return undefined;
  const key = KEYMAP.find((k) => k.line === name)?.key;
  return new UmuxError('usage', `${name} is a command of the full-screen view, not of the shell`, { hint: `in umux (umux tui), type :${name}${key ? ` or press ${DEFAULT_PREFIX} ${key}` : ''}` });
}

const onTerminal = () => process.stdin.isTTY === true && process.stdout.isTTY === true;

/** What a client command may reach from the CLI (commands/scopes.ts): stdout, and the sessions, loaded when used. */
function cliScope(json: boolean): ClientScope {
  const streams = async (parsed: ParsedCommand) => (await import('./cli/stream-commands.js')).runStreamCommand(parsed);
  return {
    json,
    out: (text, data) => printOut(json ? jsonLine(data ?? { text }) : text),
    help: (name) => {
      if (name === undefined) return overviewHelp();
      const spec = findCommand(name);
      if (!spec) throw unknownCommand(name);
      return commandHelp(spec);
    },
    version: UMUX_VERSION,
    tui: async ({ readOnly }) => (await import('./tui/app.js')).runTui({ readOnly, settings: await tuiSettings(process.env) }),
    attach: streams,
    log: streams,
    server: async () => {
      const { runServer } = await import('./server/server.js');
      // The server holds sockets and timers: once it is done (or failed to start), the process ends.
      process.exit(await runServer().catch((err: unknown) => fail(err, false)));
    },
    demo: async (parsed) => (onTerminal() ? demoTui() : (await import('./direct/demo.js')).runDemo(parsed)),
    mconsole: async (parsed) => {
      const tool = await import('./direct/mconsole-tool.js');
      return json ? tool.runMconsoleJson(parsed) : tool.runMconsoleTool(parsed);
    },
    drive: async (parsed) => (await import('./cli/drive-commands.js')).runDriveCommand(parsed),
  };
}

async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined && onTerminal()) return cliScope(false).tui({ readOnly: false });
  if (name === undefined || name === '-h' || name === '--help') {
    printOut(overviewHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '-V' || name === '--version') {
    printOut(`umux ${UMUX_VERSION}\n`);
    return EXIT.ok;
  }
  const command = findCommand(name);
  if (!command) throw (await tuiOnly(name)) ?? unknownCommand(name);
  if (rest[0] === '-h' || rest[0] === '--help') {
    printOut(commandHelp(command));
    return EXIT.ok;
  }
  const parsed = parseArgs(command, rest);
  const json = wantsJson(argv, parsed);
  if (json) {
    const refused = noJsonForm(parsed);
    if (refused) throw refused;
  }
  if (command.runsIn !== 'server') return command.run(cliScope(json), parsed);
  if ((name === 'ls' && parsed.options['watch'] === true) || (name === 'events' && parsed.options['follow'] === true)) {
    const { runWatchCommand } = await import('./cli/watch-commands.js');
    return runWatchCommand(parsed);
  }
  const { runServerCommand } = await import('./cli/server-commands.js');
  return runServerCommand(parsed, argv, printOut);
}

function fail(err: unknown, json: boolean): number {
  if (isUmuxError(err)) {
    const code = exitCodeFor(err.code);
    printErr(json ? jsonError(err, code) : `umux: ${err.describe()}\n`);
    return code;
  }
  const e = err as Error;
  if (json) {
    printErr(jsonError(new UmuxError('internal', `internal error: ${e?.message ?? String(err)}`, { hint: 'please report this with the command you ran' }), EXIT.failed));
    return EXIT.failed;
  }
  printErr(`umux: internal error: ${e?.message ?? String(err)}\n  hint: please report this with the command you ran\n`);
  if (process.env['UMUX_DEBUG']) printErr(`${e?.stack ?? ''}\n`);
  return EXIT.failed;
}

export async function main(argv: string[]): Promise<void> {
  startStep('main');
  // A reader that stops early (`umux host --json | head`) is no error: stop quietly, as cat does.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  let code: number;
  try {
    code = await run(argv);
  } catch (err) {
    code = fail(err, wantsJson(argv));
  }
  // Let stdout drain before exiting, so piped output is never cut short.
  process.exitCode = code;
}
