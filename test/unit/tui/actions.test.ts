// The TUI's command lines: each TUI command runs its action over the TUI's parts, help shows in an overlay, and a
// failure is one line in the status naming the line.

import { describe, expect, it, vi } from 'vitest';
import { TUI_COMMANDS } from '../../../src/commands/tui-table.js';
import { runLine, tuiScope } from '../../../src/tui/actions.js';
import type { TuiParts } from '../../../src/tui/tui-parts.js';
import { KeyHints } from '../../../src/tui/keys.js';
import { KEYMAP } from '../../../src/commands/keymap.js';

const world = () => {
  const flash = vi.fn();
  const leave = vi.fn();
  const showText = vi.fn();
  const send = vi.fn(async () => undefined);
  const tui = {
    leave,
    status: { flash },
    overlays: { showText },
    commands: { send },
    keys: new KeyHints('C-]', KEYMAP),
    guests: { guests: [{ name: 'web1' }] },
    workspace: { panes: [1], close: () => undefined, active: { guest: 'web1' } },
  } as unknown as TuiParts;
  return { tui, flash, leave, showText, send };
};

describe('tuiScope', () => {
  it('has an action for every TUI command: each command calls into the scope', async () => {
    const called: string[] = [];
    const scope = new Proxy({}, { get: (_t, name: string) => () => void called.push(name) });
    for (const c of TUI_COMMANDS) await c.act(scope as never, { spec: c, options: {}, args: [] });
    expect(called).toHaveLength(TUI_COMMANDS.length);
    const { tui } = world();
    for (const name of new Set(called)) expect(typeof (tuiScope(tui) as unknown as Record<string, unknown>)[name], name).toBe('function');
  });
});

describe('runLine', () => {
  it('runs a TUI command by name', async () => {
    const w = world();
    await runLine(w.tui, 'detach');
    expect(w.leave).toHaveBeenCalledTimes(1);
  });

  it('sends umux commands and MConsole verbs to the server with the focused guest filled in', async () => {
    const w = world();
    await runLine(w.tui, 'sysrq s');
    await runLine(w.tui, 'proc meminfo');
    expect(w.send.mock.calls).toEqual([[['sysrq', 'web1', 's']], [['mc', 'web1', 'proc', 'meminfo']]]);
  });

  it('shows help in an overlay: the keys for :help, one command for :help NAME', async () => {
    const w = world();
    await runLine(w.tui, 'help');
    await runLine(w.tui, 'help sysrq');
    expect(w.showText.mock.calls[0]![0]).toMatch(/^Keys: C-\] then a key/);
    expect(w.showText.mock.calls[1]![0]).toMatch(/^usage: umux sysrq/);
  });

  it('says what is wrong in one status line: unknown words, arguments to a TUI command, a failing action', async () => {
    const w = world();
    await runLine(w.tui, 'frobnicate');
    await runLine(w.tui, 'zoom 2');
    await runLine(w.tui, 'next-pane');
    expect(w.flash.mock.calls.map((c) => c[0])).toEqual([
      expect.stringMatching(/^unknown command "frobnicate"/),
      'zoom takes no arguments',
      expect.stringMatching(/^next-pane: TypeError/),
    ]);
    expect(w.send).not.toHaveBeenCalled();
  });
});
