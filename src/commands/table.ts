// The one list of umux's CLI commands (tmux cmd.c), each from its own file (cmd-*.ts). CLI dispatch, the server's
// dispatch, the `:` line, `umux help` and the README's command table all read it; docs.test.ts fails when the
// README is stale. The TUI's own commands are in tui-table.ts.

import type { CliCommand } from './command.js';
import { JSON_OPTION } from './common.js';
import { MAX_LOG_LINES } from '../protocol/wire-limits.js';
import { tuiCommand } from './cmd-tui.js';
import { lsCommand } from './cmd-ls.js';
import { startCommand } from './cmd-start.js';
import { stopCommand } from './cmd-stop.js';
import { restartCommand } from './cmd-restart.js';
import { attachCommand } from './cmd-attach.js';
import { logCommand } from './cmd-log.js';
import { sendCommand } from './cmd-send.js';
import { waitCommand } from './cmd-wait.js';
import { runCommand } from './cmd-run.js';
import { loginCommand } from './cmd-login.js';
import { eventsCommand } from './cmd-events.js';
import { bootsCommand } from './cmd-boots.js';
import { cadCommand } from './cmd-cad.js';
import { haltCommand } from './cmd-halt.js';
import { rebootCommand } from './cmd-reboot.js';
import { sysrqCommand } from './cmd-sysrq.js';
import { pauseCommand } from './cmd-pause.js';
import { goCommand } from './cmd-go.js';
import { killCommand } from './cmd-kill.js';
import { configCommand } from './cmd-config.js';
import { removeCommand } from './cmd-remove.js';
import { backupCommand } from './cmd-backup.js';
import { cleanCommand } from './cmd-clean.js';
import { mcCommand } from './cmd-mc.js';
import { hostCommand } from './cmd-host.js';
import { mconsoleCommand } from './cmd-mconsole.js';
import { serverCommand } from './cmd-server.js';
import { killServerCommand } from './cmd-kill-server.js';
import { demoCommand } from './cmd-demo.js';
import { helpCommand } from './cmd-help.js';
import { versionCommand } from './cmd-version.js';

/** Most lines `umux log` prints (and the server sends in one reply): the wire's limit, which the server enforces. */
export { MAX_LOG_LINES, JSON_OPTION };
export { mconsoleCommand, helpCommand, versionCommand };

/** Adds --json to a command that does not describe its own. */
function withJson<C extends CliCommand>(command: C): C {
  return command.options.some((o) => o.name === 'json') ? command : { ...command, options: [...command.options, JSON_OPTION] };
}

/** In the order `umux help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  tuiCommand,
  lsCommand,
  startCommand,
  stopCommand,
  restartCommand,
  attachCommand,
  logCommand,
  bootsCommand,
  sendCommand,
  waitCommand,
  runCommand,
  loginCommand,
  eventsCommand,
  cadCommand,
  haltCommand,
  rebootCommand,
  sysrqCommand,
  pauseCommand,
  goCommand,
  killCommand,
  configCommand,
  removeCommand,
  backupCommand,
  cleanCommand,
  mcCommand,
  hostCommand,
  mconsoleCommand,
  serverCommand,
  killServerCommand,
  demoCommand,
  helpCommand,
  versionCommand,
].map(withJson);

export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((c) => c.name === name);
}
