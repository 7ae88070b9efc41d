// A client's socket as a ServerClient sees it, for unit tests with no real connection: it decodes and keeps every
// JSON message the server writes, never backs up, and ignores pause/resume/destroy.

import { EventEmitter } from 'node:events';
import { FrameDecoder } from '../../src/protocol/wire-framing.js';
import type { ServerMessage } from '../../src/protocol/wire-messages.js';

export class FakeClientSocket extends EventEmitter {
  readonly written = new FrameDecoder({ maxFrame: 1 << 24, sender: 'the server', hint: '' });
  readonly messages: ServerMessage[] = [];
  writableLength = 0;
  write(bytes: Uint8Array): boolean {
    for (const f of this.written.push(bytes)) if (f.kind === 'json') this.messages.push(f.value as ServerMessage);
    return true;
  }
  end(bytes?: Uint8Array): void {
    if (bytes instanceof Uint8Array) this.write(bytes);
  }
  pause(): void {}
  resume(): void {}
  destroy(): void {}
}
