// What a console already shows, from its attach snapshot: the last lines, rows joined where they wrapped, and the
// cursor's line up to the cursor (a prompt keeps its last space).

import { describe, expect, it } from 'vitest';
import { shownLines } from '../../../src/cli/shown-lines.js';
import { Screen } from '../../../src/term/screen.js';

async function snapshotOf(text: string, cols = 20) {
  const screen = new Screen({ cols, rows: 5, scrollback: 100 });
  await screen.write(text);
  const snap = screen.snapshot();
  screen.dispose();
  return snap;
}

describe('shownLines', () => {
  it('gives the last lines and the line being written, its trailing space kept', async () => {
    const snap = await snapshotOf('one\r\ntwo\r\nthree\r\nweb1 login: ');
    expect(await shownLines(snap, 3)).toEqual({ lines: ['two', 'three'], partial: 'web1 login: ' });
    expect(await shownLines(snap, 1)).toEqual({ lines: [], partial: 'web1 login: ' });
  });

  it('joins a line that wrapped, and reaches into the scrollback', async () => {
    const long = 'x'.repeat(30);
    const snap = await snapshotOf(`${long}\r\n${Array.from({ length: 8 }, (_, i) => `l${i}`).join('\r\n')}\r\n`);
    const shown = await shownLines(snap, 10);
    expect(shown.partial).toBe('');
    expect(shown.lines).toEqual([long, 'l0', 'l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7']);
  });

  it('nothing for 0 lines', async () => {
    expect(await shownLines(await snapshotOf('a\r\n/ # '), 0)).toEqual({ lines: [], partial: '' });
  });
});
