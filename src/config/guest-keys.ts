// The keys of a guest definition file (tmux's options_table style): one row per TOML key with its type, default
// and a one-line summary. Docs are generated from it; the parser takes its limits and its unknown-key list from it.

export const DEFAULT_KERNEL = '/usr/bin/linux';
export const DEFAULT_MEM = '128M';
export const CONSOLES_MAX = 15;
export const SERIALS_MAX = 8;
export const RESTART_DELAY_MAX_MS = 3_600_000;
export const RESTART_MAX_DELAY_MAX_MS = 86_400_000;
export const SCROLLBACK_MIN = 100;
export const SCROLLBACK_MAX = 100_000;
export const LOG_MAX_BYTES_MIN = 4096;
/** Rotated logs are read back up to CONSOLE.log.100 (consoles/log-files.ts MAX_ROTATED_PROBE). */
export const LOG_KEEP_MAX = 100;
export const CONSOLE_TRANSPORTS = ['socketpair', 'pty'] as const;
export type ConsoleTransport = (typeof CONSOLE_TRANSPORTS)[number];
/** Measured (issue 10): socketpairs carry a flood faster and need no nudging; ptys give the guest a window size. */
export const DEFAULT_CONSOLE_TRANSPORT: ConsoleTransport = 'socketpair';
/** Lines a definition may put on a TCP port (UML's con1..con15, ssl0..ssl63; con0 stays umux's). */
export const PORT_LINE_RE = /^(?:con(?:[1-9]|1[0-5])|ssl(?:[0-9]|[1-5][0-9]|6[0-3]))$/;
/** Ports a definition may give: below 1024 UML cannot bind unless run as root, and umux's guests are not. */
export const PORT_MIN = 1024;
export const PORT_MAX = 65535;

export interface GuestKey {
  /** The TOML key, snake_case. */
  key: string;
  type: string;
  /** The default, as a user would read it ('' when unset means "not used"). */
  default: string;
  summary: string;
  /** A line that sets it, for hints: `mem = "256M"`. */
  example: string;
}

export const GUEST_KEYS: readonly GuestKey[] = [
  { key: 'kernel', type: 'path', default: DEFAULT_KERNEL, summary: 'the UML kernel to run (an absolute path)', example: 'kernel = "/usr/bin/linux"' },
  { key: 'mem', type: 'size', default: DEFAULT_MEM, summary: "guest memory, UML's mem= (K, M or G)", example: 'mem = "256M"' },
  { key: 'umid', type: 'string', default: 'the file name', summary: "the guest's UML id: its directory under uml_dir", example: 'umid = "web1"' },
  { key: 'uml_dir', type: 'path', default: '~/.uml', summary: 'where UML keeps the umid directory (mconsole socket, pid)', example: 'uml_dir = "~/.uml"' },
  { key: 'disks', type: 'array of strings', default: '[]', summary: 'UML block devices: "ubda=root.img", "ubdbr=cow.img,backing.img"', example: 'disks = ["ubda=root.img"]' },
  { key: 'hostfs_root', type: 'path', default: '', summary: 'boot from this host directory over hostfs (it needs an /init or a init key)', example: 'hostfs_root = "/srv/roots/web1"' },
  { key: 'init', type: 'string', default: '', summary: "the guest's init program, init=", example: 'init = "/sbin/init"' },
  { key: 'args', type: 'array of strings', default: '[]', summary: 'other kernel arguments, one per string', example: 'args = ["quiet"]' },
  { key: 'consoles', type: 'integer', default: '1', summary: `extra consoles con1..conN beside con0 (0 to ${CONSOLES_MAX})`, example: 'consoles = 1' },
  { key: 'serials', type: 'integer', default: '1', summary: `serial lines ssl0..sslN-1 (0 to ${SERIALS_MAX})`, example: 'serials = 1' },
  {
    key: 'console_transport',
    type: CONSOLE_TRANSPORTS.join('|'),
    default: DEFAULT_CONSOLE_TRANSPORT,
    summary: 'what the consoles run on: pty gives the guest the window size of the pane that typed last (stty size, SIGWINCH)',
    example: 'console_transport = "pty"',
  },
  {
    key: 'lines',
    type: 'table of strings',
    default: '{}',
    summary: `consoles and serial lines on a TCP port instead of a socketpair, held by umux over TELNET: "port:N" (${PORT_MIN} to ${PORT_MAX}); UML listens on every address`,
    example: 'lines = { ssl0 = "port:9123" }',
  },
  { key: 'autostart', type: 'boolean', default: 'false', summary: 'start the guest when the server first starts after a host boot (a server started again leaves guests as they are)', example: 'autostart = true' },
  { key: 'restart', type: 'never|on-panic|always', default: 'never', summary: 'restart the guest after a panic, or after any exit', example: 'restart = "on-panic"' },
  { key: 'restart_delay_ms', type: 'integer', default: '1000', summary: 'first wait before a restart; doubles after each quick failure', example: 'restart_delay_ms = 1000' },
  { key: 'restart_max_delay_ms', type: 'integer', default: '60000', summary: 'longest wait before a restart', example: 'restart_max_delay_ms = 60000' },
  { key: 'cwd', type: 'path', default: "the file's directory", summary: 'working directory of the guest; relative disk paths start here', example: 'cwd = "/srv/uml/web1"' },
  { key: 'user', type: 'string', default: '', summary: 'host user to run the guest as when the server runs as root', example: 'user = "uml"' },
  { key: 'scrollback', type: 'integer', default: '2000', summary: `lines of history kept in memory per console (${SCROLLBACK_MIN} to ${SCROLLBACK_MAX})`, example: 'scrollback = 2000' },
  { key: 'log_timestamps', type: 'boolean', default: 'false', summary: 'prefix each line of the console logs with the time', example: 'log_timestamps = true' },
  { key: 'log_max_bytes', type: 'size', default: '16M', summary: 'rotate a console log at the last line end before this size', example: 'log_max_bytes = "16M"' },
  { key: 'log_keep', type: 'integer', default: '3', summary: `rotated console logs kept, CONSOLE.log.1 (newest) on (0 to ${LOG_KEEP_MAX})`, example: 'log_keep = 3' },
  {
    key: 'hooks',
    type: 'table',
    default: '{}',
    summary: 'programs run on panic, hang, exit, restart, memory or notify (argv lists; timeout_ms, default 30000); they replace server.toml\'s for that kind',
    example: 'hooks = { panic = ["/usr/local/bin/page-oncall"], timeout_ms = 10000 }',
  },
];

export const GUEST_KEY_NAMES: readonly string[] = GUEST_KEYS.map((k) => k.key);

/** The row of a key (it must be one of GUEST_KEYS). */
export function guestKey(key: string): GuestKey {
  const row = GUEST_KEYS.find((k) => k.key === key);
  if (!row) throw new Error(`no guest key ${key}`);
  return row;
}
