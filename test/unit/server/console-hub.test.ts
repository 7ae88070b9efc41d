// ConsoleHub without a guest: a failing log (disk full) neither stops the console nor crashes the server.
import { describe, expect, it } from 'vitest';
import { ConsoleHub, type Subscriber } from '../../../src/server/console-hub.js';
import type { ConsoleLog } from '../../../src/consoles/logfile.js';
import { Screen } from '../../../src/term/screen.js';

describe('ConsoleHub', () => {
  it('keeps serving clients when the log cannot be written, and says so once', async () => {
    let failing = true;
    const logged: Uint8Array[] = [];
    const log = {
      append(bytes: Uint8Array) {
        if (failing) throw new Error('ENOSPC');
        logged.push(bytes);
      },
      dispose() {},
    } as unknown as ConsoleLog;
    const errors: string[] = [];
    const hub = new ConsoleHub({ guest: 'g', name: 'con0', log, screen: new Screen(), toGuest: () => undefined, onLogError: (m) => errors.push(m) });
    const got: string[] = [];
    const sub: Subscriber = {
      client: { id: 1, pid: 1, user: 'u', readOnly: true },
      sendData: (b) => (got.push(Buffer.from(b).toString()), true),
      sendSnapshot: () => undefined,
      notice: () => undefined,
      closed: () => undefined,
      whenDrained: (fn) => fn(),
    };
    hub.subscribe(sub, 0);
    await new Promise((r) => setTimeout(r, 20)); // the snapshot barrier
    hub.feed(new TextEncoder().encode('one\r\n'));
    await new Promise((r) => setImmediate(r));
    hub.feed(new TextEncoder().encode('two\r\n'));
    await new Promise((r) => setImmediate(r));
    failing = false;
    hub.feed(new TextEncoder().encode('three\r\n'));
    await new Promise((r) => setImmediate(r));
    expect(got.join('')).toBe('one\r\ntwo\r\nthree\r\n');
    expect(errors).toEqual(['g:con0 log write failed: ENOSPC']);
    expect(Buffer.concat(logged).toString()).toBe('three\r\n');
    hub.dispose();
  });
});
