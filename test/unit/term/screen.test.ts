// Screen: parsing order, snapshots that rebuild the screen cell for cell, query replies, bounded scrollback, resize.

import { describe, expect, it } from 'vitest';
import { encodeUtf8 } from '../../../src/core/utf8.js';
import { Screen } from '../../../src/term/screen.js';
import { dumpAll, dumpVisible, trackedScreens } from './cells.js';

const screen = trackedScreens();

/** Snapshot a screen, replay it into a fresh one of the same size, and return both. */
async function replay(src: Screen, scrollback?: number): Promise<Screen> {
  const snap = src.snapshot(scrollback === undefined ? {} : { scrollback });
  expect([snap.cols, snap.rows]).toEqual([src.cols, src.rows]);
  const dst = screen({ cols: snap.cols, rows: snap.rows, scrollback: 5000 });
  await dst.write(snap.data);
  return dst;
}

const COLOURFUL =
  'plain \x1b[1mbold\x1b[0m \x1b[2mdim\x1b[0m \x1b[3mit\x1b[0m \x1b[4mul\x1b[0m \x1b[7minv\x1b[0m \x1b[9mstrike\x1b[0m\r\n' +
  '\x1b[31mred\x1b[42mongreen\x1b[0m \x1b[91mbright\x1b[0m \x1b[38;5;208morange\x1b[48;5;236mgrey\x1b[0m\r\n' +
  '\x1b[38;2;10;200;30mtrue\x1b[48;2;250;0;120mcolor\x1b[0m \x1b[1;4;35mmix\x1b[0m\r\n' +
  'wide: 中文字 emoji: 😀🎉 é\u0301 ok\r\n';

describe('Screen', () => {
  it('has the documented defaults', () => {
    const s = screen();
    expect([s.cols, s.rows]).toEqual([80, 24]);
    expect(s.bufferLength).toBe(24);
    expect(s.isAltScreen).toBe(false);
    expect(s.cursorVisible).toBe(true);
  });

  it('applies writes in order and resolves each once it is parsed', async () => {
    const s = screen({ cols: 20, rows: 4 });
    const order: number[] = [];
    const writes = ['one ', encodeUtf8('two '), 'three'].map((d, i) => s.write(d).then(() => order.push(i)));
    await Promise.all(writes);
    expect(order).toEqual([0, 1, 2]);
    expect(s.pending).toBe(0);
    expect(s.visibleText()[0]).toBe('one two three');
  });

  it('parses a write that finds nothing queued in the caller\'s turn (an echo waits for no timer)', () => {
    const s = screen({ cols: 20, rows: 2 });
    void s.write('/ # ');
    expect(s.visibleText()[0]).toBe('/ #');
    void s.write(encodeUtf8('l'));
    expect(s.visibleText()[0]).toBe('/ # l');
    expect(s.pending).toBe(0);
  });

  it('resolves an empty write only after the writes before it (a parse barrier)', async () => {
    const s = screen({ cols: 20, rows: 2 });
    void s.write('x'.repeat(200_000));
    await s.write(new Uint8Array(0));
    expect(s.pending).toBe(0);
    expect(s.visibleText()[1]).toBe('x'.repeat(20));
  });

  it('joins a UTF-8 sequence split across two byte writes', async () => {
    const s = screen({ cols: 10, rows: 2 });
    const bytes = encodeUtf8('a中b');
    await s.write(bytes.slice(0, 2));
    await s.write(bytes.slice(2));
    expect(s.lineText(0)).toBe('a中b');
  });

  it('reports lines by absolute index and the cursor relative to the screen', async () => {
    const s = screen({ cols: 10, rows: 3 });
    await s.write('a\r\nb\r\nc\r\nd\r\nxy');
    expect(s.bufferLength).toBe(5);
    expect([s.lineText(0), s.lineText(4), s.lineText(99)]).toEqual(['a', 'xy', '']);
    expect(s.visibleText()).toEqual(['c', 'd', 'xy']);
    expect(s.cursor).toEqual({ x: 2, y: 2 });
  });

  it('snapshot rebuilds colours, attributes, wide chars and the cursor cell for cell', async () => {
    const s = screen({ cols: 40, rows: 8 });
    await s.write(`${COLOURFUL}\x1b[5;7H\x1b[1;33;44m`);
    const d = await replay(s);
    expect(dumpVisible(d)).toEqual(dumpVisible(s));
    expect(d.cursor).toEqual({ x: 6, y: 4 });
    // The pen is restored too: the next character comes out bold yellow on blue in both.
    await Promise.all([s.write('Z'), d.write('Z')]);
    expect(dumpVisible(d)).toEqual(dumpVisible(s));
  });

  it('snapshot keeps a wide char pushed to the next line and a pending wrap at the right margin', async () => {
    const s = screen({ cols: 10, rows: 4 });
    await s.write('123456789中\r\nabcdefghij');
    expect(s.cursor).toEqual({ x: 10, y: 2 });
    const d = await replay(s);
    expect(dumpVisible(d)).toEqual(dumpVisible(s));
    expect(d.cursor).toEqual(s.cursor);
  });

  it('snapshot carries all history by default and exactly the requested amount when asked', async () => {
    const s = screen({ cols: 30, rows: 5, scrollback: 100 });
    for (let i = 0; i < 40; i++) await s.write(`\x1b[3${i % 8}mline ${i}\x1b[0m 中${i}\r\n`);
    await s.write('prompt$ ');
    expect(s.bufferLength).toBe(41);
    const all = await replay(s);
    expect(dumpAll(all)).toEqual(dumpAll(s));
    const some = await replay(s, 10);
    expect(some.bufferLength).toBe(15);
    expect(dumpAll(some)).toEqual(dumpAll(s).slice(-15));
    expect(some.cursor).toEqual(s.cursor);
    const none = await replay(s, 0);
    expect(dumpAll(none)).toEqual(dumpVisible(s));
  });

  it('snapshot restores the alternate screen with the normal screen behind it', async () => {
    const s = screen({ cols: 20, rows: 4 });
    await s.write('shell$ vi\r\n\x1b[?1049h\x1b[H\x1b[32m~ editor\x1b[0m\x1b[2;3H');
    expect(s.isAltScreen).toBe(true);
    const d = await replay(s);
    expect(d.isAltScreen).toBe(true);
    expect(dumpVisible(d)).toEqual(dumpVisible(s));
    expect(d.cursor).toEqual({ x: 2, y: 1 });
    await Promise.all([s.write('\x1b[?1049l'), d.write('\x1b[?1049l')]);
    expect(d.visibleText()[0]).toBe('shell$ vi');
    expect(dumpVisible(d)).toEqual(dumpVisible(s));
  });

  it('snapshot keeps a hidden cursor hidden, and RIS or DECSTR shows it again', async () => {
    const s = screen({ cols: 10, rows: 2 });
    await s.write('\x1b[?1;25l');
    expect(s.cursorVisible).toBe(false);
    expect((await replay(s)).cursorVisible).toBe(false);
    await s.write('\x1b[?25h');
    expect(s.cursorVisible).toBe(true);
    await s.write('\x1b[?25l\x1bc');
    expect(s.cursorVisible).toBe(true);
    await s.write('\x1b[?25l\x1b[!p');
    expect(s.cursorVisible).toBe(true);
  });

  it.each([
    [80, 24],
    [200, 60],
  ])('round-trips a full %ix%i screen with history', async (cols, rows) => {
    const s = screen({ cols, rows, scrollback: 200 });
    const line = (i: number) => `\x1b[38;5;${i % 256}m${String(i).padStart(4)}\x1b[0m ${'x中😀'.repeat(i % 30)}`;
    for (let i = 0; i < rows * 3; i++) await s.write(`${line(i)}\r\n`);
    const d = await replay(s);
    expect(d.bufferLength).toBe(s.bufferLength);
    expect(dumpAll(d)).toEqual(dumpAll(s));
    expect(d.cursor).toEqual(s.cursor);
  });
});

describe('Screen queries', () => {
  it('answers DSR and DA on onQueryReply when answerQueries is set', async () => {
    const s = screen({ cols: 40, rows: 10, answerQueries: true });
    const replies: string[] = [];
    s.onQueryReply((r) => replies.push(r));
    await s.write('/ # \x1b[6n');
    await s.write('\x1b[c');
    expect(replies).toEqual(['\x1b[1;5R', '\x1b[?1;2c']);
  });

  it('drops the replies when answerQueries is off (the default)', async () => {
    const s = screen({ cols: 40, rows: 10 });
    const replies: string[] = [];
    s.onQueryReply((r) => replies.push(r));
    await s.write('/ # \x1b[6n\x1b[c\x1b[>c\x1b[5n');
    expect(replies).toEqual([]);
    expect(s.visibleText()[0]).toBe('/ #');
  });

  it('never reports window title or size (the window ops are disabled)', async () => {
    const s = screen({ cols: 40, rows: 10, answerQueries: true });
    const replies: string[] = [];
    s.onQueryReply((r) => replies.push(r));
    await s.write('\x1b]2;evil\x07\x1b[21t\x1b[18t\x1b[14t\x1b[13t');
    expect(replies).toEqual([]);
  });
});

describe('Screen bounds and size', () => {
  it('keeps at most scrollback + rows lines after 5000 lines of output', async () => {
    const s = screen({ cols: 80, rows: 24, scrollback: 100 });
    let chunk = '';
    for (let i = 0; i < 5000; i++) chunk += `line ${i}\r\n`;
    await s.write(chunk);
    expect(s.bufferLength).toBeLessThanOrEqual(124);
    expect(s.lineText(0)).toBe('line 4877');
    expect(s.visibleText()[22]).toBe('line 4999');
    const snap = s.snapshot();
    expect(snap.data.split('\r\n').length).toBeLessThanOrEqual(124);
  });

  it('resizes, reporting the new size in snapshots', async () => {
    const s = screen({ cols: 80, rows: 24 });
    await s.write('hello');
    s.resize(200, 60);
    expect([s.cols, s.rows]).toEqual([200, 60]);
    expect(s.snapshot()).toMatchObject({ cols: 200, rows: 60 });
    expect(s.visibleText()[0]).toBe('hello');
    s.resize(40, 10);
    expect([s.cols, s.rows]).toEqual([40, 10]);
  });

  it('resolves outstanding writes on dispose and ignores writes after it', async () => {
    const s = new Screen({ cols: 10, rows: 2 });
    const w = s.write('x'.repeat(100_000));
    s.dispose();
    await w;
    await s.write('more');
    expect(s.pending).toBe(0);
  });
});
