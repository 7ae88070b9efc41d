// The help overlay's text (pure), generated from the key map and the command table, so what it says is what the
// keys and the `:` line do.

import type { KeyBinding } from '../commands/keymap.js';
import { COMMANDS } from '../commands/table.js';
import { TUI_COMMANDS } from '../commands/tui-table.js';
import { SCROLL_KEYS } from './scroll-keys.js';

export function helpText(keymap: readonly KeyBinding[], prefixName: string): string {
  const server = COMMANDS.filter((c) => c.runsIn === 'server' && c.name !== 'server' && c.name !== 'kill-server');
  const width = Math.max(...server.map((c) => c.name.length));
  return [
    `Keys: ${prefixName} then a key. ${prefixName} twice types ${prefixName} into the guest; everything else you type goes to the focused pane.`,
    '',
    ...keymap.map((k) => `  ${k.key}  ${k.summary}`),
    '',
    'In scrollback:',
    ...SCROLL_KEYS.map((k) => `  ${k.keys.padEnd(14)} ${k.summary}`),
    '',
    'At ":" (Tab completes, Up/Down walk the history): an MConsole verb goes to the focused guest (sysrq m, proc',
    'meminfo, config ubdb, version), and these umux commands take the focused guest when you name none:',
    ...server.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    `The TUI's own commands, which the keys above run, work at ":" too: ${TUI_COMMANDS.map((c) => c.name).join(', ')};`,
    'help COMMAND describes one. tui.toml\'s [keys] binds a key to any of these lines: S = "sysrq s".',
  ].join('\n');
}
