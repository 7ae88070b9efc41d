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
    await runLine(w.tui, 'help zoom');
    expect(w.showText.mock.calls[2]![0]).toMatch(/^usage: :zoom\n/);
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

describe('the sidebar commands', () => {
  const sidebarWorld = () => {
    const flash = vi.fn();
    const show = vi.fn(async () => undefined);
    const view = { filter: '', group: 'none' };
    const all = ['web01', 'web02', 'db01'].map((name) => ({ name }));
    const read = vi.fn(async (opts: { onChange?: (l: string) => void }) => {
      opts.onChange?.('d');
      opts.onChange?.('db');
      return 'db';
    });
    const guests = {
      guests: all,
      view,
      shown: () => all.filter((g) => g.name.includes(view.filter)),
      setFilter: vi.fn((t: string) => void (view.filter = t)),
      setGroup: vi.fn((by: string) => void (view.group = by)),
    };
    const active = { guest: 'web01' };
    const tui = { status: { flash }, guests, prompt: { read }, workspace: { active, show } } as unknown as TuiParts;
    return { tui, flash, show, guests, view, read, active };
  };

  it('goto shows the guest its word names in the focused pane; one line when it names none or several', async () => {
    const w = sidebarWorld();
    await runLine(w.tui, 'goto db');
    expect(w.show).toHaveBeenCalledWith(w.active, 'db01');
    await runLine(w.tui, 'goto web');
    await runLine(w.tui, 'goto mail');
    await runLine(w.tui, 'goto a b');
    expect(w.flash.mock.calls.map((c) => c[0])).toEqual([
      '2 guests match "web": web01, web02 (type more, or Tab)',
      'no guest matches "mail" (3 guests; Tab at :goto lists them)',
      expect.stringMatching(/^goto a b: .*expected 0 to 1/),
    ]);
  });

  it('goto clears a filter that hides the guest', async () => {
    const w = sidebarWorld();
    w.view.filter = 'web';
    await runLine(w.tui, 'goto db01');
    expect(w.view.filter).toBe('');
    expect(w.show).toHaveBeenCalledWith(w.active, 'db01');
  });

  it('filter follows each keystroke at its prompt, and shows the first guest found when the focused one is hidden', async () => {
    const w = sidebarWorld();
    await runLine(w.tui, 'filter');
    expect(w.guests.setFilter.mock.calls.map((c) => c[0])).toEqual(['d', 'db', 'db']);
    expect(w.show).toHaveBeenCalledWith(w.active, 'db01');
  });

  it('filter: Esc at its prompt clears it; filter TEXT sets it at once', async () => {
    const w = sidebarWorld();
    w.read.mockImplementationOnce(async () => undefined as never);
    w.view.filter = 'web';
    await runLine(w.tui, 'filter');
    expect(w.view.filter).toBe('');
    await runLine(w.tui, 'filter web');
    expect(w.view.filter).toBe('web');
    await runLine(w.tui, 'filter web  off');
    expect(w.view.filter).toBe('web off');
    expect(w.show).not.toHaveBeenCalled();
  });

  it('group steps through the groupings, or takes one by its word; another word is one line', async () => {
    const w = sidebarWorld();
    await runLine(w.tui, 'group');
    await runLine(w.tui, 'group');
    await runLine(w.tui, 'group dir');
    await runLine(w.tui, 'group user');
    expect(w.guests.setGroup.mock.calls.map((c) => c[0])).toEqual(['state', 'owner', 'dir']);
    expect(w.flash.mock.calls.at(-1)![0]).toBe('group user: expected none, state, owner, dir, host or nothing, got "user" (:group with no word steps through them)');
  });
});
