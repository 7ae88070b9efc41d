// The server's models are given a console's output a piece per turn, in order, barriers included.
import { describe, expect, it } from 'vitest';
import { MODEL_PIECE, ModelPacer } from '../../../src/server/model-pacer.js';
import { Screen } from '../../../src/term/screen.js';

describe('ModelPacer', () => {
  it('hands a megabyte on in pieces, one per turn, while other work runs between them', async () => {
    const pieces: number[] = [];
    const turns: number[] = [];
    const pacer = new ModelPacer({
      write: (data) => {
        pieces.push(data.length);
        return new Promise((r) => setTimeout(r, 0));
      },
    });
    const ticker = setInterval(() => turns.push(pieces.length), 0);
    await pacer.write(new Uint8Array(1024 * 1024));
    clearInterval(ticker);
    expect(pieces.length).toBe((1024 * 1024) / MODEL_PIECE);
    expect(Math.max(...pieces)).toBe(MODEL_PIECE);
    // Other timers ran while the pieces went: the megabyte never held the loop in one go.
    expect(new Set(turns).size).toBeGreaterThan(4);
  });

  it('hands small writes on with the piece before them, a barrier last, the rest on a later turn', async () => {
    const writes: string[] = [];
    let fired = 0;
    const pacer = new ModelPacer({
      write: (data) => {
        writes.push(`${data.length}@${fired}`);
        return new Promise((r) => setTimeout(() => r(void fired++), 0));
      },
    });
    const done: string[] = [];
    void pacer.write(new Uint8Array(MODEL_PIECE)).then(() => done.push('first'));
    void pacer.write(new Uint8Array(MODEL_PIECE - 10)).then(() => done.push('piece'));
    void pacer.write(new Uint8Array(0)).then(() => done.push('barrier'));
    void pacer.write(new Uint8Array(10)).then(() => done.push('small'));
    await pacer.write(new Uint8Array(1));
    expect(writes).toEqual([`${MODEL_PIECE}@0`, `${MODEL_PIECE - 10}@1`, '0@1', '10@3', '1@3']);
    expect(done).toEqual(['first', 'piece', 'barrier', 'small']);
  });

  it('resolves writes and empty barriers in order, once everything before them (and nothing after) is parsed', async () => {
    const screen = new Screen({ cols: 20, rows: 5, scrollback: 0 });
    const pacer = new ModelPacer(screen);
    const order: string[] = [];
    void pacer.write(new TextEncoder().encode('x'.repeat(100_000))).then(() => order.push('flood'));
    void pacer.write(new Uint8Array(0)).then(() => {
      order.push('barrier');
      order.push(screen.visibleText().join('|').trim().endsWith('x') ? 'parsed' : 'not parsed');
      // Nothing written after the barrier is parsed yet: a snapshot taken here has exactly the bytes before it.
      order.push(screen.visibleText().join('|').includes('end') ? 'ahead' : 'exact');
    });
    await pacer.write(new TextEncoder().encode('\r\nend'));
    expect(order).toEqual(['flood', 'barrier', 'parsed', 'exact']);
    expect(screen.visibleText().join('\n')).toContain('end');
    pacer.dispose();
    screen.dispose();
  });
});
