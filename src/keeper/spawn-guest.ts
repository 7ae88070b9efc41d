// The keeper starts a managed guest itself, so that it is the guest's parent (it sees the exit status) and holds the
// host ends of its consoles: socketpairs (con0 on fds 0 and 1, the rest from fd 3) or one pty per console.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import tty from 'node:tty';
import type { Duplex, Readable } from 'node:stream';
import type { SpawnRequest } from '../protocol/keeper-wire.js';
import { closePtyPair, openPtyPair, resizePty, type PtyPair } from '../consoles/pty-pair.js';
import type { ChannelEnds } from './channel.js';

export interface SpawnedGuest {
  child: ChildProcess;
  pid: number;
  /** The ends of each console, in request order. */
  consoles: ChannelEnds[];
  stderr: Readable;
  ttys: string[];
}

export class SpawnFailed extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
  }
}

/** Starts the guest; throws SpawnFailed (with errno) when it cannot. */
export async function spawnGuest(req: SpawnRequest): Promise<SpawnedGuest> {
  const ptys: PtyPair[] = [];
  let child: ChildProcess;
  try {
    if (req.transport === 'pty') for (let i = 0; i < req.consoles.length; i++) ptys.push(openPtyPair(req.size?.cols ?? 80, req.size?.rows ?? 24));
    const extra = req.consoles.length - 1;
    child = spawn(req.file, req.args, {
      detached: true, // its own process group (UML calls setsid anyway)
      cwd: req.cwd,
      env: req.env,
      stdio: ptys.length > 0
        ? [ptys[0]!.slave, ptys[0]!.slave, 'pipe', ...ptys.slice(1).map((p) => p.slave)]
        : ['pipe', 'pipe', 'pipe', ...Array.from({ length: extra }, () => 'pipe' as const)],
      ...(req.uid !== undefined ? { uid: req.uid } : {}),
      ...(req.gid !== undefined ? { gid: req.gid } : {}),
    });
  } catch (err) {
    for (const p of ptys) closePtyPair(p);
    throw new SpawnFailed((err as NodeJS.ErrnoException).code ?? 'EIO', `cannot start ${req.file}: ${(err as Error).message}`);
  }
  // The child has its own copies of the slaves; ours would keep a line open after the guest exits (no EIO).
  for (const p of ptys) fs.closeSync(p.slave);
  if (child.pid === undefined) {
    for (const p of ptys) fs.closeSync(p.master);
    const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), 2000);
      child.once('error', (e) => {
        clearTimeout(timer);
        resolve(e);
      });
    });
    throw new SpawnFailed(err?.code ?? 'EIO', `cannot start ${req.file}: ${err?.code ?? err?.message ?? 'no process'}`);
  }
  child.on('error', () => undefined);
  const consoles: ChannelEnds[] = ptys.length > 0
    ? ptys.map((p) => {
        const master = new tty.ReadStream(p.master);
        return { source: master, sink: master, resize: (cols: number, rows: number) => resizePty(p.master, cols, rows) };
      })
    : [{ source: child.stdout!, sink: child.stdin! }, ...(child.stdio.slice(3) as Duplex[]).map((s) => ({ source: s, sink: s }))];
  return { child, pid: child.pid, consoles, stderr: child.stderr!, ttys: ptys.map((p) => p.path) };
}
