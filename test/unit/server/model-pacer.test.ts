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

  it('resolves writes and empty barriers in order, once everything before them is parsed', async () => {
    const screen = new Screen({ cols: 20, rows: 5, scrollback: 0 });
    const pacer = new ModelPacer(screen);
    const order: string[] = [];
    void pacer.write(new TextEncoder().encode('x'.repeat(100_000))).then(() => order.push('flood'));
    void pacer.write(new Uint8Array(0)).then(() => {
      order.push('barrier');
      order.push(screen.visibleText().join('|').trim().endsWith('x') ? 'parsed' : 'not parsed');
    });
    await pacer.write(new TextEncoder().encode('\r\nend'));
    expect(order).toEqual(['flood', 'barrier', 'parsed']);
    expect(screen.visibleText().join('\n')).toContain('end');
    pacer.dispose();
    screen.dispose();
  });
});
