// The input router: keys that arrive in the same read as the q that closes an overlay are for what is under it.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputRouter } from '../../../src/tui/input.js';
import { KeyHints } from '../../../src/tui/keys.js';
import { KEYMAP } from '../../../src/commands/keymap.js';
import type { TuiParts } from '../../../src/tui/tui-parts.js';

const routers: InputRouter[] = [];
afterEach(() => routers.splice(0).forEach((r) => r.dispose()));

function world() {
  const typed: string[] = [];
  const overlays = { modal: true };
  const tui = {
    ui: { querySync: () => undefined, syncReply: () => undefined, blessed: { program: { enableMouse: () => undefined } } },
    overlays,
    prompt: { active: false },
    keys: new KeyHints('C-]', KEYMAP),
    readOnly: false,
    session: { away: undefined },
    status: { flash: vi.fn(), flashError: vi.fn() },
    workspace: { active: { guest: 'web1', live: { stream: { write: (b: Uint8Array) => typed.push(Buffer.from(b).toString()) } } } },
  } as unknown as TuiParts;
  routers.push(new InputRouter(tui, 0x1d, false));
  return { typed, overlays };
}

const tick = () => new Promise((r) => setImmediate(r));

describe('InputRouter with an overlay open', () => {
  it('feeds what followed the closing q again once the overlay has gone', async () => {
    const w = world();
    process.stdin.emit('data', Buffer.from('qls\r'));
    w.overlays.modal = false; // blessed's key handler closed it in the same turn
    await tick();
    expect(w.typed).toEqual(['ls\r']);
  });

  it('keeps the keys from the guest while the overlay stays open (no q, or q last)', async () => {
    const w = world();
    process.stdin.emit('data', Buffer.from('abc'));
    process.stdin.emit('data', Buffer.from('xq'));
    await tick();
    expect(w.typed).toEqual([]);
  });
});
