// The one list of umux commands (tmux cmd.c). CLI dispatch, `umux help` and the README's command table are all
// generated from it; test/unit/docs.test.ts fails when the README is stale.

import type { CommandSpec, OptionSpec } from './types.js';
import { SYSRQ_CRASHES, SYSRQ_DANGEROUS, SYSRQ_LETTERS } from '../protocol/mconsole-verbs.js';
import { planConfig } from '../protocol/hotplug.js';
import { MAX_LOG_LINES } from '../protocol/wire-limits.js';

export const mconsoleCommand: CommandSpec = {
  name: 'mconsole',
  summary: "Send MConsole commands to a guest, like uml_mconsole but with timeouts and checked verbs",
  usage: 'UMID|SOCKET [COMMAND...]',
  runsIn: 'direct',
  changes: 'guest',
  minArgs: 1,
  maxArgs: 'rest',
  optionsFirst: true,
  options: [
    { name: 'uml-dir', value: 'DIR', summary: 'look for UMID in DIR (the guest\'s uml_dir=) before ~/.uml and /tmp/uml' },
    { name: 'timeout', short: 't', value: 'MS', summary: 'give up on a reply after MS milliseconds (default 5000)' },
    { name: 'raw', summary: 'send verbs umux does not know, unchecked (the kernel matches verbs by prefix!)' },
  ],
  details: [
    'With a COMMAND, sends it once, prints the reply as uml_mconsole does ("OK ..." or "ERR ...") and exits:',
    '0 on OK, 1 on an ERR reply, 2 on a usage error, 3 when the guest is not found or not running,',
    '4 when it does not answer in time, 5 when a reply arrives incomplete, 6 on permission denied.',
    'Without a COMMAND, reads commands at a "(umid)" prompt. Local commands: quit, switch UMID|SOCKET,',
    'int (SIGINT to the guest\'s main pid), log -f FILE, mconsole-version, help.',
    'Relative ubd file names in "config ubdX=FILE" are made absolute before sending.',
  ],
};

export const demoCommand: CommandSpec = {
  name: 'demo',
  summary: 'Boot three small real UML guests under a private server and open the TUI on them (leaving removes them)',
  usage: '',
  runsIn: 'direct',
  changes: 'guest',
  minArgs: 0,
  maxArgs: 0,
  options: [],
  details: [
    'Builds busybox hostfs roots in a temporary directory and boots demo1, demo2 (with a serial line)',
    'and demo3 (its init exits 30 s after boot, so the kernel panics). As root, installs user-mode-linux',
    'and busybox-static first when they are missing; otherwise prints the apt-get command to run.',
    'On a terminal it opens the TUI; with piped input it serves the MConsole prompt on the guests instead.',
  ],
};

const guestTarget = 'NAME';
const consoleTarget = 'NAME[:CONSOLE]';

export const serverCommand: CommandSpec = {
  name: 'server',
  summary: 'Run the umux server in the foreground (clients start it in the background when needed)',
  usage: '',
  runsIn: 'direct',
  changes: false,
  minArgs: 0,
  maxArgs: 0,
  options: [],
  details: [
    'One server per host user holds every managed guest\'s consoles, their logs and scrollback, and serves',
    'clients over a unix socket in the private socket directory. Guests keep running when it stops.',
  ],
};

export const killServerCommand: CommandSpec = {
  name: 'kill-server',
  summary: 'Stop the umux server; guests keep running and the next server re-adopts them',
  usage: '',
  runsIn: 'server',
  changes: 'server',
  minArgs: 0,
  maxArgs: 0,
  options: [],
};

export const lsCommand: CommandSpec = {
  name: 'ls',
  summary: 'List guests: state, pid, memory, consoles, attached clients, uptime',
  usage: '',
  runsIn: 'server',
  changes: false,
  minArgs: 0,
  maxArgs: 0,
  options: [
    { name: 'json', summary: 'print JSON instead of a table' },
    { name: 'watch', short: 'w', summary: 'keep watching: the table again on each change (redrawn in place on a terminal; with --json a line each)' },
  ],
};

export const startCommand: CommandSpec = {
  name: 'start',
  summary: 'Boot a guest from its definition',
  usage: guestTarget,
  runsIn: 'server',
  changes: 'guest',
  minArgs: 1,
  maxArgs: 1,
  options: [],
  details: [
    "Warns, in the reply and the guest's events, when its mem= does not fit on the memory-file filesystem (TMPDIR,",
    'else /dev/shm) beside what the running guests will grow to: it would die with SIGBUS when that fills.',
  ],
};

export const stopCommand: CommandSpec = {
  name: 'stop',
  summary: 'Stop a guest: cad, then halt, then SIGTERM, then SIGKILL to its process group, each step timed',
  usage: guestTarget,
  runsIn: 'server',
  changes: 'guest',
  minArgs: 1,
  maxArgs: 1,
  options: [{ name: 'force', summary: 'skip to the end of the ladder: SIGKILL to the process group' }],
};

export const restartCommand: CommandSpec = {
  name: 'restart',
  summary: 'Stop a guest (the whole ladder if needed) and boot it again',
  usage: guestTarget,
  runsIn: 'server',
  changes: 'guest',
  minArgs: 1,
  maxArgs: 1,
  options: [{ name: 'force', summary: 'stop with SIGKILL to the process group' }],
};

export const attachCommand: CommandSpec = {
  name: 'attach',
  summary: "Attach this terminal to a guest console (detach: C-] then d), like screen -r or virsh console",
  usage: consoleTarget,
  runsIn: 'client',
  changes: false,
  minArgs: 1,
  maxArgs: 1,
  options: [{ name: 'read-only', short: 'r', summary: 'watch only: typing is refused' }],
};

/** Most lines `umux log` prints (and the server sends in one reply): the wire's limit, which the server enforces. */
export { MAX_LOG_LINES };

export const logCommand: CommandSpec = {
  name: 'log',
  summary: "Print a console's log (the last lines), or follow it",
  usage: consoleTarget,
  runsIn: 'client',
  changes: false,
  minArgs: 1,
  maxArgs: 1,
  options: [
    { name: 'lines', short: 'n', value: 'N', summary: 'how many lines (default 50)' },
    { name: 'follow', short: 'f', summary: 'keep printing what the console writes' },
    { name: 'times', short: 't', summary: 'prefix each line with the time umux received it (HH:MM:SS.mmm; -- where unknown)' },
  ],
  details: [
    `At most ${MAX_LOG_LINES} lines. The log files hold what the guest wrote, unchanged (unless its definition sets`,
    'log_timestamps = true). --times shows when the server received the first byte of each line, in local time:',
    'it remembers that for the last 20000 lines of each console, also across guest restarts; lines from before the',
    'server last started show -- (or the time in the file, with log_timestamps = true). With --follow, new lines',
    'get the time the server read them from the log.',
  ],
};

export const sendCommand: CommandSpec = {
  name: 'send',
  summary: 'Type TEXT into a guest console, then Enter (for scripts)',
  usage: `${consoleTarget} TEXT...`,
  runsIn: 'server',
  changes: 'guest',
  minArgs: 2,
  maxArgs: 'rest',
  options: [{ name: 'no-enter', short: 'n', summary: 'do not press Enter after the text' }],
};

export const hostCommand: CommandSpec = {
  name: 'host',
  summary: "Host memory: RAM, swap, the filesystem holding UML memory files against the guests' mem=, per guest",
  usage: '',
  runsIn: 'server',
  changes: false,
  minArgs: 0,
  maxArgs: 0,
  options: [
    { name: 'json', summary: 'print JSON (with the sample history) instead of text' },
    { name: 'recent', summary: "the server's latest periodic sample (at most 5 s old) instead of a fresh one" },
  ],
};

export const eventsCommand: CommandSpec = {
  name: 'events',
  summary: "Print a guest's event log (every guest's, each with its name, without NAME): state changes, stop steps, notifications, UML's own messages",
  usage: `[${guestTarget}]`,
  runsIn: 'server',
  changes: false,
  minArgs: 0,
  maxArgs: 1,
  options: [{ name: 'follow', short: 'f', summary: 'keep printing new events as they happen (like tail -f); with --json one object a line' }],
};

const yesOption: OptionSpec = { name: 'yes', short: 'y', summary: 'do not ask first (for scripts)' };

/** A guest command sent over MConsole by the server, with its question when dangerous. */
function guestVerb(name: string, summary: string, question?: (guest: string) => string, details?: string[]): CommandSpec {
  return {
    name,
    summary,
    usage: guestTarget,
    runsIn: 'server',
    changes: 'guest',
    minArgs: 1,
    maxArgs: 1,
    options: question ? [yesOption] : [],
    ...(question ? { confirm: (args: readonly string[]) => question(args[0] ?? '?') } : {}),
    ...(details ? { details } : {}),
  };
}

export const cadCommand = guestVerb('cad', "Press Ctrl-Alt-Del in a guest: its init shuts down (or reboots) cleanly", (g) => `cad asks ${g}'s init to shut down (or reboot, as its inittab says). Send it?`);
export const haltCommand = guestVerb('halt', 'Halt a guest at once: the kernel stops, no userspace shutdown, filesystems left dirty', (g) => `halt stops ${g} now: no userspace shutdown, its filesystems need an fsck. Halt it?`);
export const rebootCommand = guestVerb('reboot', 'Reboot a guest at once: no userspace shutdown, filesystems left dirty', (g) => `reboot restarts ${g}'s kernel now: no userspace shutdown, its filesystems need an fsck. Reboot it?`);
export const pauseCommand = guestVerb('pause', 'Freeze a guest with MConsole stop: it answers only MConsole until go', undefined, [
  'The guest kernel sits in a loop serving MConsole requests; its consoles and network stop. umux go resumes it.',
]);
export const goCommand = guestVerb('go', 'Resume a guest frozen with pause (MConsole go)');

export const sysrqCommand: CommandSpec = {
  name: 'sysrq',
  summary: 'Send a magic SysRq letter to a guest (s sync, u remount read-only, b reboot, m memory, ...)',
  usage: `${guestTarget} LETTER`,
  runsIn: 'server',
  changes: 'guest',
  minArgs: 2,
  maxArgs: 2,
  options: [yesOption],
  confirm: ([g, letter]) => {
    const l = letter ?? '';
    if (SYSRQ_CRASHES[l]) return `${SYSRQ_CRASHES[l]}. Send sysrq ${l} to ${g} anyway?`;
    if (SYSRQ_DANGEROUS.has(l)) return `sysrq ${l} will ${SYSRQ_LETTERS[l]} in ${g}. Send it?`;
    return undefined;
  },
  details: ['Letters:', ...Object.entries(SYSRQ_LETTERS).map(([l, what]) => `  ${l}  ${what}${SYSRQ_DANGEROUS.has(l) ? ' (asks first)' : ''}`)],
};

export const killCommand: CommandSpec = {
  name: 'kill',
  summary: "SIGTERM to a guest's main pid (UML's own quick shutdown); --hard: SIGKILL to its whole process group",
  usage: guestTarget,
  runsIn: 'server',
  changes: 'guest',
  minArgs: 1,
  maxArgs: 1,
  options: [{ name: 'hard', summary: 'SIGKILL every process of the guest (pulls the plug)' }, yesOption],
  confirm: ([g]) => `kill ends ${g} without a clean shutdown: its filesystems need an fsck. Kill it?`,
};

export const configCommand: CommandSpec = {
  name: 'config',
  summary: 'Hot-plug a device into a running guest (ubd disk, eth, con/ssl console, mem), checked first and re-queried',
  usage: `${guestTarget} DEVICE=SPEC`,
  runsIn: 'server',
  changes: 'guest',
  minArgs: 2,
  maxArgs: 2,
  options: [yesOption],
  confirm: ([, spec]) => {
    try {
      return planConfig(spec ?? '').warning?.concat('. Go ahead?');
    } catch {
      return undefined; // the server explains the mistake
    }
  },
  details: [
    'ubdb=/abs/disk.img  ubdbr=... read-only  ubdb=/abs/cow,/abs/backing  (flags r s d c)',
    'eth0=mcast  eth0=tuntap,tap0  eth1=daemon,,unix,/var/run/uml-utilities/uml_switch.ctl  (tuntap ethertap daemon mcast slip slirp pcap)',
    'con2=pts  ssl1=pts  con3=tty:/dev/tty5  ssl2=port:9000 (listens on every interface: asks first)',
    'mem=48M sets the size (at most the mem= it booted with)  mem-=16M or mem=-16M unplugs  mem+=16M or mem=+16M plugs back',
    '  (UML 6.1 takes only mem=-SIZE and mem=+SIZE: umux computes them from the boot size and what it unplugged)',
    'Relative file names are made absolute against the working directory of the command (as umux mconsole does).',
    'After the request umux asks config DEVICE again and shows the answer.',
  ],
};

export const removeCommand: CommandSpec = {
  name: 'remove',
  summary: 'Unplug a device from a running guest (ubd, eth, con/ssl); refused while the guest uses it',
  usage: `${guestTarget} DEVICE`,
  runsIn: 'server',
  changes: 'guest',
  minArgs: 2,
  maxArgs: 2,
  options: [yesOption],
  confirm: ([g, dev]) => `remove ${dev} from ${g}? Anything in the guest still using it loses it.`,
};

export const backupCommand: CommandSpec = {
  name: 'backup',
  summary: "Online backup: pause the guest, sysrq s, sparse copy of its disks (or COW files), go",
  usage: guestTarget,
  runsIn: 'server',
  changes: 'guest',
  minArgs: 1,
  maxArgs: 1,
  options: [{ name: 'to', value: 'DIR', summary: 'where the copies go (default: the state directory, backups/NAME/TIME)' }],
  details: ['go is sent even when a copy fails. Where each copy went is in the reply and the guest\'s event log.'],
};

export const mcCommand: CommandSpec = {
  name: 'mc',
  summary: 'Send one MConsole command to a guest through the server (verbs checked, as umux mconsole does)',
  usage: `${guestTarget} COMMAND...`,
  runsIn: 'server',
  changes: 'guest',
  minArgs: 2,
  maxArgs: 'rest',
  optionsFirst: true,
  options: [],
  details: ['The reply is printed as uml_mconsole prints it: "OK ..." (exit 0) or "ERR ..." (exit 1). Example: umux mc web1 proc meminfo'],
};

export const cleanCommand: CommandSpec = {
  name: 'clean',
  summary: 'Remove the umid directory a dead guest left behind (stale socket and pid file), and end the port-helpers that keep its ports bound',
  usage: guestTarget,
  runsIn: 'server',
  changes: 'guest',
  minArgs: 1,
  maxArgs: 1,
  options: [],
};

export const tuiCommand: CommandSpec = {
  name: 'tui',
  summary: 'Open the full-screen view: guests, their consoles, the : command line, host memory (plain umux on a terminal)',
  usage: '',
  runsIn: 'client',
  changes: false,
  minArgs: 0,
  maxArgs: 0,
  options: [{ name: 'read-only', short: 'r', summary: 'watch only: typing is refused' }],
  details: ['Keys: the prefix (C-], or UMUX_PREFIX such as C-g) then n/p guest, c console, : command, ? help, d leave.'],
};

export const helpCommand: CommandSpec = {
  name: 'help',
  summary: 'List umux commands, or describe one',
  usage: '[COMMAND]',
  runsIn: 'client',
  changes: false,
  minArgs: 0,
  maxArgs: 1,
  options: [],
};

export const versionCommand: CommandSpec = {
  name: 'version',
  summary: 'Print the umux version',
  usage: '',
  runsIn: 'client',
  changes: false,
  minArgs: 0,
  maxArgs: 0,
  options: [],
};

/** Every command's machine-readable form (cli/json-output.ts): one JSON document on stdout, errors as JSON on stderr. */
export const JSON_OPTION: OptionSpec = { name: 'json', summary: 'print one JSON document (errors as JSON on stderr)' };

/** Adds --json to a command that does not describe its own. */
function withJson(spec: CommandSpec): CommandSpec {
  return spec.options.some((o) => o.name === 'json') ? spec : { ...spec, options: [...spec.options, JSON_OPTION] };
}

export const COMMANDS: readonly CommandSpec[] = [
  tuiCommand,
  lsCommand,
  startCommand,
  stopCommand,
  restartCommand,
  attachCommand,
  logCommand,
  sendCommand,
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

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}
