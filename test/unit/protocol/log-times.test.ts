// Per-line times as a reader sees them: the HH:MM:SS.mmm prefix (local time, `--` padded where unknown), the wire
// lines of `log --times`, and the stamping of a followed byte stream at its line starts.

import { describe, expect, it } from 'vitest';
import { formatLineTime, LineStamper, stampLines, toWireLines, wireLineTime } from '../../../src/protocol/log-times.js';

const local = (h: number, m: number, s: number, ms: number): number => new Date(2026, 10, 22, h, m, s, ms).getTime();
const dec = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('formatLineTime', () => {
  it('prints local HH:MM:SS.mmm, and -- padded to the same width for an unknown time', () => {
    expect(formatLineTime(local(5, 4, 3, 21))).toBe('05:04:03.021');
    expect(formatLineTime(local(23, 59, 59, 999))).toBe('23:59:59.999');
    expect(formatLineTime(null)).toBe('--          ');
    expect(formatLineTime(null)).toHaveLength(formatLineTime(local(0, 0, 0, 0)).length);
    expect(formatLineTime(NaN)).toBe('--          ');
  });
});

describe('stampLines and the wire lines', () => {
  const lines = [
    { at: null, text: 'old' },
    { at: local(5, 40, 0, 123), text: 'login: root' },
    { at: local(5, 40, 1, 0), text: '# ', open: true as const },
  ];

  it('ends every line, or leaves an open last line open when a stream goes on', () => {
    expect(stampLines(lines)).toBe('--           old\n05:40:00.123 login: root\n05:40:01.000 # \n');
    expect(stampLines(lines, { keepOpen: true })).toBe('--           old\n05:40:00.123 login: root\n05:40:01.000 # ');
    expect(stampLines([])).toBe('');
  });

  it('sends times as ISO UTC strings or null, and reads them back', () => {
    const wire = toWireLines(lines);
    expect(wire).toEqual([
      { at: null, text: 'old' },
      { at: new Date(local(5, 40, 0, 123)).toISOString(), text: 'login: root' },
      { at: new Date(local(5, 40, 1, 0)).toISOString(), text: '# ' },
    ]);
    expect(wire.map(wireLineTime)).toEqual([null, local(5, 40, 0, 123), local(5, 40, 1, 0)]);
    expect(wireLineTime({ at: 'yesterday', text: '' })).toBeNull();
  });
});

describe('LineStamper', () => {
  it('prefixes each line start once, across chunks, and never splits UTF-8', () => {
    const s = new LineStamper();
    const t1 = local(1, 2, 3, 4);
    const t2 = local(1, 2, 3, 500);
    const euro = new TextEncoder().encode('€\r\n');
    const out = [
      s.stamp(new TextEncoder().encode('a\r\nb'), t1),
      s.stamp(euro.subarray(0, 2), t2),
      s.stamp(euro.subarray(2), t2),
      s.stamp(new TextEncoder().encode('c\n'), null),
      s.stamp(new Uint8Array(0), t2),
    ];
    const all = new Uint8Array(out.reduce((n, b) => n + b.length, 0));
    out.reduce((at, b) => (all.set(b, at), at + b.length), 0);
    expect(dec(all)).toBe('01:02:03.004 a\r\n01:02:03.004 b€\r\n--           c\n');
  });

  it('continues a line that was open before it started when told so', () => {
    const s = new LineStamper(false);
    expect(dec(s.stamp(new TextEncoder().encode('rest\nnext'), local(0, 0, 1, 0)))).toBe('rest\n00:00:01.000 next');
  });
});
