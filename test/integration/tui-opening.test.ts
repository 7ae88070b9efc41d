// The TUI's opening (tui/opening.ts) against a real server and guest: subscribed with the pushes held (a listener
// that comes later hears the first list once released), the first guest's console attached at once without history,
// handed over once to the pane that asks for it, detached when the pane asks for another.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GuestListWire } from '../../src/protocol/wire-messages.js';
import { Screen } from '../../src/term/screen.js';
import { TuiOpening } from '../../src/tui/opening.js';
import { umlSkip } from '../helpers/uml.js';
import { UmuxWorld } from '../helpers/server.js';

const GUEST = 'open1';

describe.skipIf(umlSkip())('the TUI opening', () => {
  let world: UmuxWorld;
  beforeAll(async () => {
    world = new UmuxWorld();
    world.define(GUEST, 'consoles = 0\n');
    await world.ok(['start', GUEST]);
    await world.waitForShell(GUEST, 60_000);
    // Lines of history the pane must not be sent.
    await world.ok(['send', GUEST, 'seq 1 200']);
  }, 90_000);
  afterAll(async () => {
    await world?.dispose();
  });

  it('holds the first list for a later listener, and hands the first console over once, with no history', async () => {
    const opening = TuiOpening.start({ readOnly: false, env: world.env });
    try {
      const session = await opening.take();
      await opening.listed();
      expect(opening.subscribed).toBe(true);
      const lists: GuestListWire[] = [];
      session.onGuests((l) => lists.push(l));
      await new Promise((r) => setTimeout(r, 100));
      expect(lists).toEqual([]); // held
      opening.releasePushes();
      // The first list, and any the server pushed while they were held (a state or output change), in order.
      expect(lists.length).toBeGreaterThan(0);
      expect(lists.map((l) => l.guests[0]?.name)).toEqual(lists.map(() => GUEST));

      expect(opening.claim(GUEST, 'con0', { readOnly: true, scrollback: 0 })).toBeUndefined(); // not what it attached
      expect(opening.claim(GUEST, 'con0', { readOnly: false, scrollback: 0 })).toBeUndefined(); // and it is gone now
      session.dispose();
    } finally {
      opening.dispose();
    }

    const again = TuiOpening.start({ readOnly: false, env: world.env });
    try {
      const session = await again.take();
      await again.listed();
      const stream = await again.claim(GUEST, 'con0', { readOnly: false, scrollback: 0 });
      expect(stream?.guest).toBe(GUEST);
      expect(stream?.closed).toBe(false);
      const snap = stream!.snapshot;
      const model = new Screen({ cols: snap.cols, rows: snap.rows, scrollback: 1000 });
      await model.write(snap.data);
      expect(model.bufferLength).toBe(snap.rows); // the screen only: the pane's model keeps no history
      model.dispose();
      expect(again.claim(GUEST, 'con0', { readOnly: false, scrollback: 0 })).toBeUndefined(); // once
      stream!.dispose();
      session.dispose();
    } finally {
      again.dispose();
    }
  });

  it('a TUI that never took the session leaves nothing open', async () => {
    const opening = TuiOpening.start({ readOnly: true, env: world.env });
    await opening.listed();
    opening.dispose();
    const session = await opening.take();
    await expect(session.request(['ls'])).rejects.toThrow(/closed/);
  });
});
