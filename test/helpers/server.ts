// A private umux world for server tests: its own socket, state and config directories, guest definitions on a
// shared busybox hostfs root, the CLI run against it, and teardown that stops the server and every guest it ran.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildRootfs, type RootfsOptions } from '../../src/guests/rootfs.js';
import { groupMembers, killGroup, processExists } from '../../src/guests/process-group.js';
import { ServerSession } from '../../src/client/session.js';
import { runTool, UMUX_BIN, type ToolResult } from './run-tool.js';
import { findKeeperPid } from '../../src/guests/keeper-process.js';

export class UmuxWorld {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly configDir: string;
  readonly umlDir: string;
  readonly stateDir: string;
  readonly socketDir: string;
  /** The uml_dir of guests started by hand (not by umux): the server watches it. */
  readonly handDir: string;
  private roots = new Map<string, string>();

  constructor(extraEnv: NodeJS.ProcessEnv = {}) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-w-'));
    this.configDir = path.join(this.dir, 'cfg');
    this.umlDir = path.join(this.dir, 'uml');
    this.stateDir = path.join(this.dir, 'state');
    this.socketDir = path.join(this.dir, 'sock');
    this.handDir = path.join(this.dir, 'hand');
    fs.mkdirSync(this.handDir);
    fs.mkdirSync(this.configDir);
    this.env = {
      ...process.env,
      UMUX_SOCKET_DIR: this.socketDir,
      UMUX_STATE_DIR: this.stateDir,
      UMUX_CONFIG_DIR: this.configDir,
      // Watch this world's own uml_dir only, so parallel test files never adopt each other's guests.
      UMUX_UML_DIRS: this.handDir,
      UMUX_STOP_STEP_MS: '1500',
      UMUX_BIN,
      // A root server's MConsole reply directories for guests run as other users, and any hosting sockets: private.
      UMUX_HOSTING_DIR: path.join(this.dir, 'hosting'),
      ...extraEnv,
    };
  }

  /** A hostfs root for guests, built once per distinct set of options. */
  root(opts: Omit<RootfsOptions, 'dir'> = {}): string {
    const key = JSON.stringify(opts);
    let dir = this.roots.get(key);
    if (!dir) {
      dir = path.join(this.dir, `root${this.roots.size}`);
      buildRootfs({ dir, ...opts });
      this.roots.set(key, dir);
    }
    return dir;
  }

  /** Writes cfg/NAME.toml; `toml` is appended after umux's defaults for tests (64M, private uml_dir, hostfs root). */
  define(name: string, toml = '', opts: { root?: Omit<RootfsOptions, 'dir'>; raw?: boolean } = {}): string {
    const file = path.join(this.configDir, `${name}.toml`);
    const base = opts.raw ? '' : `mem = "64M"\numl_dir = "${this.umlDir}"\nhostfs_root = "${this.root(opts.root)}"\n`;
    fs.writeFileSync(file, base + toml);
    return file;
  }

  /**
   * Starts a guest the way an admin does without umux (`screen -d -m linux ...` minus screen): detached, con0 on
   * a file, the given kernel arguments. Resolves with its pid once its mconsole socket and pid file are up.
   */
  async startByHand(umid: string, args: string[], opts: { root?: Omit<RootfsOptions, 'dir'>; mem?: string; notify?: boolean; pathPrefix?: string } = {}): Promise<number> {
    const out = fs.openSync(path.join(this.dir, `${umid}.out`), 'a');
    const argv = [
      `umid=${umid}`, `uml_dir=${this.handDir}`, `mem=${opts.mem ?? '64M'}`,
      'rootfstype=hostfs', `hostfs=${this.root(opts.root)}`, 'root=/dev/root', 'rw', 'init=/init',
      ...(opts.notify ? [`mconsole=notify:${path.join(this.socketDir, 'notify')}`] : []),
      ...args,
    ];
    const env = opts.pathPrefix ? { ...process.env, PATH: `${opts.pathPrefix}:${process.env.PATH ?? '/usr/bin:/bin'}` } : process.env;
    const child = spawn('/usr/bin/linux', argv, { cwd: this.dir, detached: true, stdio: ['ignore', out, out], env });
    fs.closeSync(out);
    child.unref();
    const pid = child.pid!;
    await waitUntil(`${umid} started by hand`, () => {
      try {
        const recorded = Number(fs.readFileSync(path.join(this.handDir, umid, 'pid'), 'utf8').trim());
        return recorded === pid && fs.existsSync(path.join(this.handDir, umid, 'mconsole')) ? true : undefined;
      } catch {
        return undefined;
      }
    });
    return pid;
  }

  /** The console output of a guest started by hand (its con0 went to a file). */
  handOutput(umid: string): string {
    return fs.readFileSync(path.join(this.dir, `${umid}.out`), 'latin1');
  }

  umux(args: string[], opts: { input?: string; timeoutMs?: number } = {}): Promise<ToolResult> {
    return runTool(process.execPath, [UMUX_BIN, ...args], { env: this.env, timeoutMs: opts.timeoutMs ?? 60_000, ...(opts.input === undefined ? {} : { input: opts.input }) });
  }

  async ok(args: string[]): Promise<string> {
    const r = await this.umux(args);
    if (r.code !== 0) throw new Error(`umux ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return r.stdout.toString();
  }

  /** Waits for the busybox shell's prompt on a guest's con0 (commands typed before it may be lost). */
  async waitForShell(umid: string, timeoutMs = 15_000): Promise<void> {
    await waitUntil(`${umid}'s shell prompt`, () => (fs.existsSync(path.join(this.stateDir, 'logs', umid, 'con0.log')) && this.logText(umid).includes('/ # ') ? true : undefined), timeoutMs);
  }

  session(): Promise<ServerSession> {
    return ServerSession.connect({ env: this.env });
  }

  serverPid(): number | undefined {
    try {
      const pid = Number(fs.readFileSync(path.join(this.socketDir, 'server.lock'), 'utf8').trim());
      return processExists(pid) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  guestPid(umid: string): number | undefined {
    try {
      const pid = Number(fs.readFileSync(path.join(this.umlDir, umid, 'pid'), 'utf8').trim());
      return processExists(pid) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  logText(umid: string, console = 'con0'): string {
    return fs.readFileSync(path.join(this.stateDir, 'logs', umid, `${console}.log`), 'latin1');
  }

  /** Stops the server (kill -9 if needed) and SIGKILLs the process group of every guest under our uml_dir. */
  async dispose(): Promise<void> {
    const server = this.serverPid();
    if (server) {
      try {
        process.kill(server, 'SIGKILL');
      } catch {
        // gone
      }
    }
    for (const dir of [this.umlDir, this.handDir]) {
      if (!fs.existsSync(dir)) continue;
      const pids: number[] = [];
      for (const umid of fs.readdirSync(dir)) {
        try {
          pids.push(Number(fs.readFileSync(path.join(dir, umid, 'pid'), 'utf8').trim()));
        } catch {
          continue;
        }
      }
      for (const pid of pids) if (pid > 0 && groupMembers(pid).length > 0) killGroup(pid, 'SIGKILL');
      const deadline = Date.now() + 5000;
      for (const pid of pids) while (pid > 0 && groupMembers(pid).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    }
    // The console keeper would leave by itself once its socket is gone; a test leaves nothing running.
    const keeper = findKeeperPid(this.socketDir);
    if (keeper !== undefined) process.kill(keeper, 'SIGKILL');
    // UML's helpers in sessions of their own (winch helpers, port-helpers: parent gone, not in the kernel's group)
    // name this world's directories on their command line.
    for (const pid of processesMentioning(this.dir + '/')) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Processes (not this one) whose command line contains `text`. */
export function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/cmdline`, 'latin1').includes(text)) found.push(Number(name));
    } catch {
      continue;
    }
  }
  return found;
}

export async function waitUntil<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
