// `umux demo`: three small real UML guests (busybox hostfs roots built on the spot; demo2 with an extra console,
// demo3 panicking a little after boot). On a terminal: a private server and the TUI; piped: the MConsole prompt.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UmuxError } from '../core/errors.js';
import { EXIT } from '../core/exit-codes.js';
import type { ParsedCommand } from '../commands/types.js';
import { buildRootfs } from '../guests/rootfs.js';
import { launchGuest, type LaunchedGuest } from '../guests/launch.js';
import { waitConsolesReady } from '../guests/ready.js';
import { checkUmlHost } from '../guests/uml-env.js';
import { MconsoleClient } from '../mconsole/client.js';
import { resolveGuest } from '../mconsole/resolve.js';
import { groupMembers, killGroup, waitGroupGone } from '../guests/process-group.js';
import { findKeeperPid } from '../guests/keeper-process.js';
import { SERVER_LOCK } from '../protocol/locations.js';
import { MconsoleSession, type SessionIO } from './mconsole-session.js';
import { runInteractive } from './mconsole-tool.js';
import { makeDirs } from '../files/make-dirs.js';
import { printErr, printOut } from '../term/print.js';

/** Three guests booting at once on a busy host (CI runs two test files at a time) can take their consoles a while. */
const DEMO_READY_MS = 60_000;

const PANIC_AFTER_S = 30;
const DEMO_DISK_BYTES = 8 * 2 ** 20;

/** Seconds before demo3's init exits (UMUX_DEMO_PANIC_S overrides, for tests). */
function panicAfter(): number {
  const raw = process.env['UMUX_DEMO_PANIC_S'];
  const n = raw === undefined ? PANIC_AFTER_S : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : PANIC_AFTER_S;
}

/** A private umux world for the demo on a terminal: its own server, three guest definitions that autostart. */
export interface DemoWorld {
  env: NodeJS.ProcessEnv;
  /** The temporary directory holding everything of the demo. */
  base: string;
  banner: string;
  /** Stops the demo's server and guests and removes every file. */
  cleanup(): Promise<void>;
}

export function prepareDemoWorld(): DemoWorld {
  ensureUmlHost(printOut);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'umux-demo-'));
  const dirs = { sock: path.join(base, 'sock'), state: path.join(base, 'state'), cfg: path.join(base, 'cfg'), uml: path.join(base, 'uml'), hand: path.join(base, 'hand') };
  for (const d of [dirs.cfg, dirs.uml, dirs.hand]) makeDirs(d, 'demo directory');
  const secs = panicAfter();
  const plain = buildRootfs({ dir: path.join(base, 'root'), consoleGetty: true });
  const serial = buildRootfs({ dir: path.join(base, 'root-serial'), gettys: ['ttyS0'], consoleGetty: true });
  const panicky = buildRootfs({
    dir: path.join(base, 'root-panic'),
    commands: [`echo "demo3: init will exit in ${secs} s and the kernel will panic"`, `sleep ${secs}`],
    panic: true,
  });
  // Each guest gets a small empty disk as ubda: without one, UML looks for ./root_fs and prints "Failed to initialize
  // ubd device 0" into the first screen. Sparse: it costs no space.
  const disk = (name: string) => {
    const file = path.join(base, `${name}.img`);
    fs.closeSync(fs.openSync(file, 'w', 0o600));
    fs.truncateSync(file, DEMO_DISK_BYTES);
    return file;
  };
  const def = (name: string, root: string, extra: string) =>
    `mem = "64M"\numl_dir = "${dirs.uml}"\nhostfs_root = "${root}"\ndisks = ["ubda=${disk(name)}"]\nargs = ["umux_guest=${name}"]\nautostart = true\n${extra}`;
  fs.writeFileSync(path.join(dirs.cfg, 'demo1.toml'), def('demo1', plain.dir, 'consoles = 0\nserials = 0\n'));
  fs.writeFileSync(path.join(dirs.cfg, 'demo2.toml'), def('demo2', serial.dir, 'consoles = 0\nserials = 1\n'));
  fs.writeFileSync(path.join(dirs.cfg, 'demo3.toml'), def('demo3', panicky.dir, 'consoles = 0\nserials = 0\n'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    UMUX_SOCKET_DIR: dirs.sock,
    UMUX_STATE_DIR: dirs.state,
    UMUX_CONFIG_DIR: dirs.cfg,
    UMUX_UML_DIRS: dirs.hand,
    UMUX_AUTOSTART_DELAY_MS: '0',
  };
  const cleanup = async () => {
    try {
      const pid = Number(fs.readFileSync(path.join(dirs.sock, SERVER_LOCK), 'utf8').trim());
      if (pid > 0) process.kill(pid, 'SIGTERM');
    } catch {
      // no server
    }
    const pids: number[] = [];
    for (const umid of fs.existsSync(dirs.uml) ? fs.readdirSync(dirs.uml) : []) {
      try {
        pids.push(Number(fs.readFileSync(path.join(dirs.uml, umid, 'pid'), 'utf8').trim()));
      } catch {
        // no pid file
      }
    }
    for (const pid of pids) if (pid > 0 && groupMembers(pid).length > 0) killGroup(pid, 'SIGKILL');
    const keeper = findKeeperPid(dirs.sock); // it holds nothing now; it would leave by itself within seconds
    if (keeper !== undefined) process.kill(keeper, 'SIGTERM');
    // Everything that matters happens before the first await: a process exiting on a lost terminal may not wait.
    fs.rmSync(base, { recursive: true, force: true });
    await Promise.all(pids.map((pid) => waitGroupGone(pid, 5000)));
  };
  // One status line at 80 columns.
  const banner = `demo3 panics in ${secs} s, C-] r recovers · C-] g memory · C-] ? keys · C-] d ends`;
  return { env, base, banner, cleanup };
}

/** Installs the UML kernel and busybox when root and missing; otherwise says exactly what to run. */
function ensureUmlHost(write: (text: string) => void): void {
  let check = checkUmlHost();
  if (check.missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new UmuxError('io', `umux demo needs the UML kernel and a static busybox; missing: ${check.missing.join(', ')}`, {
      hint: `as root: ${check.install}`,
    });
  }
  write(`umux demo: installing ${check.missing.join(' ')} (${check.install})\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...check.missing]]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env, timeout: 15 * 60_000 });
    if (r.status !== 0) {
      throw new UmuxError('io', `apt-get ${args[0]} failed (${r.error ? r.error.message : `exit ${r.status}`})`, {
        hint: `run it yourself: ${check.install}`,
      });
    }
  }
  check = checkUmlHost();
  if (check.missing.length > 0) throw new UmuxError('io', `still missing after apt-get: ${check.missing.join(', ')}`);
}

export async function runDemo(_parsed: ParsedCommand): Promise<number> {
  const write = printOut;
  ensureUmlHost(write);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'umux-demo-'));
  const umlDir = path.join(base, 'uml');
  const guests: LaunchedGuest[] = [];
  const client = new MconsoleClient();
  const cleanup = async () => {
    await Promise.allSettled(guests.map((g) => g.kill()));
    client.dispose();
    fs.rmSync(base, { recursive: true, force: true });
  };
  const onSignal = () => void cleanup().finally(() => process.exit(EXIT.failed));
  process.once('SIGTERM', onSignal);
  process.once('SIGHUP', onSignal);
  try {
    const plain = buildRootfs({ dir: path.join(base, 'root'), gettys: ['tty1'] });
    const panicky = buildRootfs({
      dir: path.join(base, 'root-panic'),
      commands: [`echo "demo3: init will exit in ${PANIC_AFTER_S} s and the kernel will panic"`, `sleep ${PANIC_AFTER_S}`],
      panic: true,
    });
    write(`umux demo: booting 3 UML guests in ${umlDir} ...\n`);
    const specs = [
      { umid: 'demo1', root: plain.dir, consoles: 0 },
      { umid: 'demo2', root: plain.dir, consoles: 1 },
      { umid: 'demo3', root: panicky.dir, consoles: 0 },
    ];
    for (const g of await Promise.all(specs.map((s) => launchGuest({ ...s, umlDir, mem: '64M' })))) guests.push(g);
    // The socket notification comes before the consoles are set up: wait, so the first commands get real answers.
    await Promise.all(guests.map((g) => waitConsolesReady(client, { socket: g.socket, umid: g.umid, consoles: g.consoles.length, serials: 0 }, DEMO_READY_MS)));
    for (const g of guests) {
      write(`  ${g.umid}: pid ${g.pid}, mconsole ${g.socket}${g.consoles.length ? `, con1 on fd:3` : ''}\n`);
    }
    write(
      [
        '',
        'This is umux mconsole on demo1. Try: version, proc meminfo, sysrq m, config con2=pts, config con2,',
        `log hello, help, switch demo2 (or demo3, which panics ${PANIC_AFTER_S} s after boot). quit or Ctrl-D ends`,
        'the demo and removes the guests. The full-screen view of guests and consoles is on its way.',
        '',
      ].join('\n'),
    );
    const io: SessionIO = { out: write, err: printErr };
    const session = new MconsoleSession(client, resolveGuest(path.join(umlDir, 'demo1', 'mconsole')), {
      raw: false,
      timeoutMs: 5000,
      umlDir,
      cwd: process.cwd(),
    }, io);
    await runInteractive(session, io, {
      onReady: (notice) => {
        for (const g of guests) {
          g.notify?.onNotification((n) => {
            if (n.type === 'panic') notice(`umux: ${g.umid} panicked: ${n.data}`);
            else if (n.type === 'user') notice(`umux: ${g.umid} says: ${n.data.trimEnd()}`);
            else if (n.type === 'hang') notice(`umux: ${g.umid} is hung (watchdog)`);
          });
        }
      },
    });
    return EXIT.ok;
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGHUP', onSignal);
    await cleanup();
  }
}
