// The renderer as a security boundary: whatever the guest sends (OSC 52, titles, DCS, mode switches, report requests,
// C1 controls), the admin's terminal receives only CUP, SGR, cursor show/hide and printable text.

import { describe, expect, it } from 'vitest';
import type { IBufferCell, IBufferLine } from '@xterm/headless';
import { encodeUtf8 } from '../../../src/core/utf8.js';
import { renderFrame, renderRow, sanitizeCellText } from '../../../src/term/render.js';
import { rng } from '../support/random.js';
import { dumpVisible, strictTokens, trackedScreens } from './cells.js';

const screen = trackedScreens();

const ST = '\x1b\\';
/** Each hostile sequence, followed by a marker line so the test can tell the screen still reads right. */
const HOSTILE: Array<[string, string | Uint8Array]> = [
  ['RIS', '\x1bc'],
  ['OSC 52 clipboard write', '\x1b]52;c;aGVsbG8=\x07'],
  ['OSC 52 clipboard read', `\x1b]52;c;?${ST}`],
  ['OSC 0 title', '\x1b]0;pwned-title\x07'],
  ['OSC 2 title', `\x1b]2;pwned-title${ST}`],
  ['OSC 8 hyperlink', `\x1b]8;;http://evil.example/${ST}link\x1b]8;;${ST}`],
  ['DCS DECRQSS', `\x1bP$qm${ST}`],
  ['DCS sixel', `\x1bPq#0;2;0;0;0#0~~@@vv${ST}`],
  ['APC', `\x1b_apc-payload${ST}`],
  ['PM', `\x1b^pm-payload${ST}`],
  ['SOS', `\x1bXsos-payload${ST}`],
  ['mouse tracking', '\x1b[?1000h\x1b[?1003h\x1b[?1006h'],
  ['bracketed paste', '\x1b[?2004h'],
  ['focus events', '\x1b[?1004h'],
  ['window reports', '\x1b[21t\x1b[18t\x1b[14t\x1b[13t\x1b[11t'],
  ['window ops', '\x1b[8;100;300t\x1b[3;0;0t\x1b[2t'],
  ['DSR cursor position', '\x1b[6n\x1b[5n'],
  ['device attributes', '\x1b[c\x1b[>c\x1b[=c'],
  ['C1 CSI as UTF-8 text', '\u009b31mc1red\u009b0m'],
  ['C1 OSC and DCS as UTF-8 text', '\u009d0;c1-title\u009c\u0090$qm\u009c'],
  ['C1 CSI as UTF-8 bytes', Uint8Array.of(0xc2, 0x9b, 0x33, 0x32, 0x6d, 0x67, 0xc2, 0x9b, 0x30, 0x6d)],
  ['raw byte 0x9b', Uint8Array.of(0x9b, 0x33, 0x31, 0x6d, 0x9d, 0x30, 0x3b, 0x78, 0x07)],
  ['C0 controls', '\x07\x08\x0b\x0c\x0e\x0f\x7f\x00'],
  ['charset switch to DEC graphics', '\x1b(0lqqk\x1b(B'],
  ['keypad and cursor key modes', '\x1b[?1h\x1b='],
];

describe('renderer safety', () => {
  it.each(HOSTILE)('paints only safe bytes after %s', async (_name, seq) => {
    const s = screen({ cols: 40, rows: 6 });
    const replies: string[] = [];
    s.onQueryReply((r) => replies.push(r));
    await s.write('before\r\n');
    await s.write(seq);
    await s.write('\r\nafter \x1b[1;31mstyled\x1b[0m 中文\r\n');
    for (const colors of [16, 256] as const) {
      const { bytes } = renderFrame(s, { cols: 40, rows: 6, top: 3, left: 7, colors });
      expect(() => strictTokens(bytes)).not.toThrow();
      expect(bytes).not.toMatch(/pwned|aGVsbG8|payload|evil|c1-title/);
    }
    expect(replies).toEqual([]);
    expect(s.visibleText().join('\n')).toMatch(/after styled 中文/);
  });

  it('keeps the visible text right through all of them at once, with no query reply', async () => {
    const s = screen({ cols: 80, rows: 24 });
    const replies: string[] = [];
    s.onQueryReply((r) => replies.push(r));
    for (const [, seq] of HOSTILE) await s.write(seq);
    await s.write('\x1b[?1049l\x1b[H\x1b[2J\x1b[0m(B/ # ls\r\nbin  dev  etc\r\n/ # ');
    const { bytes } = renderFrame(s, { cols: 80, rows: 24, top: 0, left: 0, colors: 256 });
    const tokens = strictTokens(bytes);
    expect(replies).toEqual([]);
    expect(s.visibleText().slice(0, 3)).toEqual(['(B/ # ls', 'bin  dev  etc', '/ #']);
    const painted = screen({ cols: 80, rows: 24 });
    await painted.write(bytes);
    expect(painted.visibleText()).toEqual(s.visibleText());
    expect(tokens.filter((t) => t.kind === 'csi').every((t) => /^\x1b\[(?:[\d;]*[Hm]|\?25[hl])$/.test(t.value))).toBe(true);
  });

  it('renders the alternate screen a guest switched to as plain cells', async () => {
    const s = screen({ cols: 20, rows: 3 });
    await s.write('shell\x1b[?1049h\x1b[Hfull-screen app');
    const { bytes } = renderFrame(s, { cols: 20, rows: 3, top: 0, left: 0, colors: 256 });
    expect(bytes).not.toContain('1049');
    expect(strictTokens(bytes).some((t) => t.value.includes('full-screen app'))).toBe(true);
  });

  it('keeps one base character and its marks per cell, defusing controls, lone surrogates and bidi controls', () => {
    expect(sanitizeCellText('a')).toBe('a');
    expect(sanitizeCellText('')).toBe('');
    expect(sanitizeCellText('\x1b]52;c;x\x07')).toBe('?');
    for (const c of ['\x00', '\x07', '\x1b', '\x7f', '\u0085', '\u009b', '\u009d', '\ud800', '\udc00']) {
      expect(sanitizeCellText(c)).toBe('?');
    }
    expect(sanitizeCellText('a\x1b[2J')).toBe('a');
    expect(sanitizeCellText('😀é中')).toBe('😀');
    expect(sanitizeCellText('e\u0301\u0302')).toBe('e\u0301\u0302');
    expect(sanitizeCellText('👍\ufe0f')).toBe('👍\ufe0f');
    expect(sanitizeCellText('\u0301')).toBe(' \u0301');
    for (const c of ['\u202e', '\u2066', '\u200b', '\ufeff', '\u2028', '\u0602']) expect(sanitizeCellText(c)).toBe(' ');
    expect(sanitizeCellText('a\u202e')).toBe('a');
    expect(Array.from(sanitizeCellText(`e${'\u0301'.repeat(10_000)}`))).toHaveLength(8);
  });

  it('enforces the substitution even if a cell holds escape sequences', () => {
    const evil = ['\x1b]52;c;aGVsbG8=\x07', '\x1b[?1049h', '\u009b6n', 'ok'];
    const cell = fakeCell();
    const line = {
      length: evil.length,
      isWrapped: false,
      getCell: (x: number) => (x < evil.length ? Object.assign(cell, { getChars: () => evil[x]! }) : undefined),
      translateToString: () => '',
    } as unknown as IBufferLine;
    const row = renderRow(line, 6, 256, cell, 0, 0);
    expect(() => strictTokens(row)).not.toThrow();
    // Each cell paints one character; the column is re-set after anything but plain ASCII.
    expect(row).toBe('\x1b[0m???o  ');
  });

  it('stays within the vocabulary for random hostile input (seeded)', async () => {
    const r = rng(0x5eed);
    const atoms = ['\x1b', '[', ']', 'P', '\\', '?', ';', '0', '1', '5', '2', 'm', 'H', 'h', 'l', 'n', 't', 'c', 'q',
      '\x07', '\x9b', '\x9d', '\x90', '\x9c', '中', '😀', '\u0301', 'a', ' ', '\r', '\n', '\x08', '\t', '\x7f'];
    for (let round = 0; round < 60; round++) {
      const s = screen({ cols: 30, rows: 8, scrollback: 20 });
      let text = '';
      for (let i = 0; i < 600; i++) text += r.pick(atoms);
      await s.write(round % 2 ? encodeUtf8(text) : text);
      await s.write(r.bytes(200));
      for (const colors of [16, 256] as const) {
        const { bytes } = renderFrame(s, { cols: 30, rows: 8, top: 1, left: 2, colors });
        expect(() => strictTokens(bytes)).not.toThrow();
      }
      // Painted into a second terminal, the cells land where the source has them. (One column wider, because an
      // emoji in the region's last column is blanked on purpose.)
      const painted = screen({ cols: 31, rows: 8, scrollback: 0 });
      await painted.write(renderFrame(s, { cols: 31, rows: 8, top: 0, left: 0, colors: 256 }).bytes);
      expect(dumpVisible(painted, { painted: true, cols: 30 })).toEqual(dumpVisible(s, { painted: true }));
      s.dispose();
      painted.dispose();
    }
  });
});

/** A plain one-column cell with default attributes; getChars is replaced per test. */
function fakeCell(): IBufferCell {
  const no = () => 0;
  const yes = () => true;
  const nope = () => false;
  return {
    getWidth: () => 1,
    getChars: () => '',
    getCode: no,
    getFgColorMode: no,
    getBgColorMode: no,
    getFgColor: no,
    getBgColor: no,
    isBold: no,
    isItalic: no,
    isDim: no,
    isUnderline: no,
    isBlink: no,
    isInverse: no,
    isInvisible: no,
    isStrikethrough: no,
    isOverline: no,
    isFgRGB: nope,
    isBgRGB: nope,
    isFgPalette: nope,
    isBgPalette: nope,
    isFgDefault: yes,
    isBgDefault: yes,
    isAttributeDefault: yes,
  };
}
