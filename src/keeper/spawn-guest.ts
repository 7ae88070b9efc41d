// The keeper starts a managed guest itself, so that it is the guest's parent (it sees the exit status) and holds the
// host ends of its consoles: socketpairs (con0 on fds 0 and 1, the rest from fd 3) or one pty per console.

import type { ChildProcess } from 'node:child_process';
import tty from 'node:tty';
import type { Duplex, Readable } from 'node:stream';
import type { SpawnRequest } from '../protocol/keeper-wire.js';
import { resizePty } from '../consoles/pty-pair.js';
import { spawnWithConsoles } from '../consoles/console-spawn.js';
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
  let r;
  try {
    r = await spawnWithConsoles({ ...req, consoles: req.consoles.length, transport: req.transport });
  } catch (err) {
    throw new SpawnFailed((err as NodeJS.ErrnoException).code ?? 'EIO', `cannot start ${req.file}: ${(err as Error).message}`);
  }
  if (!r.ok) throw new SpawnFailed(r.error?.code ?? 'EIO', `cannot start ${req.file}: ${r.error?.code ?? r.error?.message ?? 'no process'}`);
  const { child, ptys } = r;
  const consoles: ChannelEnds[] = ptys.length > 0
    ? ptys.map((p) => {
        const master = new tty.ReadStream(p.master);
        return { source: master, sink: master, resize: (cols: number, rows: number) => resizePty(p.master, cols, rows) };
      })
    : [{ source: child.stdout!, sink: child.stdin! }, ...(child.stdio.slice(3) as Duplex[]).map((s) => ({ source: s, sink: s }))];
  return { child, pid: child.pid, consoles, stderr: child.stderr!, ttys: ptys.map((p) => p.path) };
}
