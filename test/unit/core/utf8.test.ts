import { describe, expect, it } from 'vitest';
import { decodeUtf8, encodeUtf8 } from '../../../src/core/utf8.js';
import { randomString, rng, type Rng } from '../support/random.js';

const nodeDecoder = new TextDecoder('utf-8');
const REPLACEMENT = '\ufffd';
/** A lone surrogate code unit: what a decoder must never produce. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

/** Byte soup that often forms valid, truncated, overlong and out-of-range sequences, not just noise. */
function soup(r: Rng, length: number): Uint8Array {
  const out: number[] = [];
  while (out.length < length) {
    switch (r.int(6)) {
      case 0:
        out.push(r.int(0x80));
        break;
      case 1:
        out.push(0x80 + r.int(0x40)); // continuation byte
        break;
      case 2:
        out.push(0xc0 + r.int(0x40)); // any lead byte, including C0, C1 and F5..FF
        break;
      case 3:
        out.push(...Buffer.from(randomString(r, 1), 'utf8'));
        break;
      case 4: {
        const enc = [...Buffer.from(randomString(r, 1), 'utf8')];
        out.push(...enc.slice(0, Math.max(1, r.int(enc.length)))); // truncated sequence
        break;
      }
      default:
        out.push(r.int(256));
    }
  }
  return Uint8Array.from(out.slice(0, length));
}

describe('encodeUtf8', () => {
  it('encodes ASCII as one byte per character', () => {
    expect([...encodeUtf8('log hi\n')]).toEqual([0x6c, 0x6f, 0x67, 0x20, 0x68, 0x69, 0x0a]);
  });

  it('encodes 2-, 3- and 4-byte characters as UTF-8', () => {
    expect([...encodeUtf8('é')]).toEqual([0xc3, 0xa9]);
    expect([...encodeUtf8('€')]).toEqual([0xe2, 0x82, 0xac]);
    expect([...encodeUtf8('😀')]).toEqual([0xf0, 0x9f, 0x98, 0x80]);
  });

  it('encodes the boundary code points of each length the way Buffer does', () => {
    for (const cp of [0x0, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff, 0x10000, 0x10ffff]) {
      const text = String.fromCodePoint(cp);
      expect([...encodeUtf8(text)], `U+${cp.toString(16)}`).toEqual([...Buffer.from(text, 'utf8')]);
    }
  });

  it('matches Buffer on 2000 random well-formed strings', () => {
    const r = rng(0x5eed01);
    for (let n = 0; n < 2000; n++) {
      const text = randomString(r, r.int(40));
      expect([...encodeUtf8(text)]).toEqual([...Buffer.from(text, 'utf8')]);
    }
  });

  it('returns an empty array for an empty string', () => {
    expect(encodeUtf8('')).toHaveLength(0);
  });
});

describe('decodeUtf8', () => {
  it('round-trips 1-, 2-, 3- and 4-byte characters', () => {
    const text = 'a é € 😀 \u07ff\u0800\uffff\u{10000}\u{10ffff}';
    expect(decodeUtf8(encodeUtf8(text))).toBe(text);
  });

  it('round-trips 2000 random well-formed strings and agrees with TextDecoder on them', () => {
    const r = rng(0x5eed02);
    for (let n = 0; n < 2000; n++) {
      const text = randomString(r, r.int(40));
      const encoded = Buffer.from(text, 'utf8');
      expect(decodeUtf8(encodeUtf8(text))).toBe(text);
      expect(decodeUtf8(encoded)).toBe(nodeDecoder.decode(encoded));
    }
  });

  it('decodes a view into a larger buffer from its own offset', () => {
    const backing = bytes(0x41, 0xe2, 0x82, 0xac, 0x42);
    expect(decodeUtf8(backing.subarray(1, 4))).toBe('€');
  });

  it('replaces a lone continuation byte with U+FFFD', () => {
    expect(decodeUtf8(bytes(0x61, 0x80, 0x62))).toBe(`a${REPLACEMENT}b`);
  });

  it('replaces the never-valid bytes C0, C1 and F5 to FF with one U+FFFD each', () => {
    for (const b of [0xc0, 0xc1, 0xf5, 0xf8, 0xfe, 0xff]) {
      expect(decodeUtf8(bytes(b, 0x41)), b.toString(16)).toBe(`${REPLACEMENT}A`);
    }
  });

  it('replaces an overlong 2-byte form of "/" with replacement characters, as TextDecoder does', () => {
    expect(decodeUtf8(bytes(0xc0, 0xaf))).toBe(nodeDecoder.decode(bytes(0xc0, 0xaf)));
  });

  it('replaces a sequence truncated by the end of input with one U+FFFD', () => {
    expect(decodeUtf8(bytes(0x61, 0xe2, 0x82))).toBe(`a${REPLACEMENT}`);
    expect(decodeUtf8(bytes(0xf0, 0x9f, 0x98))).toBe(REPLACEMENT);
  });

  it('replaces a sequence cut short by an ASCII byte and keeps that byte', () => {
    expect(decodeUtf8(bytes(0xe2, 0x82, 0x41))).toBe(`${REPLACEMENT}A`);
    expect(decodeUtf8(bytes(0xc3, 0x0a))).toBe(`${REPLACEMENT}\n`);
  });

  it('decodes a valid character that follows a broken lead byte', () => {
    expect(decodeUtf8(bytes(0xf0, 0xe2, 0x82, 0xac))).toBe(`${REPLACEMENT}€`);
  });

  it('never produces a surrogate for an encoded surrogate, an overlong form or a code point above U+10FFFF', () => {
    const cases = [
      bytes(0xed, 0xa0, 0x80), // U+D800
      bytes(0xed, 0xbf, 0xbf), // U+DFFF
      bytes(0xe0, 0x80, 0x80), // overlong U+0000
      bytes(0xe0, 0x9f, 0xbf), // overlong U+07FF
      bytes(0xf0, 0x80, 0x80, 0x80), // overlong U+0000
      bytes(0xf0, 0x8f, 0xbf, 0xbf), // overlong U+FFFF
      bytes(0xf4, 0x90, 0x80, 0x80), // U+110000
    ];
    for (const c of cases) {
      const text = decodeUtf8(Uint8Array.from([...c, 0x5a]));
      expect(text, [...c].map((b) => b.toString(16)).join(' ')).toMatch(/^\ufffd+Z$/);
    }
  });

  it('decodes an empty array to an empty string', () => {
    expect(decodeUtf8(new Uint8Array(0))).toBe('');
  });

  it('never throws on 2000 random byte arrays and never returns a lone surrogate', () => {
    const r = rng(0x5eed03);
    for (let n = 0; n < 2000; n++) {
      const input = r.next() < 0.5 ? r.bytes(r.int(64)) : soup(r, r.int(64));
      let text = '';
      expect(() => {
        text = decodeUtf8(input);
      }).not.toThrow();
      expect(LONE_SURROGATE.test(text)).toBe(false);
    }
  });

  it('agrees with TextDecoder and Buffer on 2000 random byte arrays once runs of U+FFFD are counted as one', () => {
    // TextDecoder replaces each maximal invalid subpart; only the characters between errors are compared exactly.
    const collapse = (s: string): string => s.replace(/\ufffd+/g, REPLACEMENT);
    const r = rng(0x5eed04);
    for (let n = 0; n < 2000; n++) {
      const input = r.next() < 0.25 ? r.bytes(r.int(64)) : soup(r, r.int(64));
      const ours = collapse(decodeUtf8(input));
      expect(ours).toBe(collapse(nodeDecoder.decode(input)));
      expect(ours).toBe(collapse(Buffer.from(input).toString('utf8')));
    }
  });
});
