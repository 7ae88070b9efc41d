// A guest definition (`NAME.toml`): parsed with smol-toml, every key checked and given its default, paths made
// absolute. Every mistake is a ConfigError naming the file, the key, what was expected and what was found.

import path from 'node:path';
import { ConfigError, parseTomlFile } from './config-error.js';
import * as K from './guest-keys.js';
import { closeMatches, lineOfKey, orList, parseSize, showTyped, showValue, tomlType } from './toml-values.js';
import { Fields } from './toml-fields.js';
import { noHooks, parseHooks, type HookConfig } from './hooks-config.js';
import { checkArgs, parseDisk, UMID_RE, UMID_WHAT } from './uml-args.js';

export { GUEST_KEYS, type GuestKey } from './guest-keys.js';

export type RestartPolicy = 'never' | 'on-panic' | 'always';
export const RESTART_POLICIES: readonly RestartPolicy[] = ['never', 'on-panic', 'always'];

export interface GuestDef {
  /** The file name without .toml. */
  name: string;
  /** Absolute path of the definition file. */
  file: string;
  kernel: string;
  /** As UML writes it: 64M, 1G, 262144K. */
  mem: string;
  umid: string;
  umlDir: string;
  /** UML ubd specs with absolute file names: `ubda=/abs/root.img`, `ubdbr=/abs/cow,/abs/backing`. */
  disks: string[];
  /** When set, the guest boots this host directory over hostfs (rootfstype=hostfs hostfs=DIR root=/dev/root rw). */
  hostfsRoot?: string;
  /** init=... */
  init?: string;
  /** Other kernel arguments, as given. */
  args: string[];
  /** Extra consoles con1..conN on fd channels. */
  consoles: number;
  /** Serial lines ssl0..sslN-1 on fd channels. */
  serials: number;
  /** What those fd channels are: socketpairs, or ptys with a window size. */
  consoleTransport: K.ConsoleTransport;
  /** Lines on a TCP port (`lines = { ssl0 = "port:9123" }`), by line name; they take no fd channel. */
  ports: PortLine[];
  autostart: boolean;
  restart: RestartPolicy;
  /** First wait before a restart; it doubles up to restartMaxDelayMs. */
  restartDelayMs: number;
  restartMaxDelayMs: number;
  cwd: string;
  /** Host user to run as when the server runs as root. */
  user?: string;
  scrollback: number;
  logTimestamps: boolean;
  /** Console log rotation size, bytes. */
  logMaxBytes: number;
  /** Rotated console logs kept (log_keep). */
  logKeep: number;
  /** Programs run on this guest's events (server/hooks.ts); a kind set here replaces server.toml's. */
  hooks: HookConfig;
}

/** A console or serial line UML serves on a TCP port (`ssl0=port:9123`), held by umux over TELNET. */
export interface PortLine {
  name: string;
  port: number;
}

export interface ParseGuestOptions {
  /** The home directory `~` stands for. */
  home: string;
}

const USER_RE = /^(?:[A-Za-z_][A-Za-z0-9._-]{0,31}\$?|\d+)$/;

function unknownKey(text: string, file: string, key: string): ConfigError {
  const matches = closeMatches(key, K.GUEST_KEY_NAMES);
  const shown = /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
  const detail = matches.length > 0 ? `unknown key (did you mean ${orList(matches)}?)` : 'unknown key';
  return new ConfigError(file, shown, detail, {
    line: lineOfKey(text, key),
    hint: matches.length > 0
      ? `rename it to ${matches[0]} in ${file}, or remove it`
      : `remove it from ${file}; the keys are ${K.GUEST_KEY_NAMES.join(', ')}`,
  });
}

/** Parses and checks one guest definition; `file` is its path (made absolute). Throws ConfigError. */
export function parseGuestDef(text: string, file: string, opts: ParseGuestOptions): GuestDef {
  const abs = path.resolve(file);
  const table = parseTomlFile(text, abs);
  for (const key of Object.keys(table)) if (!K.GUEST_KEY_NAMES.includes(key)) throw unknownKey(text, abs, key);
  const f = new Fields(text, abs, table, opts.home);

  const name = path.basename(abs).replace(/\.toml$/, '');
  if (!UMID_RE.test(name)) {
    throw new ConfigError(abs, '', `expected a file name of ${UMID_WHAT}, got ${JSON.stringify(name)}`, {
      hint: `rename ${abs}: the guest's name is its file name without .toml`,
    });
  }
  const dir = path.dirname(abs);
  const cwd = f.path('cwd', dir, 'a directory path') ?? dir;
  const boot = readBoot(f, cwd, name, opts.home);
  const hostfsRoot = boot.hostfsRoot;
  return {
    name, file: abs, cwd,
    kernel: boot.kernel, mem: boot.mem, umid: boot.umid, umlDir: boot.umlDir, disks: readDisks(f, cwd),
    ...(hostfsRoot === undefined ? {} : { hostfsRoot }),
    ...(boot.init === undefined ? {} : { init: boot.init }),
    args: boot.args,
    ...readConsoles(f),
    ...readRestart(f),
    ...readLogging(f),
    hooks: f.has('hooks') ? parseHooks(f.get('hooks'), text, abs) : noHooks(),
  };
}

/** What UML is started with: kernel, mem=, umid=, uml_dir=, a hostfs root, init= and the other kernel arguments. */
function readBoot(f: Fields, cwd: string, name: string, home: string) {
  const kernelWhat = 'an absolute path such as /usr/bin/linux';
  const kernelText = f.string('kernel', kernelWhat);
  let kernel = K.DEFAULT_KERNEL;
  if (kernelText !== undefined) {
    if (!kernelText.startsWith('/') && kernelText !== '~' && !kernelText.startsWith('~/')) {
      throw f.fail('kernel', kernelWhat, showValue(kernelText), `give the kernel's full path (\`command -v linux\` finds it), e.g. ${K.guestKey('kernel').example}`);
    }
    kernel = f.expand('kernel', kernelText, cwd, kernelWhat);
  }

  const memWhat = 'a size such as 256M or 1G';
  const memText = f.string('mem', memWhat) ?? K.DEFAULT_MEM;
  if (!/^[1-9]\d*[KMGkmg]$/.test(memText)) throw f.fail('mem', memWhat, showValue(memText));

  const umid = f.string('umid', UMID_WHAT) ?? name;
  if (!UMID_RE.test(umid)) throw f.fail('umid', UMID_WHAT, showValue(umid));
  const umlDir = f.path('uml_dir', cwd, 'a directory path without spaces', /\s/) ?? path.join(home, '.uml');

  const hostfsRoot = f.path('hostfs_root', cwd, 'a directory path without spaces or commas', /[\s,]/);
  const initWhat = 'an absolute path inside the guest such as /sbin/init';
  const init = f.string('init', initWhat);
  if (init !== undefined && !/^\/\S*$/.test(init)) throw f.fail('init', initWhat, showValue(init));

  const args = f.strings('args', 'a list of kernel arguments such as ["quiet"]');
  const argProblem = checkArgs(args, hostfsRoot !== undefined);
  if (argProblem) throw f.fail('args', argProblem.what, showValue(argProblem.arg), argProblem.hint);
  return { kernel, mem: memText.toUpperCase(), umid, umlDir, hostfsRoot, init, args };
}

/** `disks`: each a UML disk spec with its files made absolute, each device once. */
function readDisks(f: Fields, cwd: string): string[] {
  const diskWhat = 'a UML disk such as "ubda=root.img" or "ubdbr=cow.img,backing.img"';
  const seen = new Map<number, string>();
  return f.strings('disks', 'a list of UML disks such as ["ubda=root.img"]').map((spec) => {
    const expand = (p: string): string => f.expand('disks', p, cwd, diskWhat);
    const disk = parseDisk(spec, expand);
    if (!disk || /[\s,:]/.test(disk.files.join(''))) throw f.fail('disks', diskWhat, showValue(spec));
    const before = seen.get(disk.device);
    if (before !== undefined) throw f.fail('disks', 'each device once', `${showValue(spec)} after ${showValue(before)}`);
    seen.set(disk.device, spec);
    return disk.spec;
  });
}

/** The console lines umux opens, how, and the port lines. */
function readConsoles(f: Fields) {
  const consoles = f.integer('consoles', 1, 0, K.CONSOLES_MAX, `a whole number from 0 to ${K.CONSOLES_MAX}`);
  const serials = f.integer('serials', 1, 0, K.SERIALS_MAX, `a whole number from 0 to ${K.SERIALS_MAX}`);
  const transportWhat = orList(K.CONSOLE_TRANSPORTS);
  const transportText = f.string('console_transport', transportWhat) ?? K.DEFAULT_CONSOLE_TRANSPORT;
  if (!(K.CONSOLE_TRANSPORTS as readonly string[]).includes(transportText)) throw f.fail('console_transport', transportWhat, showValue(transportText));
  return { consoles, serials, consoleTransport: transportText as K.ConsoleTransport, ports: readPortLines(f) };
}

/** Autostart, the restart policy and its delays, and the host user it runs as. */
function readRestart(f: Fields) {
  const autostart = f.boolean('autostart', false);
  const restartWhat = orList(RESTART_POLICIES);
  const restartText = f.string('restart', restartWhat) ?? 'never';
  if (!(RESTART_POLICIES as readonly string[]).includes(restartText)) throw f.fail('restart', restartWhat, showValue(restartText));

  const msWhat = (max: number): string => `a whole number of milliseconds from 0 to ${max}`;
  const restartDelayMs = f.integer('restart_delay_ms', 1000, 0, K.RESTART_DELAY_MAX_MS, msWhat(K.RESTART_DELAY_MAX_MS));
  const maxFallback = Math.max(60_000, restartDelayMs);
  const restartMaxDelayMs = f.integer('restart_max_delay_ms', maxFallback, 0, K.RESTART_MAX_DELAY_MAX_MS, msWhat(K.RESTART_MAX_DELAY_MAX_MS));
  if (restartMaxDelayMs < restartDelayMs) {
    throw f.fail('restart_max_delay_ms', `at least restart_delay_ms (${restartDelayMs})`, String(restartMaxDelayMs));
  }

  const user = f.string('user', 'a host user name such as uml');
  if (user !== undefined && !USER_RE.test(user)) throw f.fail('user', 'a host user name such as uml', showValue(user));
  return { autostart, restart: restartText as RestartPolicy, restartDelayMs, restartMaxDelayMs, ...(user === undefined ? {} : { user }) };
}

/** Scrollback and the console log files: timestamps, size before rotation, files kept. */
function readLogging(f: Fields) {
  const scrollback = f.integer('scrollback', 2000, K.SCROLLBACK_MIN, K.SCROLLBACK_MAX, `a whole number of lines from ${K.SCROLLBACK_MIN} to ${K.SCROLLBACK_MAX}`);
  const logTimestamps = f.boolean('log_timestamps', false);
  const logMaxBytes = readLogMaxBytes(f);
  const logKeep = f.integer('log_keep', 3, 0, K.LOG_KEEP_MAX, `a whole number of files from 0 to ${K.LOG_KEEP_MAX}`);
  return { scrollback, logTimestamps, logMaxBytes, logKeep };
}

function lineOrder(name: string): number {
  return (name.startsWith('ssl') ? 100 : 0) + Number(name.slice(3));
}

/** `lines = { ssl0 = "port:9123" }`: each name a line UML has (not con0), each value port:N, each port once. */
function readPortLines(f: Fields): PortLine[] {
  if (!f.has('lines')) return [];
  const table = f.get('lines');
  if (tomlType(table) !== 'table') throw f.fail('lines', 'a table such as { ssl0 = "port:9123" }', showTyped(table));
  const lines: PortLine[] = [];
  const portWhat = `"port:N" with N from ${K.PORT_MIN} to ${K.PORT_MAX}`;
  for (const [name, value] of Object.entries(table as Record<string, unknown>)) {
    if (!K.PORT_LINE_RE.test(name)) {
      const hint = name === 'con0' ? 'con0 stays on umux\'s own socketpair (the boot messages go there): use con1 or an sslN' : 'name a line UML has: con1 to con15, ssl0 to ssl63';
      throw f.fail('lines', 'a line con1..con15 or ssl0..ssl63', showValue(name), hint);
    }
    const m = typeof value === 'string' ? /^port:(\d{1,5})$/.exec(value) : null;
    const port = m ? Number(m[1]) : NaN;
    if (!(port >= K.PORT_MIN && port <= K.PORT_MAX)) throw f.fail('lines', `${name} = ${portWhat}`, typeof value === 'string' ? showValue(value) : showTyped(value));
    const twin = lines.find((l) => l.port === port);
    if (twin) throw f.fail('lines', `a port of its own for ${name}`, `port ${port}, which ${twin.name} has too`, 'UML binds each port once: give each line another port');
    lines.push({ name, port });
  }
  return lines.sort((a, b) => lineOrder(a.name) - lineOrder(b.name));
}

function readLogMaxBytes(f: Fields): number {
  if (!f.has('log_max_bytes')) return 16 * 1024 * 1024;
  const what = 'a size of at least 4K such as 16M, or a number of bytes';
  const value = f.get('log_max_bytes');
  let bytes: number | undefined;
  if (typeof value === 'string') bytes = parseSize(value);
  else if (typeof value === 'bigint') bytes = value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : undefined;
  else throw f.fail('log_max_bytes', what, showTyped(value));
  if (bytes === undefined || bytes < K.LOG_MAX_BYTES_MIN) throw f.fail('log_max_bytes', what, showValue(value));
  return bytes;
}
