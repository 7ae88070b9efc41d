// The keeper starts a managed guest itself, so that it is the guest's parent (it sees the exit status) and holds the
// host ends of its consoles: socketpairs (con0 on fds 0 and 1, its output a pipe; the rest from fd 3) or one pty each.

import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import tty from 'node:tty';
import type { Duplex, Readable } from 'node:stream';
import type { SpawnRequest } from '../protocol/keeper-wire.js';
import { resizePty } from '../consoles/pty-pair.js';
import { spawnWithConsoles } from '../consoles/console-spawn.js';
import { openPipe, type PipeEnds } from '../consoles/fifo-pipe.js';
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

/**
 * After each read of con0's pipe the keeper waits this long before the next: a flood then comes in reads of ~14 KiB
 * (the pipe holds ~4 ms of it) instead of a wake-up per line, which cost the keeper more CPU than the guest's own
 * writes (DECISIONS.md "Consoles outlive the server"). Typing's echo after a quiet moment is read at once.
 */
export const PIPE_READ_REST_MS = 1;

/**
 * The pipe's read end as a stream with no high-water mark (what tty.ReadStream does): a pause stops the reading at
 * once, for the rest between reads and for the bound. net.Socket hands its options to Duplex; Node's types omit it.
 */
function pipeReader(fd: number): net.Socket {
  return new net.Socket({ fd, readable: true, writable: false, readableHighWaterMark: 0 } as net.SocketConstructorOpts);
}

/** Starts the guest; throws SpawnFailed (with errno) when it cannot. `pipeDir`: where con0's pipe is made. */
export async function spawnGuest(req: SpawnRequest, pipeDir: string): Promise<SpawnedGuest> {
  let r;
  let pipe: PipeEnds | undefined;
  try {
    if (req.transport === 'socketpair') pipe = await openPipe(pipeDir);
    r = await spawnWithConsoles({ ...req, consoles: req.consoles.length, transport: req.transport, ...(pipe ? { con0Out: pipe.write } : {}) });
  } catch (err) {
    if (pipe) fs.closeSync(pipe.read);
    throw new SpawnFailed((err as NodeJS.ErrnoException).code ?? 'EIO', `cannot start ${req.file}: ${(err as Error).message}`);
  } finally {
    if (pipe) fs.closeSync(pipe.write); // the guest has its own copy: ours would hide its exit (no end of file)
  }
  if (!r.ok) {
    if (pipe) fs.closeSync(pipe.read);
    throw new SpawnFailed(r.error?.code ?? 'EIO', `cannot start ${req.file}: ${r.error?.code ?? r.error?.message ?? 'no process'}`);
  }
  const { child, ptys } = r;
  const consoles: ChannelEnds[] = ptys.length > 0
    ? ptys.map((p) => {
        const master = new tty.ReadStream(p.master);
        return { source: master, sink: master, resize: (cols: number, rows: number) => resizePty(p.master, cols, rows) };
      })
    : [
        { source: pipeReader(pipe!.read), sink: child.stdin!, restMs: PIPE_READ_REST_MS },
        ...(child.stdio.slice(3) as Duplex[]).map((s) => ({ source: s, sink: s })),
      ];
  return { child, pid: child.pid, consoles, stderr: child.stderr!, ttys: ptys.map((p) => p.path) };
}
