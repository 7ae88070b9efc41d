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
import { afterFirstPaint, startStep } from './tui/start-times.js';
import type { MainHooks } from './launch/start-bundle.js';
import { jsonError, jsonLine, noJsonForm, wantsJson } from './cli/json-output.js';
import type { HostDef } from './config/hosts-config.js';
import type { SshHost } from './client/ssh-transport.js';

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

/**
 * Which other hosts a TUI may show: `here` those of hosts.toml or `tui --host`; none under `umux --host` (`remote`)
 * nor for a hosting customer (`customer`: no ssh to a place of their choosing, no hosts.toml of theirs read).
 */
type HostsRule = 'here' | 'remote' | 'customer';

/** The hosts a TUI shows beside this one: `host` alone, else every host of hosts.toml; none but under rule `here`. */
async function tuiHosts(host: string | undefined, rule: HostsRule): Promise<SshHost[]> {
  if (rule === 'customer') {
    if (host !== undefined) throw new UmuxError('usage', 'tui: --host is not for a hosting customer', { hint: 'umux shows your guests on this host' });
    return [];
  }
  if (rule === 'remote') {
    if (host !== undefined) throw new UmuxError('usage', 'tui: --host after umux --host: give one or the other', { hint: 'umux tui --host b shows b beside this host; umux --host b tui shows b alone' });
    return [];
  }
  const { loadHosts, resolveHost } = await import('./config/hosts-config.js');
  const defs = loadHosts(process.env);
  return (host === undefined ? defs : [resolveHost(host, defs)]).map(sshHostOf);
}

function sshHostOf(def: HostDef): SshHost {
  return { name: def.name, destination: def.ssh, ...(def.umux ? { umux: def.umux } : {}), ...(def.sshConfig ? { sshConfig: def.sshConfig } : {}), ...(def.connectTimeoutS ? { connectTimeoutS: def.connectTimeoutS } : {}) };
}

/** What a client command may reach from the CLI (commands/scopes.ts): stdout, and the sessions, loaded when used. */
function cliScope(json: boolean, hosts: HostsRule = 'here'): ClientScope {
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
    tui: async ({ readOnly, host }) => {
      // The server works on the connection, the guest list and the first pane's snapshot while the TUI loads.
      const opening = (await import('./tui/opening.js')).TuiOpening.start({ readOnly, env: process.env });
      try {
        const { runTui } = await import('./tui/app.js');
        return await runTui({ readOnly, settings: await tuiSettings(process.env), hosts: await tuiHosts(host, hosts), opening });
      } finally {
        opening.dispose();
      }
    },
    attach: streams,
    log: streams,
    server: async ({ stdio, start }) => {
      if (stdio) return (await import('./cli/stdio-bridge.js')).runStdioBridge({ autostart: start });
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

/** `umux --host WORD …` (or --host=WORD): the host, and the rest of the command line. */
function splitHost(argv: string[]): { host?: string; argv: string[] } {
  const [first, second, ...rest] = argv;
  if (first === '--host') {
    if (second === undefined) throw new UmuxError('usage', `${first}: expected a host (a hosts.toml name or an ssh destination), got nothing`, { hint: 'umux --host b ls' });
    return { host: second, argv: rest };
  }
  if (first?.startsWith('--host=')) return { host: first.slice('--host='.length), argv: argv.slice(1) };
  return { argv };
}

/** Every session of this process goes to `word`'s server over ssh (hosts.toml name or destination). */
async function useHost(word: string): Promise<void> {
  const { loadHosts, resolveHost } = await import('./config/hosts-config.js');
  const def = resolveHost(word, loadHosts(process.env));
  const { SshTransport } = await import('./client/ssh-transport.js');
  const { useTransport } = await import('./client/session.js');
  useTransport(new SshTransport(sshHostOf(def)));
}

async function run(given: string[]): Promise<number> {
  // A hosting customer (`umux --shared …`, the ssh ForceCommand `umux shell`): allowed words only, the shared socket.
  // No --host for a customer: what ssh may reach from their account is not theirs to choose through umux.
  const customer = given[0] === '--shared' || given[0] === 'shell' ? (await import('./cli/customer-entry.js')).customerEntry(given, process.env) : undefined;
  const { host, argv } = customer ? { host: undefined, argv: customer } : splitHost(given);
  if (host !== undefined) await useHost(host);
  const rule: HostsRule = customer ? 'customer' : host !== undefined ? 'remote' : 'here';
  const [name, ...rest] = argv;
  if (name === undefined && onTerminal()) return cliScope(false, rule).tui({ readOnly: false });
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
  if (host !== undefined && command.runsIn === 'direct') {
    throw new UmuxError('usage', `${name} runs on this host only: --host does not apply to it`, { hint: `ssh to the host and run umux ${name} there` });
  }
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
  if (command.runsIn !== 'server') return command.run(cliScope(json, rule), parsed);
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

/** `hooks.started` (the launcher's code cache) runs once the start is done: the TUI's first frame, or the command. */
export async function main(argv: string[], hooks: MainHooks = {}): Promise<void> {
  startStep('main');
  const started = hooks.started ?? (() => undefined);
  afterFirstPaint(started);
  // A reader that stops early (`umux host --json | head`) is no error: stop quietly, as cat does.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  let code: number;
  try {
    code = await run(argv);
    started();
  } catch (err) {
    code = fail(err, wantsJson(argv));
  }
  // Let stdout drain before exiting, so piped output is never cut short.
  process.exitCode = code;
}
