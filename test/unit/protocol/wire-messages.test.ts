// Validation of what clients send, with strings and numbers: names past MAX_NAME and line counts past MAX_LOG_LINES
// are refused naming the limit; a refused message's id is found so the refusal can answer it; the resize message.

import { describe, expect, it } from 'vitest';
import { parseClientMessage, requestIdOf } from '../../../src/protocol/wire-messages.js';
import { MAX_LOG_LINES, MAX_NAME } from '../../../src/protocol/wire-limits.js';
import { MAX_LOG_LINES as CLI_MAX_LOG_LINES } from '../../../src/commands/table.js';

const hello = (user: string, program = 'cli') => ({ t: 'hello', version: 1, pid: 42, user, program });
const follow = (lines: number) => ({ t: 'follow-log', id: 3, guest: 'g1', console: 'con0', lines });
const attach = (fields: Record<string, unknown>) => ({ t: 'attach', id: 4, guest: 'g1', console: 'con0', readOnly: false, ...fields });

describe('parseClientMessage limits', () => {
  it('takes a hello whose user is MAX_NAME characters', () => {
    expect(parseClientMessage(hello('u'.repeat(MAX_NAME)))).toEqual({ t: 'hello', version: 1, pid: 42, user: 'u'.repeat(MAX_NAME), program: 'cli' });
  });

  it('refuses a longer user or program, saying how long and the limit', () => {
    expect(() => parseClientMessage(hello('u'.repeat(300)))).toThrow('hello: user is 300 characters: at most 256');
    expect(() => parseClientMessage(hello('root', 'p'.repeat(257)))).toThrow('hello: program is 257 characters: at most 256');
  });

  it('takes a read-only hello, and a hello without readOnly as a writer; refuses a readOnly that is not a boolean', () => {
    expect(parseClientMessage({ ...hello('root'), readOnly: true })).toEqual({ t: 'hello', version: 1, pid: 42, user: 'root', program: 'cli', readOnly: true });
    expect(parseClientMessage({ ...hello('root'), readOnly: false })).not.toHaveProperty('readOnly');
    expect(parseClientMessage(hello('root'))).not.toHaveProperty('readOnly');
    expect(() => parseClientMessage({ ...hello('root'), readOnly: 'yes' })).toThrow('malformed client message: hello readOnly (expected true or false)');
  });

  it('refuses long guest and console names in attach and follow-log', () => {
    expect(() => parseClientMessage(attach({ guest: 'g'.repeat(1000) }))).toThrow('attach: guest is 1000 characters: at most 256');
    expect(() => parseClientMessage({ ...follow(10), console: 'c'.repeat(257) })).toThrow('follow-log: console is 257 characters: at most 256');
  });

  it('takes follow-log lines up to MAX_LOG_LINES and refuses more', () => {
    expect(parseClientMessage(follow(MAX_LOG_LINES))).toEqual({ t: 'follow-log', id: 3, guest: 'g1', console: 'con0', lines: 1_000_000 });
    const err = (() => {
      try {
        parseClientMessage(follow(1e9));
      } catch (e) {
        return e as { code: string; message: string };
      }
      return undefined;
    })();
    expect(err).toMatchObject({ code: 'too-long', message: 'follow-log: lines is 1000000000: at most 1000000' });
  });

  it('refuses an attach scrollback over MAX_LOG_LINES', () => {
    expect(parseClientMessage(attach({ scrollback: 5000 }))).toMatchObject({ scrollback: 5000 });
    expect(() => parseClientMessage(attach({ scrollback: 2 ** 40 }))).toThrow('attach: scrollback is 1099511627776: at most 1000000');
  });

  it('is the same line limit the CLI applies to umux log -n', () => {
    expect(CLI_MAX_LOG_LINES).toBe(MAX_LOG_LINES);
  });
});

describe('requestIdOf', () => {
  it('finds the id of requests, attaches and follows, and nothing else', () => {
    expect(requestIdOf(follow(1e9))).toBe(3);
    expect(requestIdOf({ t: 'request', id: 9, argv: 'ls' })).toBe(9);
    expect(requestIdOf({ t: 'attach', id: -1 })).toBeUndefined();
    expect(requestIdOf({ t: 'detach', id: 5 })).toBeUndefined();
    expect(requestIdOf('hello')).toBeUndefined();
  });
});

describe('parseClientMessage: resize', () => {
  it('reads a stream and a size', () => {
    expect(parseClientMessage({ t: 'resize', stream: 3, cols: 132, rows: 43 })).toEqual({ t: 'resize', stream: 3, cols: 132, rows: 43 });
  });

  it.each([
    [{ t: 'resize', stream: 3, cols: 0, rows: 24 }, 'malformed client message: resize to 0x24 (expected 1x1 to 10000x10000)'],
    [{ t: 'resize', stream: 3, cols: 80, rows: 100_001 }, 'malformed client message: resize to 80x100001 (expected 1x1 to 10000x10000)'],
    [{ t: 'resize', stream: 3, cols: 80.5, rows: 24 }, 'malformed client message: resize fields'],
    [{ t: 'resize', stream: 3, cols: '80', rows: 24 }, 'malformed client message: resize fields'],
    [{ t: 'resize', cols: 80, rows: 24 }, 'malformed client message: resize fields'],
  ])('refuses %j', (msg, text) => {
    expect(() => parseClientMessage(msg)).toThrow(text);
  });
});

describe('parseClientMessage: subscribe', () => {
  it('takes a subscribe with or without host samples, and unsubscribe; refuses a bad id or host', () => {
    expect(parseClientMessage({ t: 'subscribe', id: 3 })).toEqual({ t: 'subscribe', id: 3 });
    expect(parseClientMessage({ t: 'subscribe', id: 3, host: true })).toEqual({ t: 'subscribe', id: 3, host: true });
    expect(parseClientMessage({ t: 'subscribe', id: 3, host: false })).toEqual({ t: 'subscribe', id: 3 });
    expect(parseClientMessage({ t: 'unsubscribe' })).toEqual({ t: 'unsubscribe' });
    expect(() => parseClientMessage({ t: 'subscribe', id: -1 })).toThrow(/subscribe id/);
    expect(() => parseClientMessage({ t: 'subscribe', id: 1, host: 'yes' })).toThrow(/subscribe host/);
    // history: false leaves the history out of the first sample; true is the default and not carried.
    expect(parseClientMessage({ t: 'subscribe', id: 3, host: true, history: false })).toEqual({ t: 'subscribe', id: 3, host: true, history: false });
    expect(parseClientMessage({ t: 'subscribe', id: 3, host: true, history: true })).toEqual({ t: 'subscribe', id: 3, host: true });
    expect(() => parseClientMessage({ t: 'subscribe', id: 1, host: true, history: 0 })).toThrow(/subscribe history \(expected true or false\)/);
    // A refused subscribe is answered as a reply to its id.
    expect(requestIdOf({ t: 'subscribe', id: 4, host: 'yes' })).toBe(4);
  });
});
