// The input router: keys that arrive in the same read as the q that closes an overlay are for what is under it, and
// those after the key that opens the : line are for the line.

import { afterEach, describe, expect, it, vi } from 'vitest';
import { InputRouter } from '../../../src/tui/input.js';
import { KeyHints } from '../../../src/tui/keys.js';
import { KEYMAP } from '../../../src/commands/keymap.js';
import type { TuiParts } from '../../../src/tui/tui-parts.js';
import { runLine } from '../../../src/tui/actions.js';

// The prefix key's command lines: the : line's opens a fake prompt at once, as the real one opens in the same turn.
vi.mock('../../../src/tui/actions.js', () => ({ runLine: vi.fn() }));

const routers: InputRouter[] = [];
afterEach(() => routers.splice(0).forEach((r) => r.dispose()));

function world(modal = true) {
  const typed: string[] = [];
  const fed: string[] = [];
  const overlays = { modal };
  const prompt = { active: false, feed: (b: Uint8Array) => fed.push(Buffer.from(b).toString()) };
  const tui = {
    ui: { querySync: () => undefined, syncReply: () => undefined, blessed: { program: { enableMouse: () => undefined } } },
    overlays,
    prompt,
    keys: new KeyHints('C-]', KEYMAP),
    readOnly: false,
    session: { away: undefined },
    status: { flash: vi.fn(), flashError: vi.fn() },
    workspace: { active: { guest: 'web1', live: { stream: { write: (b: Uint8Array) => typed.push(Buffer.from(b).toString()) } } } },
  } as unknown as TuiParts;
  routers.push(new InputRouter(tui, 0x1d, false));
  return { typed, fed, overlays, prompt, tui };
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

describe('InputRouter and the : line', () => {
  it('gives the : line what was typed after C-] : in the same read, none of it to the guest', () => {
    const w = world(false);
    vi.mocked(runLine).mockImplementation(async (_tui, line) => {
      if (line === 'command') w.prompt.active = true;
    });
    process.stdin.emit('data', Buffer.from('ab\x1d:halt beta\r'));
    expect(vi.mocked(runLine)).toHaveBeenCalledWith(w.tui, 'command');
    expect(w.typed).toEqual(['ab']);
    expect(w.fed).toEqual(['halt beta\r']);
  });

  it('types what follows a command that opens nothing, as before', () => {
    const w = world(false);
    vi.mocked(runLine).mockImplementation(async () => undefined);
    process.stdin.emit('data', Buffer.from('\x1dnls\r'));
    expect(vi.mocked(runLine)).toHaveBeenCalledWith(w.tui, 'next-guest');
    expect(w.typed).toEqual(['ls\r']);
    expect(w.fed).toEqual([]);
  });
});
