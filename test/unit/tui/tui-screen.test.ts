// TuiScreen's frames: a frame where only a pane's cells changed draws just that pane's rows (no whole render); one
// where the pane is covered by a widget drawn after it, or has moved, or anything else changed, renders the screen.
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import blessed from '../../../src/tui/blessed-lite.js';
import { TuiScreen, type BoxCoords, type CellPart } from '../../../src/tui/tui-screen.js';

const turn = () => new Promise((r) => setImmediate(r));

function terminal(): { ui: TuiScreen; written: () => string } {
  const output = Object.assign(new PassThrough(), { columns: 60, rows: 12, isTTY: true });
  const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
  let out = '';
  output.on('data', (b: Buffer) => (out += b.toString()));
  const ui = new TuiScreen({ input, output, terminal: 'xterm-256color' });
  return { ui, written: () => out };
}

/** A pane-like part: writes `text` at the start of its box's inner area. */
function part(box: ReturnType<typeof blessed.box>): CellPart & { text: string } {
  const p = {
    box,
    text: '',
    fill(at: BoxCoords) {
      const lines = (box.screen as unknown as { lines: Array<Array<[number, string]> & { dirty?: boolean }> }).lines;
      const line = lines[at.yi + 1]!;
      for (let i = 0; i < p.text.length; i++) {
        line[at.xi + 1 + i]![1] = p.text[i]!;
        line.dirty = true;
      }
    },
  };
  box.on('render', (at: BoxCoords) => p.fill(at));
  return p;
}

let open: TuiScreen | undefined;
afterEach(() => open?.dispose());

describe('TuiScreen frames', () => {
  it('draws only the pane when only its cells changed, and the whole screen when something covers it or it moved', async () => {
    const { ui, written } = terminal();
    open = ui;
    const box = blessed.box({ parent: ui.blessed, top: 0, left: 20, width: 30, height: 6, border: 'line' });
    blessed.box({ parent: ui.blessed, top: 0, left: 0, width: 20, height: 10, content: 'sidebar' });
    const pane = part(box);
    const render = vi.spyOn(ui.blessed, 'render');
    ui.repaint();
    await turn();
    expect(render).toHaveBeenCalledTimes(1);

    pane.text = 'aaaaaa';
    ui.repaintCells(pane);
    await turn();
    expect(render).toHaveBeenCalledTimes(1); // no whole render
    expect(written()).toContain('aaaaaa');
    expect(ui.renders).toBe(2);

    // An overlay made after the pane, over it: the pane alone would draw over the overlay.
    const overlay = blessed.box({ parent: ui.blessed, top: 3, left: 25, width: 10, height: 2, content: 'help' });
    ui.repaint();
    await turn();
    expect(render).toHaveBeenCalledTimes(2);
    pane.text = 'bbbbbb';
    ui.repaintCells(pane);
    await turn();
    expect(render).toHaveBeenCalledTimes(3);
    expect(written()).toContain('bbbbbb');
    const row3 = (ui.blessed as unknown as { lines: Array<Array<[number, string]>> }).lines[3]!;
    expect(row3.slice(25, 29).map((c) => c[1]).join('')).toBe('help');

    overlay.hide();
    ui.repaint();
    await turn();
    expect(render).toHaveBeenCalledTimes(4);
    // Moved since the last whole render: its last place is stale.
    box.left = 22;
    pane.text = 'cccccc';
    ui.repaintCells(pane);
    await turn();
    expect(render).toHaveBeenCalledTimes(5);
    pane.text = 'dddddd';
    ui.repaintCells(pane);
    await turn();
    expect(render).toHaveBeenCalledTimes(5);
    expect(written()).toContain('dddddd');
  });
});
