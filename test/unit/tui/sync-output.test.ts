// The terminal's DECRQM reply about synchronized output (mode 2026): found, taken out of what was typed, read as
// supported (1 set, 2 reset) or not (0 unknown, 4 permanently reset); anything else left as it came.

import { describe, expect, it } from 'vitest';
import { takeSyncReply } from '../../../src/tui/sync-output.js';

const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');

describe('takeSyncReply', () => {
  it('reads 1 and 2 as supported, 0 and 4 as not', () => {
    expect(takeSyncReply(bytes('\x1b[?2026;2$y')).supported).toBe(true);
    expect(takeSyncReply(bytes('\x1b[?2026;1$y')).supported).toBe(true);
    expect(takeSyncReply(bytes('\x1b[?2026;0$y')).supported).toBe(false);
    expect(takeSyncReply(bytes('\x1b[?2026;4$y')).supported).toBe(false);
  });
  it('takes the reply out of the keys around it: it never reaches a guest', () => {
    const r = takeSyncReply(bytes('ab\x1b[?2026;2$ycd'));
    expect(text(r.rest)).toBe('abcd');
    expect(r.supported).toBe(true);
  });
  it('leaves typing alone, a dollar sign and other modes\' replies included', () => {
    for (const s of ['echo $HOME\r', '\x1b[?1049;1$y', 'x']) {
      const r = takeSyncReply(bytes(s));
      expect(text(r.rest)).toBe(s);
      expect(r.supported).toBeUndefined();
    }
  });
});
