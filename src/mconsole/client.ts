// The MConsole client: one bound socket per guest, one request in flight per guest (others wait in order), a
// timeout on every request, and a fresh socket after a timeout so a late reply can never answer the next request.

import fs from 'node:fs';
import path from 'node:path';
import type { Disposable } from '../core/disposable.js';
import { MconsoleError } from '../core/errors.js';
import { decodeReplyPacket, encodeRequest, ReplyAssembler, type Reply } from '../protocol/mconsole-codec.js';
import { DgramSocket, type Datagram } from './dgram-socket.js';
import { readDgramQlen, sendFailure, verbOf } from './failures.js';
import { ensurePrivateDir } from '../files/private-dir.js';
import { defaultSocketDir } from './socket-dir.js';
import { guestOfOther, replyDirFor } from './reply-dirs.js';

export const DEFAULT_TIMEOUT_MS = 5000;
/** Once a packet with `more` set has come, the next one is due at once: UML sends a reply's packets in a burst. */
export const DEFAULT_PACKET_GAP_MS = 1000;

export interface ClientOptions {
  /** Directory for the client's own sockets; private (0700). Default: umux's socket directory. */
  dir?: string;
  /**
   * For guests that run as another user (a root server's `user =` guests): where their reply sockets go instead,
   * OTHERS/UID/ (ours, group the guest's, 0710; sockets 0620), since such a guest cannot reach the private directory.
   */
  othersDir?: string;
  timeoutMs?: number;
  packetGapMs?: number;
}

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
  /** A name for the guest in messages (its umid); default: the socket path. */
  name?: string;
}

export interface ClientStats {
  sent: number;
  replies: number;
  timeouts: number;
  /** Datagrams that answered nothing in flight: late replies after a timeout, or strangers. */
  strays: number;
}

interface Pending {
  command: string;
  request: Uint8Array;
  name: string;
  timeoutMs: number;
  resolve: (reply: Reply) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
  started: number;
  signal: AbortSignal | undefined;
  abortListener: (() => void) | undefined;
  assembler: ReplyAssembler;
  gapTimer: NodeJS.Timeout | undefined;
}

let clientSeq = 0;

export class MconsoleClient implements Disposable {
  readonly dir: string;
  readonly othersDir: string | undefined;
  private readonly timeoutMs: number;
  private readonly packetGapMs: number;
  private readonly links = new Map<string, GuestLink>();
  private socketSeq = 0;
  private readonly id = clientSeq++;
  private disposed = false;
  readonly stats: ClientStats = { sent: 0, replies: 0, timeouts: 0, strays: 0 };

  constructor(options: ClientOptions = {}) {
    this.dir = ensurePrivateDir(options.dir ?? defaultSocketDir());
    this.othersDir = options.othersDir;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.packetGapMs = options.packetGapMs ?? DEFAULT_PACKET_GAP_MS;
  }

  /** Sends `command` to the guest whose MConsole socket is `socketPath` and resolves with its whole reply. */
  call(socketPath: string, command: string, options: CallOptions = {}): Promise<Reply> {
    if (this.disposed) return Promise.reject(new MconsoleError('internal', 'mconsole client is closed'));
    const key = path.resolve(socketPath);
    let link = this.links.get(key);
    if (!link) {
      link = new GuestLink(key, this);
      this.links.set(key, link);
    }
    try {
      return link.enqueue(command, options);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /** Like call, but an ERR reply becomes a `guest-error` MconsoleError carrying the kernel's text and errno. */
  async callOk(socketPath: string, command: string, options: CallOptions = {}): Promise<Reply> {
    const reply = await this.call(socketPath, command, options);
    if (reply.ok) return reply;
    const name = options.name ?? socketPath;
    const errno = reply.errSigned < 0 ? ` (errno ${-reply.errSigned})` : '';
    throw new MconsoleError('guest-error', `${name} refused "${command}": ${reply.text}${errno}`, {
      target: name,
      verb: verbOf(command),
    });
  }

  /** @internal a fresh socket path for a guest link (in `dir`, else the private directory). */
  nextSocketPath(dir = this.dir): string {
    return path.join(dir, `mc-${process.pid}-${this.id}-${this.socketSeq++}.sock`);
  }

  /** @internal */
  get defaults(): { timeoutMs: number; packetGapMs: number } {
    return { timeoutMs: this.timeoutMs, packetGapMs: this.packetGapMs };
  }

  /** Fails every queued request and closes (and unlinks) every socket. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const link of this.links.values()) link.dispose();
    this.links.clear();
  }
}

/** Everything the client keeps for one guest: its queue, its request in flight and its current socket. */
class GuestLink implements Disposable {
  private socket: DgramSocket | undefined;
  private socketListener: Disposable | undefined;
  private readonly queue: Pending[] = [];
  private inflight: Pending | undefined;
  /** The socket is in a directory another user's guest can reach: only datagrams from the guest's socket count. */
  private strict = false;

  constructor(
    private readonly target: string,
    private readonly client: MconsoleClient,
  ) {}

  enqueue(command: string, options: CallOptions): Promise<Reply> {
    // Encode first: a command that cannot be sent is refused before it waits in any queue.
    const request = encodeRequest(command);
    const timeoutMs = options.timeoutMs ?? this.client.defaults.timeoutMs;
    const name = options.name ?? this.target;
    return new Promise<Reply>((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(aborted(name, command));
        return;
      }
      const pending: Pending = {
        command,
        request,
        name,
        timeoutMs,
        resolve,
        reject,
        started: Date.now(),
        signal: options.signal,
        abortListener: undefined,
        assembler: new ReplyAssembler(),
        gapTimer: undefined,
        // The deadline counts from the call: time spent queued behind a wedged request is part of the wait.
        timer: setTimeout(() => this.handleTimeout(pending), timeoutMs),
      };
      if (options.signal) {
        pending.abortListener = () => this.finish(pending, aborted(name, command));
        options.signal.addEventListener('abort', pending.abortListener, { once: true });
      }
      this.queue.push(pending);
      this.pump();
    });
  }

  /** Sends the next queued request when none is in flight. */
  private pump(): void {
    if (this.inflight || this.queue.length === 0) return;
    const next = this.queue.shift()!;
    this.inflight = next;
    let socket: DgramSocket;
    try {
      socket = this.ensureSocket();
    } catch (err) {
      this.finish(next, err as Error);
      return;
    }
    this.client.stats.sent++;
    socket.send(next.request, this.target).then(
      () => undefined,
      (err: unknown) => this.finish(next, sendFailure(err, this.target, next)),
    );
  }

  private ensureSocket(): DgramSocket {
    if (!this.socket) {
      const other = guestOfOther(this.target, this.client.othersDir);
      this.strict = other !== undefined;
      const file = this.client.nextSocketPath(other ? replyDirFor(this.client.othersDir!, other) : undefined);
      this.socket = DgramSocket.bind(file);
      if (other) {
        fs.chownSync(file, -1, other.gid);
        fs.chmodSync(file, 0o620);
      }
      this.socketListener = this.socket.onDatagram((d) => this.handleDatagram(d));
    }
    return this.socket;
  }

  /** Closes the current socket; the next request binds a fresh path, so late replies go nowhere. */
  private rotateSocket(): void {
    this.socketListener?.dispose();
    this.socket?.dispose();
    this.socket = undefined;
    this.socketListener = undefined;
  }

  private handleDatagram(d: Datagram): void {
    const pending = this.inflight;
    // A reply socket others' guests can reach takes datagrams from the guest's own socket only.
    if (!pending || (d.from !== null && path.resolve(d.from) !== this.target) || (d.from === null && this.strict)) {
      this.client.stats.strays++;
      return;
    }
    let reply: Reply | undefined;
    try {
      reply = pending.assembler.push(decodeReplyPacket(d.bytes));
    } catch (err) {
      // The stream of this socket is no longer understood: fail the request and start over on a fresh socket.
      this.rotateSocket();
      const e = err as MconsoleError;
      this.finish(pending, new MconsoleError(e.code, `${pending.name}: ${e.message}`, { hint: e.hint, target: pending.name, verb: verbOf(pending.command) }));
      return;
    }
    if (pending.gapTimer) clearTimeout(pending.gapTimer);
    pending.gapTimer = undefined;
    if (reply) {
      this.client.stats.replies++;
      this.finish(pending, undefined, reply);
      return;
    }
    const left = pending.started + pending.timeoutMs - Date.now();
    const gap = Math.max(1, Math.min(this.client.defaults.packetGapMs, left));
    pending.gapTimer = setTimeout(() => this.handleIncomplete(pending), gap);
  }

  private handleTimeout(pending: Pending): void {
    if (pending.assembler.packets > 0) {
      this.handleIncomplete(pending);
      return;
    }
    const queued = pending !== this.inflight;
    if (!queued) {
      this.client.stats.timeouts++;
      this.rotateSocket();
    }
    this.finish(
      pending,
      new MconsoleError(
        'timeout',
        `no reply from ${pending.name} in ${pending.timeoutMs} ms to "${verbOf(pending.command)}"${queued ? ' (it was still queued behind an earlier request)' : ''}: the guest may be wedged or SIGSTOPped`,
        {
          target: pending.name,
          verb: verbOf(pending.command),
          hint: 'check its host process (ps -o stat -p PID: T means stopped, send SIGCONT); a longer --timeout helps a slow guest',
        },
      ),
    );
  }

  private handleIncomplete(pending: Pending): void {
    if (this.inflight !== pending) return;
    this.client.stats.timeouts++;
    this.rotateSocket();
    const n = pending.assembler.packets;
    const qlen = readDgramQlen();
    this.finish(
      pending,
      new MconsoleError(
        'incomplete-reply',
        `reply from ${pending.name} to "${verbOf(pending.command)}" is incomplete: ${n} packet${n === 1 ? '' : 's'} arrived, the last never came`,
        {
          target: pending.name,
          verb: verbOf(pending.command),
          hint:
            qlen !== undefined && qlen < 64
              ? `UML drops reply packets when the receiver's queue is full; net.unix.max_dgram_qlen is ${qlen}: raise it (as root: sysctl -w net.unix.max_dgram_qlen=512)`
              : 'the guest stopped sending mid-reply; try again, and check the guest console',
        },
      ),
    );
  }

  private finish(pending: Pending, err: Error | undefined, reply?: Reply): void {
    clearTimeout(pending.timer);
    if (pending.gapTimer) clearTimeout(pending.gapTimer);
    if (pending.abortListener) pending.signal?.removeEventListener('abort', pending.abortListener);
    if (this.inflight === pending) {
      this.inflight = undefined;
      // An abandoned request may still be answered: never let that answer reach the next request.
      if (err) this.rotateSocket();
    } else {
      const i = this.queue.indexOf(pending);
      if (i >= 0) this.queue.splice(i, 1);
    }
    if (err) pending.reject(err);
    else pending.resolve(reply!);
    this.pump();
  }

  dispose(): void {
    const closed = (p: Pending) => new MconsoleError('internal', `mconsole client closed before ${p.name} answered "${verbOf(p.command)}"`);
    for (const p of [...this.queue]) this.finish(p, closed(p));
    if (this.inflight) this.finish(this.inflight, closed(this.inflight));
    this.rotateSocket();
  }
}

function aborted(name: string, command: string): MconsoleError {
  return new MconsoleError('timeout', `request "${verbOf(command)}" to ${name} was cancelled`, { target: name, verb: verbOf(command) });
}
