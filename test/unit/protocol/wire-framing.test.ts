// The wire's frame decoder with bytes: frames split anywhere, and the size limit each reader sets refused from the
// header on (before the body is buffered), with a message that names the limit.

import { describe, expect, it } from 'vitest';
import { encodeDataFrame, encodeJsonFrame, FrameDecoder, MAX_FRAME } from '../../../src/protocol/wire-framing.js';
import { formatLimit, MAX_CLIENT_FRAME } from '../../../src/protocol/wire-limits.js';
import { UmuxError } from '../../../src/core/errors.js';

/** A frame header: length (kind byte included) and kind. */
function header(length: number, kind = 1): Uint8Array {
  const h = new Uint8Array(5);
  new DataView(h.buffer).setUint32(0, length, false);
  h[4] = kind;
  return h;
}

function refusal(fn: () => unknown): UmuxError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UmuxError) return err;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('FrameDecoder', () => {
  it('decodes frames split at every byte, and says how much of a frame is pending', () => {
    const bytes = new Uint8Array([...encodeJsonFrame({ t: 'hello' }), ...encodeDataFrame(7, new Uint8Array([1, 2, 3]))]);
    const dec = new FrameDecoder();
    const frames = [];
    for (let i = 0; i < bytes.length; i++) {
      frames.push(...dec.push(bytes.subarray(i, i + 1)));
      if (i === 3) expect(dec.pending).toBe(4);
    }
    expect(frames).toEqual([
      { kind: 'json', value: { t: 'hello' } },
      { kind: 'data', stream: 7, bytes: new Uint8Array([1, 2, 3]) },
    ]);
    expect(dec.pending).toBe(0);
  });

  it('takes a frame of exactly its limit', () => {
    const dec = new FrameDecoder({ maxFrame: 16 });
    const frame = encodeDataFrame(1, new Uint8Array(11)); // length field 1 + 4 + 11 = 16
    expect(dec.push(frame)).toEqual([{ kind: 'data', stream: 1, bytes: new Uint8Array(11) }]);
  });

  it('refuses a frame one byte over its limit from the header alone, naming the limit', () => {
    const dec = new FrameDecoder({ maxFrame: MAX_CLIENT_FRAME, sender: 'a client', hint: 'send less' });
    const err = refusal(() => dec.push(header(MAX_CLIENT_FRAME + 1)));
    expect(err.code).toBe('too-long');
    expect(err.message).toBe('wire frame of 1048577 bytes: a client may send at most 1048576 bytes (1 MiB)');
    expect(err.hint).toBe('send less');
  });

  it('refuses a 31 MiB client frame before any of its body came', () => {
    const dec = new FrameDecoder({ maxFrame: MAX_CLIENT_FRAME, sender: 'a client' });
    expect(() => dec.push(new Uint8Array([...header(31 * 1024 * 1024 + 1), 0x7b]))).toThrow(/at most 1048576 bytes \(1 MiB\)/);
  });

  it('lets the client side take server frames up to MAX_FRAME (large snapshots)', () => {
    const dec = new FrameDecoder();
    expect(dec.push(header(31 * 1024 * 1024 + 1))).toEqual([]);
    expect(dec.pending).toBe(5);
    expect(() => new FrameDecoder().push(header(MAX_FRAME + 1))).toThrow(`wire frame of ${MAX_FRAME + 1} bytes: the server may send at most ${MAX_FRAME} bytes (32 MiB)`);
  });

  it('refuses an empty frame and an unknown kind', () => {
    expect(() => new FrameDecoder().push(header(0))).toThrow('wire frame of 0 bytes: expected at least its kind byte');
    expect(() => new FrameDecoder().push(new Uint8Array([...header(2, 9), 0]))).toThrow('wire frame of kind 9: expected 1 (json) or 2 (data)');
  });
});

describe('formatLimit', () => {
  it('says MiB, KiB or bytes', () => {
    expect(formatLimit(1024 * 1024)).toBe('1 MiB');
    expect(formatLimit(64 * 1024 * 1024)).toBe('64 MiB');
    expect(formatLimit(960 * 1024)).toBe('960 KiB');
    expect(formatLimit(1000)).toBe('1000 bytes');
  });
});
