// Types for unix-dgram 2.0.7 (it ships none). Errors from bind/connect arrive as 'error' events, synchronously;
// send errors arrive through the callback as an Error whose `code` is a negative errno.
declare module 'unix-dgram' {
  import { EventEmitter } from 'node:events';

  export interface RemoteInfo {
    size: number;
    address: Record<string, never>;
    path: string | null;
  }

  export interface UnixDgramSocket extends EventEmitter {
    fd: number;
    bind(path: string): void;
    connect(path: string): void;
    send(buf: Buffer, offset: number, length: number, path: string, callback?: (err?: Error & { code?: number }) => void): void;
    close(): void;
    on(event: 'message', listener: (msg: Buffer, rinfo: RemoteInfo) => void): this;
    on(event: 'error', listener: (err: Error & { code?: number; errno?: number; syscall?: string }) => void): this;
    on(event: 'listening' | 'connect' | 'writable', listener: () => void): this;
    on(event: 'congestion', listener: (buf: Buffer) => void): this;
  }

  export function createSocket(type: 'unix_dgram', listener?: (msg: Buffer, rinfo: RemoteInfo) => void): UnixDgramSocket;
  const _default: { createSocket: typeof createSocket };
  export default _default;
}
