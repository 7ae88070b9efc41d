// A bound unix datagram socket (unix-dgram underneath): binding a filesystem path (UML replies to the sender's
// address, and unix-dgram cannot bind abstract names), sending with errno turned into text, unlink on dispose.

import fs from 'node:fs';
import os from 'node:os';
import unixDgram from 'unix-dgram';
import type { RemoteInfo, UnixDgramSocket } from 'unix-dgram';
import type { Disposable } from '../core/disposable.js';
import { Emitter, type Event } from '../core/emitter.js';
import { MconsoleError } from '../core/errors.js';

/** sun_path holds 108 bytes with its NUL; unix-dgram truncates longer paths silently, so refuse them. */
export const MAX_SOCKET_PATH = 107;

const ERRNO_NAMES = new Map<number, string>(
  Object.entries(os.constants.errno).map(([name, num]) => [num as number, name]),
);

/** `-111` → `ECONNREFUSED`; unix-dgram reports errno as a negative number. */
export function errnoName(code: unknown): string {
  if (typeof code === 'number') return ERRNO_NAMES.get(Math.abs(code)) ?? `errno ${Math.abs(code)}`;
  return typeof code === 'string' ? code : 'unknown error';
}

export interface Datagram {
  bytes: Uint8Array;
  from: string | null;
}

export function checkSocketPath(path: string, what: string): void {
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    throw new MconsoleError(
      'too-long',
      `${what} path is ${Buffer.byteLength(path)} bytes, unix sockets take at most ${MAX_SOCKET_PATH}: ${path}`,
      { hint: 'use a shorter directory (set UMUX_SOCKET_DIR, or a shorter uml_dir)' },
    );
  }
}

export class DgramSocket implements Disposable {
  private readonly socket: UnixDgramSocket;
  private readonly onDatagramEmitter = new Emitter<Datagram>();
  readonly onDatagram: Event<Datagram> = this.onDatagramEmitter.event;
  private closed = false;

  private constructor(
    readonly path: string,
    socket: UnixDgramSocket,
  ) {
    this.socket = socket;
    this.socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
      if (this.closed) return;
      this.onDatagramEmitter.fire({ bytes: new Uint8Array(msg.buffer, msg.byteOffset, msg.byteLength), from: rinfo.path });
    });
  }

  /** Binds a datagram socket at `path`, replacing a stale socket file left there. */
  static bind(path: string): DgramSocket {
    checkSocketPath(path, 'socket');
    try {
      if (fs.lstatSync(path).isSocket()) fs.unlinkSync(path);
    } catch {
      // nothing there: the usual case
    }
    const socket = unixDgram.createSocket('unix_dgram');
    let bindError: (Error & { code?: number }) | undefined;
    socket.on('error', (err) => {
      bindError = err;
    });
    socket.bind(path);
    if (bindError) {
      socket.close();
      throw new MconsoleError('io', `cannot bind socket ${path}: ${errnoName(bindError.code)}`, { cause: bindError });
    }
    socket.removeAllListeners('error');
    // Later asynchronous errors (none are expected on a bound dgram socket) must not crash the process.
    socket.on('error', () => undefined);
    return new DgramSocket(path, socket);
  }

  /** Sends one datagram; resolves when the kernel took it, rejects with the errno name (`ECONNREFUSED`, …). */
  send(bytes: Uint8Array, to: string): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new SendError('EBADF'));
        return;
      }
      const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      this.socket.send(buf, 0, buf.length, to, (err) => {
        if (!err) resolve();
        // unix-dgram reports EAGAIN as the pseudo-code 1 ("congestion").
        else reject(new SendError(err.code === 1 ? 'EAGAIN' : errnoName(err.code)));
      });
    });
  }

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.onDatagramEmitter.dispose();
    try {
      this.socket.close();
    } catch {
      // already closed
    }
    try {
      fs.unlinkSync(this.path);
    } catch {
      // already gone
    }
  }
}

export class SendError extends Error {
  constructor(readonly errno: string) {
    super(errno);
    this.name = 'SendError';
  }
}
