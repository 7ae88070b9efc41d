// A started UML kernel as LaunchedGuest sees it: its pid, the host ends of its consoles, UML's stderr, its exit and
// window sizes. A child umux spawned itself (here) or one the server's keeper spawned and holds (server/kept-*.ts).

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import tty from 'node:tty';
import type { Duplex, Readable, Writable } from 'node:stream';
import { UmuxError } from '../core/errors.js';
import { closePtyPair, openPtyPair, resizePty, type PtyPair } from '../consoles/pty-pair.js';

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

/** What to start: the kernel, its arguments, and how its consoles are carried. */
export interface GuestSpawn {
  file: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
  /** Console names in fd order: con0 on fds 0 and 1, the rest from fd 3. */
  consoles: string[];
  transport: 'socketpair' | 'pty';
  size?: { cols: number; rows: number };
}

/** Starts a guest; the default spawns it as umux's own child. */
export type GuestSpawner = (spec: GuestSpawn) => Promise<GuestProcess>;

async function spawnError(child: ChildProcess, kernel: string): Promise<UmuxError> {
  let timer: NodeJS.Timeout | undefined;
  const err = await Promise.race([
    new Promise<NodeJS.ErrnoException>((r) => child.once('error', r)),
    new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 2000))),
  ]);
  clearTimeout(timer);
  return new UmuxError('io', `cannot start ${kernel}: ${err?.code ?? err?.message ?? 'no process'}`, {
    hint: 'check that the kernel is an executable UML binary',
    cause: err,
  });
}

/** The guest as a child of this process, its consoles on socketpairs or ptys this process holds. */
export const spawnChildGuest: GuestSpawner = async (spec) => {
  const extra = spec.consoles.length - 1;
  const ptys: PtyPair[] = [];
  let child: ChildProcess;
  try {
    if (spec.transport === 'pty') for (let i = 0; i <= extra; i++) ptys.push(openPtyPair(spec.size?.cols ?? 80, spec.size?.rows ?? 24));
    child = spawn(spec.file, spec.args, {
      detached: true, // its own process group, so Node's is never signalled with it (UML calls setsid anyway)
      cwd: spec.cwd,
      env: spec.env,
      // On ptys, con0 is fd 0 and fd 1 on one slave; stderr stays a pipe (UML's host-side messages are not console).
      stdio: ptys.length > 0
        ? [ptys[0]!.slave, ptys[0]!.slave, 'pipe', ...ptys.slice(1).map((p) => p.slave)]
        : ['pipe', 'pipe', 'pipe', ...Array.from({ length: extra }, () => 'pipe' as const)],
      ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
      ...(spec.gid !== undefined ? { gid: spec.gid } : {}),
    });
  } catch (err) {
    for (const p of ptys) closePtyPair(p);
    if (err instanceof UmuxError) throw err;
    throw new UmuxError('io', `cannot start ${spec.file}: ${(err as Error).message}`, { cause: err });
  }
  // The child has its own copies of the slaves; ours would keep the line open after the guest exits (no EIO).
  for (const p of ptys) fs.closeSync(p.slave);
  if (child.pid === undefined) {
    for (const p of ptys) fs.closeSync(p.master);
    throw await spawnError(child, spec.file);
  }
  return new ChildGuest(child, ptys);
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
