// The gauges panel's slot: nothing is built (or loaded) until the first toggle; two quick toggles build one panel;
// drawing before that does nothing; a failed load is said once and tried again on the next toggle.
import { describe, expect, it } from 'vitest';
import type { GaugesPanel } from '../../../src/tui/gauges-panel.js';
import { GaugesSlot } from '../../../src/tui/gauges-slot.js';

function fakePanel(log: string[]): GaugesPanel {
  let open = false;
  return {
    get shown() {
      return open;
    },
    toggle: () => {
      open = !open;
      log.push(open ? 'open' : 'close');
    },
    draw: () => log.push('draw'),
    applyStyle: () => log.push('style'),
  } as unknown as GaugesPanel;
}

const current = () => ({ host: undefined, samples: [] });

describe('GaugesSlot', () => {
  it('builds the panel on the first toggle only, styled, then opens it', async () => {
    const log: string[] = [];
    let made = 0;
    const slot = new GaugesSlot(async () => (made++, fakePanel(log)), current, (why) => log.push(why));
    slot.draw();
    slot.applyStyle();
    expect(made).toBe(0);
    slot.toggle();
    slot.toggle(); // before the load ended: the same load
    await new Promise((r) => setTimeout(r, 0));
    expect(made).toBe(1);
    expect(log).toEqual(['style', 'open']);
    expect(slot.shown).toBe(true);
    slot.draw();
    slot.toggle();
    expect(log).toEqual(['style', 'open', 'draw', 'close']);
  });

  it('says it opened (the history is wanted then), each time it opens and never when it closes', async () => {
    const log: string[] = [];
    const slot = new GaugesSlot(async () => fakePanel(log), current, (why) => log.push(why), () => log.push('opened'));
    slot.toggle();
    await new Promise((r) => setTimeout(r, 0));
    slot.toggle();
    slot.toggle();
    expect(log).toEqual(['style', 'open', 'opened', 'close', 'open', 'opened']);
  });

  it('says a failed load and tries again on the next toggle', async () => {
    const log: string[] = [];
    let tries = 0;
    const slot = new GaugesSlot(
      async () => {
        if (tries++ === 0) throw new Error('no such module');
        return fakePanel(log);
      },
      current,
      (why) => log.push(why),
    );
    slot.toggle();
    await new Promise((r) => setTimeout(r, 0));
    expect(log).toEqual(['cannot show the gauges: no such module']);
    slot.toggle();
    await new Promise((r) => setTimeout(r, 0));
    expect(log.slice(1)).toEqual(['style', 'open']);
  });
});
