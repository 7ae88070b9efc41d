// Launches a managed UML guest (DESIGN.md §2, §4): the kernel command line for a hostfs root with con0 and extra
// consoles on socketpairs, a refusal of a umid in use, the spawn in its own process group, the SOCKET notification.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UmuxError, UsageError, type UmuxErrorCode } from '../core/errors.js';
import { checkSocketPath } from '../mconsole/dgram-socket.js';
import { NotifyListener } from '../mconsole/notify.js';
import { DEFAULT_KEEP_OUTPUT, describeExit, LaunchedGuest, type GuestExit } from './launched-guest.js';
import { groupMembers, processExists, processName } from './process-group.js';
import { requireUmlKernel, UML_KERNEL } from './uml-env.js';
import { makeDirs } from '../files/make-dirs.js';
import { spawnChildGuest, type GuestProcess, type GuestSpawner } from './guest-process.js';

export { LaunchedGuest, type GuestExit } from './launched-guest.js';

export const DEFAULT_MEM = '64M';
export const DEFAULT_BOOT_TIMEOUT_MS = 15_000;
/** UML has con0..con15 (MAX_TTYS 16): con0 plus at most 15 extra consoles. */
export const MAX_EXTRA_CONSOLES = 15;

/** Serial lines a managed guest may have on socketpairs. */
export const MAX_SERIALS = 8;

/** A line UML serves on a TCP port (`ssl0=port:9123`) instead of an fd channel. */
export interface PortLineSpec {
  name: string;
  port: number;
}

/**
 * The fd channel names of a managed guest's consoles, in fd order: con0, con1..conN, ssl0..sslM-1, less the lines
 * that are on a port (`ports`).
 */
export function consoleNames(consoles: number, serials: number, ports: readonly PortLineSpec[] = []): string[] {
  const onPort = new Set(ports.map((p) => p.name));
  return ['con0', ...Array.from({ length: consoles }, (_, i) => `con${i + 1}`), ...Array.from({ length: serials }, (_, i) => `ssl${i}`)].filter((n) => !onPort.has(n));
}

/** conN=fd:K and sslN=fd:K for the fd channels after con0 (stdio index K, from 3 up), then NAME=port:N. */
function consoleArgs(consoles: number, serials: number, ports: readonly PortLineSpec[]): string[] {
  const fds = consoleNames(consoles, serials, ports).slice(1).map((name, i) => `${name}=fd:${i + 3}`);
  return [...fds, ...ports.map((p) => `${p.name}=port:${p.port}`)];
}

/**
 * The directory of umux's `in.telnetd` shim, put first on the PATH of a guest with port lines: UML runs
 * `in.telnetd -L /usr/lib/uml/port-helper` for each connection, and Debian 12 ships no telnetd that takes -L; the
 * shim runs busybox-static's telnetd instead (findings §4). Two levels up from src/guests/ and dist/guests/ alike.
 */
export const PORT_SHIM_DIR = fileURLToPath(new URL('../../libexec/uml/', import.meta.url)).replace(/\/$/, '');

/** `env` with the shim directory first on its PATH. */
export function withPortShim(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...env, PATH: `${PORT_SHIM_DIR}:${env['PATH'] || '/usr/local/bin:/usr/bin:/bin'}` };
}

export interface UmlCommandLineOptions {
  umid: string;
  /** UML_DIR: UML creates UML_DIR/UMID holding `mconsole` and `pid`. */
  umlDir: string;
  /** Host directory that becomes the guest's `/` over hostfs; it must hold an executable `/init`. */
  root?: string;
  /** init= for the guest; default /init with a hostfs root, the kernel's own choice otherwise. */
  init?: string;
  /** Serial lines ssl0..sslN-1 on the fds after the extra consoles; default 0. */
  serials?: number;
  /** Where UML sends its notifications: `mconsole=notify:PATH`. */
  notifySocket: string;
  /** Guest memory, as UML writes it (64M, 1G); default 64M. */
  mem?: string;
  /** Extra consoles con1..conN on the child's fds 3..N+2; default 0. */
  consoles?: number;
  /** Lines on a TCP port instead of an fd channel (they take none of the fds). */
  ports?: readonly PortLineSpec[];
  /** Appended as they are, after everything else. */
  extraArgs?: string[];
}

function badArg(what: string, value: string, hint: string): UsageError {
  return new UsageError(`${what} ${JSON.stringify(value)} cannot go on a UML command line`, { hint });
}

/** The kernel arguments for a managed guest (pure; throws UsageError on values UML would misread). */
export function umlCommandLine(opts: UmlCommandLineOptions): string[] {
  // UMID_LEN is 64 with its NUL; a '/' would leave UML_DIR.
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,62}$/.test(opts.umid)) {
    throw badArg('umid', opts.umid, 'use up to 63 letters, digits, dots, dashes and underscores');
  }
  const mem = opts.mem ?? DEFAULT_MEM;
  if (!/^[1-9]\d*[KMG]?$/.test(mem)) throw badArg('mem', mem, 'write a size the way UML does: 64M, 1G, 262144K');
  const consoles = opts.consoles ?? 0;
  if (!Number.isInteger(consoles) || consoles < 0 || consoles > MAX_EXTRA_CONSOLES) {
    throw new UsageError(`${consoles} extra consoles asked for, UML has room for 0 to ${MAX_EXTRA_CONSOLES}`);
  }
  const serials = opts.serials ?? 0;
  if (!Number.isInteger(serials) || serials < 0 || serials > MAX_SERIALS) {
    throw new UsageError(`${serials} serial lines asked for, umux gives a guest 0 to ${MAX_SERIALS}`);
  }
  // UML joins argv with spaces and splits it again; hostfs= takes `ROOT,options`.
  const paths: Array<[string, string | undefined]> = [['uml_dir', opts.umlDir], ['notify socket', opts.notifySocket]];
  if (opts.root !== undefined) paths.push(['hostfs root', opts.root]);
  for (const [what, value] of paths) {
    if (value === '' || /\s/.test(value!)) throw badArg(what, value!, 'use a non-empty path without spaces');
  }
  if (opts.root?.includes(',')) throw badArg('hostfs root', opts.root, 'use a path without commas');
  const init = opts.init ?? (opts.root !== undefined ? '/init' : undefined);
  return [
    `mem=${mem}`, `umid=${opts.umid}`, `uml_dir=${opts.umlDir}`,
    ...(opts.root !== undefined ? ['rootfstype=hostfs', `hostfs=${opts.root}`, 'root=/dev/root', 'rw'] : []),
    ...(init !== undefined ? [`init=${init}`] : []),
    'con=null', 'ssl=null', 'con0=fd:0,fd:1',
    ...consoleArgs(consoles, serials, opts.ports ?? []),
    `mconsole=notify:${opts.notifySocket}`,
    ...(opts.extraArgs ?? []),
  ];
}

export interface LaunchOptions extends Omit<UmlCommandLineOptions, 'notifySocket'> {
  /** A listener to watch for the SOCKET notification (the server's shared one, a test's). Not owned by the guest. */
  notify?: NotifyListener;
  /** Without `notify`: where the guest's own listener binds; default UML_DIR/UMID.notify. */
  notifySocket?: string;
  /** Default /usr/bin/linux. */
  kernel?: string;
  /** Limit on the wait for the SOCKET notification; default 15000. */
  timeoutMs?: number;
  /** Characters of con0 text output() keeps (Infinity: all); default 1 MiB. */
  keepOutput?: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run the guest as this host user (when the server runs as root). */
  uid?: number;
  gid?: number;
  /** Called once the kernel process exists, before the boot completes (to record its pid). */
  onSpawn?: (pid: number) => void;
  /**
   * What the consoles' fds are: socketpairs (default; no window size) or ptys, one per console, whose size the
   * guest sees (`stty size`) and whose resizes reach it as SIGWINCH.
   */
  transport?: 'socketpair' | 'pty';
  /** The ptys' first size; default 80x24. */
  size?: { cols: number; rows: number };
  /** Who starts the kernel and holds its consoles: this process by default, the server's keeper for the server. */
  spawner?: GuestSpawner;
}

/** A launch that failed after the spawn: the message carries the exit status and the tails of con0 and stderr. */
export class LaunchError extends UmuxError {
  constructor(
    code: UmuxErrorCode,
    message: string,
    hint: string,
    readonly umid: string,
    readonly pid: number,
    readonly output: string,
    readonly stderr: string,
    readonly exit: GuestExit | undefined,
  ) {
    super(code, message, { hint });
    this.name = 'LaunchError';
  }
}

/** The last `max` characters of `text` as one line (line breaks become ` | `). */
export function oneLineTail(text: string, max = 240): string {
  const line = text.replace(/\r/g, '').split('\n').map((l) => l.trim()).filter(Boolean).join(' | ');
  if (line === '') return '(nothing)';
  return line.length > max ? '…' + line.slice(-max) : line;
}

/** The pid in UML_DIR/UMID/pid when it names an existing process (the test UML applies), else undefined. */
export function umidHolder(umlDir: string, umid: string): number | undefined {
  let text: string;
  try {
    text = fs.readFileSync(path.join(umlDir, umid, 'pid'), 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 && processExists(pid) ? pid : undefined;
}

/** The files UML keeps in a umid directory; it removes them itself on a clean exit, not after a SIGKILL. */
const UMID_DIR_FILES = ['mconsole', 'pid'];

/**
 * Removes a umid directory UML left behind (its files, then the directory); false when it holds other files or is
 * no plain directory (a symlink planted in a uml_dir the guest's user owns must not steer what root removes).
 */
export function removeUmidDir(dir: string): boolean {
  try {
    if (!fs.lstatSync(dir).isDirectory()) return false;
    for (const f of UMID_DIR_FILES) fs.rmSync(path.join(dir, f), { force: true });
    fs.rmdirSync(dir);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return true;
    if (code === 'ENOTEMPTY' || code === 'EEXIST') return false;
    throw new UmuxError('io', `cannot remove the umid directory ${dir}: ${code ?? (err as Error).message}`, { hint: 'look at it and remove it by hand', cause: err });
  }
}

/**
 * Clears UML_DIR/UMID when the guest that made it is dead but still answers kill(pid, 0): a zombie nobody reaps
 * (its server was killed and PID 1 here does not reap). UML would call the umid in use and boot under a random one.
 * Refuses while processes of the old guest's group are alive: they still hold its memory file.
 */
export function clearDeadUmidDir(umlDir: string, umid: string): void {
  const dir = path.join(umlDir, umid);
  const pid = readPid(dir);
  if (pid === undefined || !Number.isInteger(pid) || pid <= 1 || processExists(pid)) return;
  const left = groupMembers(pid);
  if (left.length > 0) {
    throw new UmuxError('busy', `umid ${umid}: the last guest (pid ${pid}) is gone but its processes ${left.join(' ')} are still running`, {
      hint: `kill them (kill -9 -${pid}), then start it again`,
    });
  }
  if (!removeUmidDir(dir)) {
    throw new UmuxError('busy', `umid ${umid}: ${dir} is left from a dead guest but holds more than UML's files (or is no directory)`, { hint: 'look at it and remove it by hand' });
  }
}

function readPid(dir: string): number | undefined {
  try {
    return Number(fs.readFileSync(path.join(dir, 'pid'), 'utf8').trim());
  } catch {
    return undefined;
  }
}

function failure(guest: LaunchedGuest, code: UmuxErrorCode, what: string, hint: string): LaunchError {
  const out = guest.output().slice(-4000);
  const err = guest.stderr().slice(-4000);
  const message = `${what}; stderr: ${oneLineTail(err)}; con0: ${oneLineTail(out)}`;
  return new LaunchError(code, message, hint, guest.umid, guest.pid, out, err, guest.exit);
}

function exitHint(guest: LaunchedGuest): string {
  const tempdir = /tempdir (\S+) is not on tmpfs/.exec(guest.stderr());
  if (tempdir && guest.exit?.code !== 0) {
    return `UML keeps guest memory in ${tempdir[1]}: it must exist (fix TMPDIR, or unset it to use /dev/shm)`;
  }
  if (/Kernel panic/.test(guest.output())) return 'the guest kernel panicked early: read its console';
  return 'run the same kernel command line by hand to see all it prints';
}

/** Resolves with the mconsole path once the guest's SOCKET notification arrives; rejects on exit or timeout. */
function waitForSocket(guest: LaunchedGuest, notify: NotifyListener, umlDir: string, timeoutMs: number): Promise<string> {
  const expected = path.join(umlDir, guest.umid, 'mconsole');
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sub.dispose();
      fn();
    };
    // A shared listener hears every guest: ours is the one whose umid directory names our pid.
    const sub = notify.onNotification((n) => {
      if (n.type !== 'socket') return;
      const pid = readPid(path.dirname(n.data));
      if (pid === guest.pid || (pid === undefined && n.data === expected)) finish(() => resolve(n.data));
    });
    const timer = setTimeout(() => {
      const what = `guest ${guest.umid} sent no mconsole SOCKET notification within ${timeoutMs} ms`;
      finish(() => reject(failure(guest, 'timeout', what, 'a loaded host boots slowly: allow a longer boot timeout')));
    }, timeoutMs);
    void guest.exited.then((exit) => {
      const what = `guest ${guest.umid} exited (${describeExit(exit)}) before its mconsole came up`;
      finish(() => reject(failure(guest, 'guest-error', what, exitHint(guest))));
    });
  });
}

/**
 * Boots a guest and resolves once its mconsole is up (SOCKET notification). On any failure after the spawn the
 * guest's process group is killed before the error propagates.
 */
export async function launchGuest(opts: LaunchOptions): Promise<LaunchedGuest> {
  const kernel = requireUmlKernel(opts.kernel ?? UML_KERNEL);
  const umlDir = path.resolve(opts.umlDir);
  const root = opts.root === undefined ? undefined : path.resolve(opts.root);
  const notifySocket = opts.notify?.path ?? path.resolve(opts.notifySocket ?? path.join(umlDir, `${opts.umid}.notify`));
  const args = umlCommandLine({ ...opts, umlDir, root, notifySocket });
  checkSocketPath(path.join(umlDir, opts.umid, 'mconsole'), 'mconsole socket');
  if (root !== undefined && opts.init === undefined && !fs.existsSync(path.join(root, 'init'))) {
    throw new UmuxError('io', `hostfs root ${root} has no /init`, { hint: 'the guest runs /init: build the root first' });
  }
  // UML would print "umid ... is already in use" and boot under a random umid (findings §8).
  const holder = umidHolder(umlDir, opts.umid);
  if (holder !== undefined) {
    const name = processName(holder);
    throw new UmuxError('busy', `umid ${opts.umid} is in use by pid ${holder}${name ? ` (${name})` : ''}`, {
      hint: `stop that guest or pick another umid; if it is no guest, remove ${path.join(umlDir, opts.umid)}`,
    });
  }
  clearDeadUmidDir(umlDir, opts.umid);
  makeDirs(umlDir, 'uml_dir');
  const owned = opts.notify ? undefined : NotifyListener.bind(notifySocket);
  // A guest run as another user must be able to send to the socket (the seed's jail setup chowns it likewise).
  if (owned && opts.uid !== undefined) fs.chownSync(notifySocket, opts.uid, opts.gid ?? -1);
  const notify = opts.notify ?? owned!;
  const env = opts.ports?.length ? withPortShim(opts.env ?? process.env) : opts.env;
  let proc: GuestProcess;
  try {
    proc = await (opts.spawner ?? spawnChildGuest)({
      file: kernel,
      args,
      cwd: opts.cwd,
      env,
      uid: opts.uid,
      gid: opts.gid,
      consoles: consoleNames(opts.consoles ?? 0, opts.serials ?? 0, opts.ports),
      transport: opts.transport ?? 'socketpair',
      size: opts.size,
    });
  } catch (err) {
    owned?.dispose();
    throw err;
  }
  const guest = new LaunchedGuest(opts.umid, proc, notify, owned, opts.keepOutput ?? DEFAULT_KEEP_OUTPUT);
  try {
    opts.onSpawn?.(guest.pid); // synchronous, like the subscription below: no notification can slip past
    guest.started(await waitForSocket(guest, notify, umlDir, opts.timeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS));
    if (guest.dir !== path.join(umlDir, opts.umid)) {
      throw failure(guest, 'busy', `umid ${opts.umid} was taken while guest booted, UML used ${guest.dir}`, 'pick another umid');
    }
    return guest;
  } catch (err) {
    await guest.kill().catch(() => undefined);
    // A guest that booted under a random umid (ours was taken) leaves that directory behind after the SIGKILL.
    if (guest.socket !== '' && guest.dir !== path.join(umlDir, opts.umid) && path.dirname(guest.dir) === umlDir && guest.exit !== undefined) {
      try {
        removeUmidDir(guest.dir);
      } catch {
        // Left for a look: the launch error that follows says more than a failed cleanup would.
      }
    }
    throw err;
  }
}
