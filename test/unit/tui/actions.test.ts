// The key actions' table: a handler for every action a key can name, and an unknown name does nothing.

import { describe, expect, it, vi } from 'vitest';
import { ACTIONS } from '../../../src/commands/keymap.js';
import { ACTION_HANDLERS, runAction } from '../../../src/tui/actions.js';
import type { TuiParts } from '../../../src/tui/tui-parts.js';

describe('ACTION_HANDLERS', () => {
  it('has a handler for every action in the key map, and nothing else', () => {
    expect(Object.keys(ACTION_HANDLERS).sort()).toEqual([...ACTIONS].sort());
  });

  it('runs the named handler; a failure is one line in the status naming the action', async () => {
    const flash = vi.fn();
    const leave = vi.fn();
    const tui = { leave, status: { flash }, workspace: { panes: [1], close: () => undefined } } as unknown as TuiParts;
    await runAction(tui, 'detach');
    expect(leave).toHaveBeenCalledTimes(1);
    await runAction(tui, 'no-such-action');
    expect(flash).not.toHaveBeenCalled();
    await runAction(tui, 'next-pane');
    expect(flash).toHaveBeenCalledWith(expect.stringMatching(/^next-pane: TypeError/), 'error');
  });
});
