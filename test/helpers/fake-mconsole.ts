// A fake MConsole server for fault injection (never a stand-in for the kernel): a datagram socket that decodes
// requests and answers each the way a test scripts it: a reply, raw packets, silence, or a late answer.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DgramSocket } from '../../src/mconsole/dgram-socket.js';
import { decodeRequest, encodeReplyPackets } from '../../src/protocol/mconsole-codec.js';

export type FakeAction =
  | { reply: string; err?: number }
  /** Raw datagrams, sent in order as they are. */
  | { packets: Uint8Array[] }
  | { silent: true }
  /** Answer after `ms` (to the address the request came from, as UML does). */
  | { reply: string; err?: number; afterMs: number };

export interface FakeRequest {
  command: string;
  magic: number;
  version: number;
  from: string | null;
  at: number;
}

export class FakeMconsole {
  readonly requests: FakeRequest[] = [];
  readonly sendErrors: string[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly socket: DgramSocket,
    readonly dir: string,
    private handler: (command: string) => FakeAction,
  ) {
    socket.onDatagram((d) => {
      const req = decodeRequest(d.bytes);
      this.requests.push({ ...req, from: d.from, at: Date.now() });
      if (d.from === null) return; // an unbound sender cannot be answered, as with UML
      void this.answer(this.handler(req.command), d.from);
    });
  }

  /** Starts a fake guest whose socket is `DIR/fake/mconsole` in a fresh temp DIR. */
  static start(handler: (command: string) => FakeAction): FakeMconsole {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-fake-'));
    fs.mkdirSync(path.join(dir, 'fake'));
    return new FakeMconsole(DgramSocket.bind(path.join(dir, 'fake', 'mconsole')), dir, handler);
  }

  get socketPath(): string {
    return this.socket.path;
  }

  setHandler(handler: (command: string) => FakeAction): void {
    this.handler = handler;
  }

  private async answer(action: FakeAction, to: string): Promise<void> {
    if ('silent' in action) return;
    const packets = 'packets' in action ? action.packets : encodeReplyPackets(action.err ?? 0, action.reply);
    if ('afterMs' in action) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          this.timers.delete(t);
          resolve();
        }, action.afterMs);
        this.timers.add(t);
      });
    }
    for (const p of packets) {
      await this.socket.send(p, to).catch((err: Error) => this.sendErrors.push(err.message));
    }
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.socket.dispose();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A private, short socket directory for a client under test. */
export function clientDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'umx-c-'));
}
