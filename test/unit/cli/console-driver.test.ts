// The console driver of wait/run/login over a stand-in stream: lines that came before a wait count for it, a
// timeout names what was waited for and the last line, the console closing ends the wait, typing goes as UTF-8.

import { describe, expect, it } from 'vitest';
import { ConsoleDriver } from '../../../src/cli/console-driver.js';
import type { ConsoleStream } from '../../../src/client/session.js';
import { Emitter } from '../../../src/core/emitter.js';

function fakeStream() {
  const data = new Emitter<Uint8Array>();
  const closed = new Emitter<string>();
  const typed: string[] = [];
  const stream = {
    guest: 'g1',
    console: 'con1',
    closed: false,
    closedReason: '',
    onData: data.event,
    onSnapshot: new Emitter<unknown>().event,
    onClosed: closed.event,
    write: (b: Uint8Array) => typed.push(new TextDecoder().decode(b)),
    dispose: () => undefined,
  };
  const emit = (s: string) => data.fire(new TextEncoder().encode(s));
  const close = (reason: string) => {
    stream.closed = true;
    stream.closedReason = reason;
    closed.fire(reason);
  };
  return { stream: stream as unknown as ConsoleStream, emit, close, typed };
}

const find = (re: RegExp) => (lines: readonly string[], partial: string) => lines.find((l) => re.test(l)) ?? (re.test(partial) ? partial : undefined);

describe('ConsoleDriver', () => {
  it('looks at lines that came before the wait began, then at new ones and the partial line', async () => {
    const f = fakeStream();
    const d = new ConsoleDriver(f.stream, Date.now(), Date.now() + 2000);
    f.emit('early-1\r\n');
    expect(await d.until('/early/', find(/early-\d/))).toBe('early-1');
    const later = d.until('/prompt/', find(/# $/));
    f.emit('out\r\n/ # ');
    expect(await later).toBe('/ # ');
    d.type('ls é\r');
    expect(f.typed).toEqual(['ls é\r']);
    d.dispose();
  });

  it('times out saying what it waited for, how long, and the last line, escaped', async () => {
    const f = fakeStream();
    const d = new ConsoleDriver(f.stream, Date.now(), Date.now() + 100);
    f.emit('first\r\nsay "hi"\x1b[1m');
    await expect(d.until('/never/', find(/never/))).rejects.toMatchObject({
      code: 'timeout',
      message: expect.stringMatching(/^g1:con1: waited \d+ ms for \/never\/; the last line it showed: "say \\"hi\\""$/),
    });
    d.dispose();
  });

  it('ends a wait when the console closes, and refuses one after', async () => {
    const f = fakeStream();
    const d = new ConsoleDriver(f.stream, Date.now(), Date.now() + 5000);
    const waiting = d.until('/x/', find(/x/));
    f.close('guest g1 exited');
    await expect(waiting).rejects.toMatchObject({ code: 'not-running', message: 'g1:con1 closed while umux waited on it: guest g1 exited' });
    await expect(d.until('/y/', find(/y/))).rejects.toMatchObject({ code: 'not-running' });
    d.dispose();
  });

  it('forgets what came before typing', async () => {
    const f = fakeStream();
    const d = new ConsoleDriver(f.stream, Date.now(), Date.now() + 100);
    f.emit('old match\r\n/ # ');
    d.forgetShown();
    expect(d.text.partial).toBe('');
    await expect(d.until('/match/', find(/match/))).rejects.toMatchObject({ code: 'timeout' });
    d.dispose();
  });
});
