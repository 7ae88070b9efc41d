// Real-guest test harness: boots UML 6.1 guests on a private busybox hostfs root with con0 and extra consoles on
// socketpairs, a notify socket, diagnosable timeouts, and teardown that kills only the guest's own process group.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { buildRootfs, findBusybox, type RootfsOptions } from '../../src/guests/rootfs.js';
import { NotifyListener } from '../../src/mconsole/notify.js';
import type { Notification, NotificationType } from '../../src/protocol/mconsole-codec.js';

export const UML_BINARY = '/usr/bin/linux';

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export const hasUml: boolean = executable(UML_BINARY) && findBusybox() !== undefined;
export const mustRunUml: boolean = process.env.CI === 'true';
/** Skip only when UML is missing and this is not CI: under CI=true the tests run, and fail without UML. */
export function umlSkip(): boolean {
  return !hasUml && !mustRunUml;
}

export async function tempDir(prefix = 'umx-'): Promise<string> {
  return fs.promises.mkdtemp(path.join(os.tmpdir(), prefix));
}

export interface BootOptions {
  umid?: string;
  /** Default '64M'. */
  mem?: string;
  rootfs?: Omit<RootfsOptions, 'dir'>;
  extraArgs?: string[];
  /** Extra consoles con1..conN on socketpairs (child fds 3..N+2). */
  consoles?: number;
  /** Default 15000 for every wait of the boot. */
  timeoutMs?: number;
  /** Wait for the `/ # ` prompt on con0 before resolving. */
  waitForShell?: boolean;
}

export interface ExitInfo {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Live (non-zombie) host processes whose process group is `pgid`. */
export function groupMembers(pgid: number): number[] {
  const live: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // state ppid pgrp ...
      if (Number(f[2]) === pgid && f[0] !== 'Z' && f[0] !== 'X') live.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return live;
}

function tail(text: string, n = 500): string {
  return text.length > n ? '…' + text.slice(-n) : text;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

let counter = 0;
const live = new Set<Guest>();

export class Guest {
  readonly pid: number;
  readonly umlDir: string;
  readonly notify: NotifyListener;
  readonly consoles: Duplex[];
  readonly exited: Promise<ExitInfo>;
  readonly notifications: Notification[] = [];
  /** Set from the SOCKET notification: the mconsole path, and the umid directory holding it. */
  socket = '';
  dir = '';
  private exitInfo: ExitInfo | undefined;
  private con0 = '';
  private err = '';
  private readonly changed = new Set<() => void>();
  private killing: Promise<void> | undefined;

  constructor(
    readonly umid: string,
    readonly tmp: string,
    private readonly child: ChildProcess,
    notify: NotifyListener,
  ) {
    this.pid = child.pid!; // bootGuest checked
    this.umlDir = path.join(tmp, 'uml');
    this.notify = notify;
    this.consoles = child.stdio.slice(3) as Duplex[];
    child.stdout?.setEncoding('utf8').on('data', (s: string) => this.append('out', s));
    child.stderr?.setEncoding('utf8').on('data', (s: string) => this.append('err', s));
    child.stdin?.on('error', () => undefined); // EPIPE after the guest died
    for (const c of this.consoles) c.on('error', () => undefined);
    notify.onNotification((n) => {
      this.notifications.push(n);
      this.kick();
    });
    this.exited = new Promise((resolve) => {
      const done = (info: ExitInfo): void => {
        this.exitInfo ??= info;
        this.kick();
        resolve(this.exitInfo);
      };
      child.once('exit', (code, signal) => done({ code, signal }));
    });
  }

  /** con0 text so far (kernel messages and the shell, CRLF line ends). */
  output(): string { return this.con0; }
  /** UML's host-side messages (ptrace checks, tempdir, exec-shield gap). */
  stderr(): string { return this.err; }
  isAlive(): boolean { return this.exitInfo === undefined; }
  /** Types into con0; end lines with `\r`. */
  write(text: string): void { this.child.stdin?.write(text); }

  /** The last bytes of con0 and stderr, for error messages. */
  diagnostics(): string {
    const exit = this.exitInfo ? ` (exited code=${this.exitInfo.code} signal=${this.exitInfo.signal})` : '';
    return `guest ${this.umid} pid ${this.pid} in ${this.tmp}${exit}\n--- con0 tail ---\n${tail(this.con0)}\n--- stderr tail ---\n${tail(this.err)}`;
  }

  /** Resolves with con0 text from `from` to the end of the first match of `pattern` after `from`. */
  waitForOutput(pattern: RegExp | string, timeoutMs = 15000, from = 0): Promise<string> {
    return this.until(`output ${String(pattern)}`, timeoutMs, () => {
      const text = this.con0.slice(from);
      if (typeof pattern === 'string') {
        const i = text.indexOf(pattern);
        return i < 0 ? undefined : text.slice(0, i + pattern.length);
      }
      const m = pattern.exec(text);
      return m ? text.slice(0, m.index + m[0].length) : undefined;
    });
  }

  /** Resolves with the first notification of `type` received so far or later (history included). */
  waitForNotification(type: NotificationType, timeoutMs = 15000): Promise<Notification> {
    // A datagram sent just before the exit may be read after the exit event: allow it a moment.
    return this.until(`${type} notification`, timeoutMs, () => this.notifications.find((n) => n.type === type), 300);
  }

  /** SIGKILLs the process group, waits for it to die, disposes the listener and removes the temp dir. */
  kill(timeoutMs = 5000): Promise<void> {
    this.killing ??= this.teardown(timeoutMs);
    return this.killing;
  }

  private async teardown(timeoutMs: number): Promise<void> {
    try {
      process.kill(-this.pid, 'SIGKILL');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
    }
    const deadline = Date.now() + timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    while (groupMembers(this.pid).length > 0 && Date.now() < deadline) await sleep(20);
    const left = groupMembers(this.pid);
    this.child.stdin?.destroy();
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    for (const c of this.consoles) c.destroy();
    this.notify.dispose();
    live.delete(this);
    fs.rmSync(this.tmp, { recursive: true, force: true });
    if (left.length > 0) throw new Error(`processes ${left.join(' ')} of guest ${this.umid} survived SIGKILL`);
  }

  private append(which: 'out' | 'err', s: string): void {
    if (which === 'out') this.con0 += s;
    else this.err += s;
    this.kick();
  }

  private kick(): void {
    for (const f of [...this.changed]) f();
  }

  /** Re-runs `check` on every change until it returns a value; rejects on timeout, or `graceMs` after exit. */
  private until<T>(what: string, timeoutMs: number, check: () => T | undefined, graceMs = 0): Promise<T> {
    return new Promise((resolve, reject) => {
      let exitTimer: NodeJS.Timeout | undefined;
      const finish = (fn: () => void): void => {
        clearTimeout(timer);
        clearTimeout(exitTimer);
        this.changed.delete(test);
        fn();
      };
      const test = (): void => {
        const v = check();
        if (v !== undefined) finish(() => resolve(v));
        else if (this.exitInfo && !exitTimer) {
          const fail = (): void => reject(new Error(`guest exited while waiting for ${what}\n${this.diagnostics()}`));
          exitTimer = setTimeout(() => finish(fail), graceMs);
        }
      };
      const timer = setTimeout(() => {
        finish(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${this.diagnostics()}`)));
      }, timeoutMs);
      this.changed.add(test);
      test();
    });
  }
}

/** Boots a guest; on any failure during boot the guest is torn down before the error propagates. */
export async function bootGuest(opts: BootOptions = {}): Promise<Guest> {
  const timeoutMs = opts.timeoutMs ?? 15000;
  const umid = opts.umid ?? `t${process.pid}x${++counter}`;
  const tmp = await tempDir('umx-');
  let notify: NotifyListener | undefined;
  let guest: Guest | undefined;
  try {
    const root = buildRootfs({ ...opts.rootfs, dir: path.join(tmp, 'root') }).dir;
    notify = NotifyListener.bind(path.join(tmp, 'notify.sock'));
    const extra = opts.consoles ?? 0;
    const args = [
      `mem=${opts.mem ?? '64M'}`, `umid=${umid}`, `uml_dir=${path.join(tmp, 'uml')}`,
      'rootfstype=hostfs', `hostfs=${root}`, 'root=/dev/root', 'rw', 'init=/init',
      'con=null', 'ssl=null', 'con0=fd:0,fd:1',
      ...Array.from({ length: extra }, (_, i) => `con${i + 1}=fd:${i + 3}`),
      `mconsole=notify:${notify.path}`,
      ...(opts.extraArgs ?? []),
    ];
    const child = spawn(UML_BINARY, args, {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe', ...Array.from({ length: extra }, () => 'pipe' as const)],
    });
    if (child.pid === undefined) {
      const e = await new Promise<Error>((resolve) => child.once('error', resolve));
      throw new Error(`cannot start ${UML_BINARY}: ${e.message}`);
    }
    guest = new Guest(umid, tmp, child, notify);
    live.add(guest);
    const sock = await guest.waitForNotification('socket', timeoutMs);
    guest.socket = sock.data;
    guest.dir = path.dirname(sock.data);
    if (opts.waitForShell) await guest.waitForOutput('/ # ', timeoutMs);
    return guest;
  } catch (err) {
    if (guest) await guest.kill().catch(() => undefined);
    else {
      notify?.dispose();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    throw err;
  }
}

export async function killAllGuests(): Promise<void> {
  await Promise.all([...live].map((g) => g.kill()));
}

process.on('exit', () => {
  for (const g of live) {
    try {
      process.kill(-g.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    fs.rmSync(g.tmp, { recursive: true, force: true });
  }
});
