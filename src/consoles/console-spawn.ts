// Starting a UML kernel with its consoles on fds this process holds: socketpairs (con0 on fds 0 and 1, the rest from
// fd 3) or one pty per console. Shared by umux's own launch (guests/guest-process.ts) and the keeper's.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import { closePtyPair, openPtyPair, type PtyPair } from './pty-pair.js';

export interface ConsoleSpawnSpec {
  file: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  uid?: number;
  gid?: number;
  /** How many consoles: con0 and the ones after it. */
  consoles: number;
  transport: 'socketpair' | 'pty';
  size?: { cols: number; rows: number };
  /** With socketpairs: con0's output goes to this fd (a pipe's write end, consoles/fifo-pipe.ts) instead. */
  con0Out?: number;
}

export type ConsoleSpawn =
  | { ok: true; child: ChildProcess & { pid: number }; ptys: PtyPair[] }
  /** No process: the errno the spawn reported (within 2 s), if any. */
  | { ok: false; error: NodeJS.ErrnoException | undefined };

/** Spawns in its own process group; throws what the spawn throws (a bad uid, no ptys left) with the ptys closed. */
export async function spawnWithConsoles(spec: ConsoleSpawnSpec): Promise<ConsoleSpawn> {
  const ptys: PtyPair[] = [];
  let child: ChildProcess;
  try {
    if (spec.transport === 'pty') for (let i = 0; i < spec.consoles; i++) ptys.push(openPtyPair(spec.size?.cols ?? 80, spec.size?.rows ?? 24));
    child = spawn(spec.file, spec.args, {
      detached: true, // its own process group, so the spawner's is never signalled with it (UML calls setsid anyway)
      cwd: spec.cwd,
      env: spec.env,
      // On ptys, con0 is fd 0 and fd 1 on one slave; stderr stays a pipe (UML's host-side messages are not console).
      stdio: ptys.length > 0
        ? [ptys[0]!.slave, ptys[0]!.slave, 'pipe', ...ptys.slice(1).map((p) => p.slave)]
        : ['pipe', spec.con0Out ?? 'pipe', 'pipe', ...Array.from({ length: spec.consoles - 1 }, () => 'pipe' as const)],
      ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
      ...(spec.gid !== undefined ? { gid: spec.gid } : {}),
    });
  } catch (err) {
    for (const p of ptys) closePtyPair(p);
    throw err;
  }
  // The child has its own copies of the slaves; ours would keep the line open after the guest exits (no EIO).
  for (const p of ptys) fs.closeSync(p.slave);
  if (child.pid === undefined) {
    for (const p of ptys) fs.closeSync(p.master);
    let timer: NodeJS.Timeout | undefined;
    const error = await Promise.race([
      new Promise<NodeJS.ErrnoException>((r) => child.once('error', r)),
      new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), 2000))),
    ]);
    clearTimeout(timer);
    return { ok: false, error };
  }
  child.on('error', () => undefined);
  return { ok: true, child: child as ChildProcess & { pid: number }, ptys };
}
