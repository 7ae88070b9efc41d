// The safe renderer: what it paints (checked by painting its output into a second xterm, standing in for the admin's
// terminal), colour reduction, wide chars, clipping, cursor, history scroll and row diffing.

import { describe, expect, it } from 'vitest';
import { FrameRenderer, cursorTo, renderFrame, type RenderOptions } from '../../../src/term/render.js';
import { Screen } from '../../../src/term/screen.js';
import { dumpVisible, strictTokens, trackedScreens } from './cells.js';

const screen = trackedScreens();

const at = (o: Partial<RenderOptions> & Pick<RenderOptions, 'cols' | 'rows'>): RenderOptions => ({
  top: 0,
  left: 0,
  colors: 256,
  ...o,
});

/** The admin's terminal: the renderer's bytes painted into a fresh screen of that size. */
async function paint(bytes: string, cols: number, rows: number): Promise<Screen> {
  strictTokens(bytes);
  const t = screen({ cols, rows, scrollback: 0 });
  await t.write(bytes);
  return t;
}

const sgrs = (bytes: string) => strictTokens(bytes).filter((t) => t.kind === 'csi' && t.value.endsWith('m')).map((t) => t.value);

describe('renderFrame', () => {
  it('paints the screen into a region at its offset, leaving the rest of the terminal alone', async () => {
    const s = screen({ cols: 10, rows: 3 });
    await s.write('hello\r\nworld');
    const { bytes } = renderFrame(s, at({ cols: 10, rows: 3, top: 2, left: 5 }));
    const t = await paint(bytes, 20, 6);
    expect(t.visibleText()).toEqual(['', '', '     hello', '     world', '', '']);
    expect(bytes.endsWith(`${cursorTo(3, 10)}\x1b[?25h`)).toBe(true);
  });

  it.each([
    [80, 24],
    [200, 60],
  ])('a full %ix%i screen paints back identically, colours and wide chars included', async (cols, rows) => {
    const s = screen({ cols, rows });
    for (let i = 0; i < rows + 5; i++) {
      await s.write(`\r\n\x1b[38;5;${(i * 7) % 256};48;5;${i % 256}m${i}\x1b[0;1;3;4m x\x1b[0m 中文${'ab中'.repeat(i % 20)}`);
    }
    const { bytes } = renderFrame(s, at({ cols, rows }));
    const t = await paint(bytes, cols, rows);
    expect(dumpVisible(t, { painted: true })).toEqual(dumpVisible(s, { painted: true }));
    expect(t.cursor).toEqual(s.cursor);
  });

  it('emits every attribute the renderer knows as SGR', async () => {
    const s = screen({ cols: 20, rows: 1 });
    await s.write('\x1b[1;2;3;4;7;8;9;31;42mX');
    expect(sgrs(renderFrame(s, at({ cols: 20, rows: 1 })).bytes)).toContain('\x1b[0;1;2;3;4;7;8;9;31;42m');
  });

  it('reduces colours to the depth asked for', async () => {
    const s = screen({ cols: 20, rows: 1 });
    await s.write('\x1b[91ma\x1b[38;5;208mb\x1b[38;2;255;135;0mc\x1b[48;2;8;8;8md\x1b[38;2;250;10;10me');
    const full = renderFrame(s, at({ cols: 20, rows: 1, colors: 256 })).bytes;
    // b (palette 208) and c (truecolor 255,135,0, nearest 208) share one SGR.
    expect(full).toContain('\x1b[0;38;5;208mbc');
    expect(sgrs(full).slice(0, 4)).toEqual([
      '\x1b[0;91m',
      '\x1b[0;38;5;208m',
      '\x1b[0;38;5;208;48;5;232m',
      '\x1b[0;38;5;196;48;5;232m',
    ]);
    const sixteen = sgrs(renderFrame(s, at({ cols: 20, rows: 1, colors: 16 })).bytes);
    expect(sixteen.slice(0, 4)).toEqual(['\x1b[0;91m', '\x1b[0;33m', '\x1b[0;33;40m', '\x1b[0;91;40m']);
    expect(sixteen.join('')).not.toMatch(/[34]8;/);
  });

  it('emits a wide char once, skips its trailing cell and re-sets the column after it', async () => {
    const s = screen({ cols: 8, rows: 1 });
    await s.write('中x😀y');
    const { bytes } = renderFrame(s, at({ cols: 8, rows: 1 }));
    const text = strictTokens(bytes).filter((t) => t.kind === 'text').map((t) => t.value);
    expect(text.join('')).toBe('中x😀y   ');
    // 中 takes columns 1-2 and 😀 (one column in xterm's Unicode 6 tables) column 4: the next columns are set by CUP.
    expect(bytes).toContain(`中${cursorTo(0, 2)}x😀${cursorTo(0, 4)}y`);
  });

  it('blanks a wide char that would straddle the region edge, and clips columns and rows outside the region', async () => {
    const s = screen({ cols: 10, rows: 3 });
    await s.write('abc中defgh\r\nline2\r\nline3');
    const t = await paint(renderFrame(s, at({ cols: 4, rows: 2 })).bytes, 4, 2);
    expect(t.visibleText()).toEqual(['abc', 'line']);
  });

  it('blanks an emoji in the region\'s last column, where a terminal drawing it two columns wide would spill', async () => {
    const s = screen({ cols: 5, rows: 1 });
    await s.write('ab中😀');
    const t = await paint(renderFrame(s, at({ cols: 5, rows: 1 })).bytes, 5, 1);
    expect(t.visibleText()).toEqual(['ab中']);
    const wider = await paint(renderFrame(s, at({ cols: 6, rows: 1 })).bytes, 6, 1);
    expect(wider.visibleText()).toEqual(['ab中😀']);
  });

  it('pads a region larger than the screen with blanks in the default colours', async () => {
    const s = screen({ cols: 4, rows: 1 });
    await s.write('\x1b[41mabcd');
    const { bytes } = renderFrame(s, at({ cols: 6, rows: 2 }));
    expect(bytes).toContain('abcd\x1b[0m  ');
    expect(bytes).toContain(`${cursorTo(1, 0)}\x1b[0m      `);
  });

  it('hides the cursor when the guest hid it, when it is outside the region, or when asked to', async () => {
    const s = screen({ cols: 10, rows: 3 });
    await s.write('\r\n\r\nabc');
    expect(renderFrame(s, at({ cols: 10, rows: 3 })).bytes).toMatch(/\x1b\[3;4H\x1b\[\?25h$/);
    expect(renderFrame(s, at({ cols: 10, rows: 2 })).bytes).toMatch(/\x1b\[\?25l$/);
    expect(renderFrame(s, at({ cols: 10, rows: 3, cursor: false })).bytes).toMatch(/\x1b\[\?25l$/);
    await s.write('\x1b[?25l');
    expect(renderFrame(s, at({ cols: 10, rows: 3 })).bytes).toMatch(/\x1b\[\?25l$/);
  });

  it('scrolls back into history, clamped to the oldest line', async () => {
    const s = screen({ cols: 10, rows: 2, scrollback: 50 });
    for (let i = 0; i < 10; i++) await s.write(`l${i}\r\n`);
    const show = async (scroll: number) =>
      (await paint(renderFrame(s, at({ cols: 10, rows: 2, scroll })).bytes, 10, 2)).visibleText();
    expect(await show(0)).toEqual(['l9', '']);
    expect(await show(3)).toEqual(['l6', 'l7']);
    expect(await show(1000)).toEqual(['l0', 'l1']);
  });
});

describe('renderFrame diffing', () => {
  it('renders an unchanged screen as just the cursor position', async () => {
    const s = screen({ cols: 80, rows: 24 });
    await s.write('\x1b[31mhello\x1b[0m\r\n中文 world');
    const opts = at({ cols: 80, rows: 24, top: 1, left: 2 });
    const first = renderFrame(s, opts);
    const again = renderFrame(s, { ...opts, prev: first.frame });
    expect(again.bytes).toBe(`${cursorTo(2, 12)}\x1b[?25h`);
  });

  it('re-emits only the rows whose cells changed', async () => {
    const s = screen({ cols: 20, rows: 5 });
    await s.write('one\r\ntwo\r\nthree');
    const first = renderFrame(s, at({ cols: 20, rows: 5 }));
    await s.write('\x1b[2;1H\x1b[1mTWO');
    const next = renderFrame(s, at({ cols: 20, rows: 5, prev: first.frame }));
    const cups = strictTokens(next.bytes).filter((t) => t.kind === 'csi' && t.value.endsWith('H'));
    expect(cups.map((t) => t.value)).toEqual([cursorTo(1, 0), cursorTo(1, 3)]);
    expect(next.bytes).toContain('\x1b[0;1mTWO');
    expect(next.bytes).not.toContain('one');
  });

  it('repaints everything when the region moves, resizes or changes colour depth', async () => {
    const s = screen({ cols: 10, rows: 2 });
    await s.write('a\r\nb');
    const first = renderFrame(s, at({ cols: 10, rows: 2 }));
    for (const changed of [{ top: 1 }, { left: 1 }, { cols: 9 }, { rows: 1 }, { colors: 16 as const }]) {
      const next = renderFrame(s, { ...at({ cols: 10, rows: 2 }), ...changed, prev: first.frame });
      expect(next.bytes).toContain('a');
    }
  });

  it('scrolls a full-width region with the terminal\'s scroll region and sends only the rows that still differ', async () => {
    const s = screen({ cols: 20, rows: 6 });
    await s.write(Array.from({ length: 6 }, (_, i) => `line ${i}`).join('\r\n'));
    const opts = at({ cols: 20, rows: 6, top: 1 });
    const first = renderFrame(s, opts);
    await s.write('\r\nline 6\r\nline 7 and more');
    const plain = renderFrame(s, { ...opts, prev: first.frame });
    const scrolled = renderFrame(s, { ...opts, prev: first.frame, scrollRegion: true });
    expect(scrolled.bytes).toContain('\x1b[2;7r\x1b[2S\x1b[r');
    expect(scrolled.bytes.length).toBeLessThan(plain.bytes.length / 2);
    // The terminal: the first frame, a status line below the region, then the scrolled frame.
    const t = await paint(`${first.bytes}${cursorTo(7, 0)}status`, 20, 8);
    await t.write(scrolled.bytes);
    expect(t.visibleText()).toEqual(['', 'line 2', 'line 3', 'line 4', 'line 5', 'line 6', 'line 7 and more', 'status']);
    expect(strictTokens(scrolled.bytes).length).toBeGreaterThan(0);
  });

  it('does not scroll a region that is not full width, nor one whose rows did not move', async () => {
    const s = screen({ cols: 20, rows: 4 });
    await s.write('a\r\nb\r\nc\r\nd');
    const first = renderFrame(s, at({ cols: 20, rows: 4 }));
    await s.write('\r\ne');
    expect(renderFrame(s, at({ cols: 20, rows: 4, prev: first.frame })).bytes).not.toContain('S');
    await s.write('x');
    const again = renderFrame(s, at({ cols: 20, rows: 4 }));
    await s.write('y');
    expect(renderFrame(s, at({ cols: 20, rows: 4, prev: again.frame, scrollRegion: true })).bytes).not.toMatch(/\x1b\[\d*S/);
  });

  it('FrameRenderer keeps the last frame until invalidated', async () => {
    const s = screen({ cols: 10, rows: 2 });
    await s.write('abc');
    const r = new FrameRenderer();
    const opts = at({ cols: 10, rows: 2 });
    expect(r.render(s, opts)).toContain('abc');
    expect(r.render(s, opts)).toBe(`${cursorTo(0, 3)}\x1b[?25h`);
    await s.write('d');
    expect(r.render(s, opts)).toContain('abcd');
    r.invalidate();
    const full = r.render(s, opts);
    expect(full).toContain('abcd');
    expect(full).toContain(cursorTo(1, 0));
  });
});
