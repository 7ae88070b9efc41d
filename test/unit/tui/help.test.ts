// The help overlay's text comes from the key map in use (with tui.toml's bindings) and the command tables.

import { describe, expect, it } from 'vitest';
import { applyKeyOverrides, KEYMAP } from '../../../src/commands/keymap.js';
import { TUI_COMMANDS } from '../../../src/commands/tui-table.js';
import { helpText } from '../../../src/tui/help.js';

describe('helpText', () => {
  it('lists every key with what its line does, bound lines included, and names the prefix', () => {
    const text = helpText(applyKeyOverrides(KEYMAP, { S: 'sysrq m', d: 'none' }), 'C-g');
    expect(text).toMatch(/^Keys: C-g then a key\./);
    expect(text).toMatch(/^ {2}S {2}sysrq m: send a magic SysRq letter/m);
    expect(text).toMatch(/^ {2}z {2}let the focused pane fill the main area/m);
    expect(text).not.toMatch(/^ {2}d {2}/m);
  });

  it("names the TUI's own commands and the umux commands the : line takes", () => {
    const text = helpText(KEYMAP, 'C-]');
    for (const c of TUI_COMMANDS) expect(text).toContain(c.name);
    expect(text).toMatch(/^ {2}sysrq +Send a magic SysRq letter/m);
    expect(text).not.toMatch(/^ {2}demo /m);
  });
});
