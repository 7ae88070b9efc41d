// parseClientMessage on the resize message: a client's view size, checked like every client message (a malformed
// one is a usage error, never a crash).
import { describe, expect, it } from 'vitest';
import { parseClientMessage } from '../../../src/protocol/wire-messages.js';

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
