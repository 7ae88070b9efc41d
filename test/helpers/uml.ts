// Real-guest test harness over src/guests (launchGuest, buildRootfs): a temp dir, notify socket and root per guest,
// a registry of live guests killed at process exit, and waits that fail with the guest's console and stderr tails.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { launchGuest, type LaunchedGuest } from '../../src/guests/launch.js';
import { groupMembers, killGroup } from '../../src/guests/process-group.js';
import { buildRootfs, type RootfsOptions } from '../../src/guests/rootfs.js';
import { checkUmlHost, UML_KERNEL } from '../../src/guests/uml-env.js';
import { NotifyListener } from '../../src/mconsole/notify.js';
import type { Notification, NotificationType } from '../../src/protocol/mconsole-codec.js';

export { groupMembers };
export const UML_BINARY = UML_KERNEL;

export const hasUml: boolean = checkUmlHost().missing.length === 0;
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

function tail(text: string, n = 500): string {
  return text.length > n ? '…' + text.slice(-n) : text;
}

let counter = 0;
const live = new Set<Guest>();
/** Guests spawned but not yet booted: pid → temp dir, for the process-exit hook. */
const booting = new Map<number, string>();

export class Guest {
  readonly pid: number;
  readonly umid: string;
  readonly umlDir: string;
  readonly consoles: Duplex[];
  readonly exited: Promise<ExitInfo>;
  /** The mconsole path from the SOCKET notification, and the umid directory holding it. */
  readonly socket: string;
  readonly dir: string;
  private readonly changed = new Set<() => void>();
  private killing: Promise<void> | undefined;

  constructor(
    readonly tmp: string,
    readonly launched: LaunchedGuest,
    readonly notify: NotifyListener,
    /** Every notification on this guest's notify socket since before the spawn. */
    readonly notifications: Notification[],
  ) {
    this.pid = launched.pid;
    this.umid = launched.umid;
    this.umlDir = path.join(tmp, 'uml');
    this.consoles = launched.consoles;
    this.socket = launched.socket;
    this.dir = launched.dir;
    launched.onOutput(() => this.kick());
    notify.onNotification(() => this.kick());
    this.exited = launched.exited.then((exit) => {
      this.kick();
      return exit;
    });
  }

  /** con0 text so far (kernel messages and the shell, CRLF line ends). */
  output(): string { return this.launched.output(); }
  /** UML's host-side messages (ptrace checks, tempdir, exec-shield gap). */
  stderr(): string { return this.launched.stderr(); }
  isAlive(): boolean { return this.launched.exit === undefined; }
  /** Types into con0; end lines with `\r`. */
  write(text: string): void { this.launched.con0.write(text); }

  /** The last bytes of con0 and stderr, for error messages. */
  diagnostics(): string {
    const e = this.launched.exit;
    const exit = e ? ` (exited code=${e.code} signal=${e.signal})` : '';
    return `guest ${this.umid} pid ${this.pid} in ${this.tmp}${exit}\n--- con0 tail ---\n${tail(this.output())}\n--- stderr tail ---\n${tail(this.stderr())}`;
  }

  /** Resolves with con0 text from `from` to the end of the first match of `pattern` after `from`. */
  waitForOutput(pattern: RegExp | string, timeoutMs = 15000, from = 0): Promise<string> {
    return this.until(`output ${String(pattern)}`, timeoutMs, () => {
      const text = this.output().slice(from);
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
      await this.launched.kill(timeoutMs);
    } finally {
      this.notify.dispose();
      live.delete(this);
      fs.rmSync(this.tmp, { recursive: true, force: true });
    }
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
        else if (!this.isAlive() && !exitTimer) {
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
  let pid: number | undefined;
  try {
    const root = buildRootfs({ ...opts.rootfs, dir: path.join(tmp, 'root') }).dir;
    notify = NotifyListener.bind(path.join(tmp, 'notify.sock'));
    const notifications: Notification[] = [];
    notify.onNotification((n) => notifications.push(n));
    const launched = await launchGuest({
      umid,
      umlDir: path.join(tmp, 'uml'),
      root,
      notify,
      mem: opts.mem,
      consoles: opts.consoles,
      extraArgs: opts.extraArgs,
      timeoutMs,
      keepOutput: Infinity, // waitForOutput's `from` offsets index the whole con0 text
      onSpawn: (p) => booting.set((pid = p), tmp),
    });
    guest = new Guest(tmp, launched, notify, notifications);
    live.add(guest);
    if (opts.waitForShell) await guest.waitForOutput('/ # ', timeoutMs);
    return guest;
  } catch (err) {
    if (guest) await guest.kill().catch(() => undefined);
    else {
      notify?.dispose();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    throw err;
  } finally {
    if (pid !== undefined) booting.delete(pid);
  }
}

export async function killAllGuests(): Promise<void> {
  await Promise.all([...live].map((g) => g.kill()));
}

process.on('exit', () => {
  const all = [...[...live].map((g) => [g.pid, g.tmp] as const), ...booting];
  for (const [pid, tmp] of all) {
    try {
      killGroup(pid, 'SIGKILL');
    } catch {
      // not ours to signal any more
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
