// A started UML kernel as LaunchedGuest sees it: its pid, the host ends of its consoles, UML's stderr, its exit and
// window sizes. A child umux spawned itself (here) or one the server's keeper spawned and holds (server/kept-*.ts).

import type { ChildProcess } from 'node:child_process';
import tty from 'node:tty';
import type { Duplex, Readable, Writable } from 'node:stream';
import { UmuxError } from '../core/errors.js';
import { resizePty, type PtyPair } from '../consoles/pty-pair.js';
import { spawnWithConsoles, type ConsoleSpawnSpec } from '../consoles/console-spawn.js';

export interface GuestExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface GuestProcess {
  readonly pid: number;
  /** con0: where typing goes (fd 0) and where output comes from (fd 1); one stream on a pty. */
  readonly con0In: Writable;
  readonly con0Out: Readable;
  /** con1..conN, ssl0.. in fd order, each carrying both directions. */
  readonly consoles: Duplex[];
  readonly stderr: Readable;
  /** The ptys' paths (con0 first) with the pty transport, else empty. */
  readonly ttys: string[];
  /** Resolves once with how the kernel exited. */
  readonly exited: Promise<GuestExit>;
  /** Sets console `index`'s window size (ptys only). */
  resize(index: number, cols: number, rows: number): void;
  /** Lets go of our ends without stopping the guest. */
  release(): void;
}

/** What to start: the kernel, its arguments, and how its consoles are carried (console-spawn.ts), by console name. */
export type GuestSpawn = Omit<ConsoleSpawnSpec, 'consoles' | 'con0Out'> & {
  /** Console names in fd order: con0 on fds 0 and 1, the rest from fd 3. */
  consoles: string[];
};

/** Starts a guest; the default spawns it as umux's own child. */
export type GuestSpawner = (spec: GuestSpawn) => Promise<GuestProcess>;

/** The guest as a child of this process, its consoles on socketpairs or ptys this process holds. */
export const spawnChildGuest: GuestSpawner = async (spec) => {
  let r;
  try {
    r = await spawnWithConsoles({ ...spec, consoles: spec.consoles.length });
  } catch (err) {
    if (err instanceof UmuxError) throw err;
    throw new UmuxError('io', `cannot start ${spec.file}: ${(err as Error).message}`, { cause: err });
  }
  if (!r.ok) {
    throw new UmuxError('io', `cannot start ${spec.file}: ${r.error?.code ?? r.error?.message ?? 'no process'}`, {
      hint: 'check that the kernel is an executable UML binary',
      cause: r.error,
    });
  }
  return new ChildGuest(r.child, r.ptys);
};

class ChildGuest implements GuestProcess {
  readonly pid: number;
  readonly con0In: Writable;
  readonly con0Out: Readable;
  readonly consoles: Duplex[];
  readonly stderr: Readable;
  readonly ttys: string[];
  readonly exited: Promise<GuestExit>;
  private readonly masters: tty.ReadStream[];

  constructor(
    private readonly child: ChildProcess,
    private readonly ptys: PtyPair[],
  ) {
    this.pid = child.pid!;
    this.masters = ptys.map((p) => new tty.ReadStream(p.master));
    this.con0In = this.masters[0] ?? child.stdin!;
    this.con0Out = this.masters[0] ?? child.stdout!;
    this.consoles = this.masters.length > 0 ? this.masters.slice(1) : (child.stdio.slice(3) as Duplex[]);
    this.stderr = child.stderr!;
    this.ttys = ptys.map((p) => p.path);
    // The guest's death shows in `exited`; EPIPE (EIO on a pty master) and friends on its consoles are no news.
    for (const s of [child.stdin, child.stdout, child.stderr, ...this.consoles, ...this.masters]) s?.on('error', () => undefined);
    child.on('error', () => undefined);
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  resize(index: number, cols: number, rows: number): void {
    const m = this.masters[index];
    if (m && !m.destroyed) resizePty(this.ptys[index]!.master, cols, rows);
  }

  release(): void {
    this.child.stdin?.destroy();
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    for (const c of this.consoles) c.destroy();
    for (const m of this.masters) m.destroy();
    this.child.unref();
  }
}
