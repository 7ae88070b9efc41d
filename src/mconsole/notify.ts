// The MConsole notification listener: a datagram socket bound at the path given to guests as
// `mconsole=notify:PATH`. Decodes socket, panic, hang and user notifications; reports what it cannot decode
// (onGarbage: the reason, the size and first bytes) so its owner can log it.

import type { Disposable } from '../core/disposable.js';
import { Emitter, type Event } from '../core/emitter.js';
import { decodeNotification, describeDatagram, type Notification } from '../protocol/mconsole-codec.js';
import { DgramSocket } from './dgram-socket.js';

export interface NotifyStats {
  received: number;
  /** Datagrams that were not notifications: wrong magic, version, type or length. */
  garbage: number;
  lastGarbage?: string;
}

export class NotifyListener implements Disposable {
  private readonly socket: DgramSocket;
  private readonly onNotificationEmitter = new Emitter<Notification>();
  readonly onNotification: Event<Notification> = this.onNotificationEmitter.event;
  private readonly onGarbageEmitter = new Emitter<string>();
  /** A datagram that is no notification: `undecodable datagram (24 bytes: be ba …): notification version 0, …`. */
  readonly onGarbage: Event<string> = this.onGarbageEmitter.event;
  readonly stats: NotifyStats = { received: 0, garbage: 0 };

  private constructor(socket: DgramSocket) {
    this.socket = socket;
    socket.onDatagram((d) => {
      try {
        const n = decodeNotification(d.bytes);
        this.stats.received++;
        this.onNotificationEmitter.fire(n);
      } catch (err) {
        this.stats.garbage++;
        this.stats.lastGarbage = (err as Error).message;
        this.onGarbageEmitter.fire(`undecodable datagram (${describeDatagram(d.bytes)}): ${(err as Error).message}`);
      }
    });
  }

  get path(): string {
    return this.socket.path;
  }

  /** Binds the notify socket at `path` (replacing a stale socket file); it must exist before guests boot. */
  static bind(path: string): NotifyListener {
    return new NotifyListener(DgramSocket.bind(path));
  }

  /** Resolves with the first notification that `match` accepts, or rejects after `timeoutMs`. */
  waitFor(match: (n: Notification) => boolean, timeoutMs: number, what = 'notification'): Promise<Notification> {
    return new Promise((resolve, reject) => {
      const sub = this.onNotification((n) => {
        if (!match(n)) return;
        clearTimeout(timer);
        sub.dispose();
        resolve(n);
      });
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`no ${what} on ${this.path} within ${timeoutMs} ms`));
      }, timeoutMs);
    });
  }

  dispose(): void {
    this.onNotificationEmitter.dispose();
    this.onGarbageEmitter.dispose();
    this.socket.dispose();
  }
}
