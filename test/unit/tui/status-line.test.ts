// The status line's text without a terminal: where the admin is, the panes, scrollback, a message covering it, and
// the server-away line naming the admin's own leave key.

import { describe, expect, it } from 'vitest';
import { KEYMAP } from '../../../src/commands/keymap.js';
import { KeyHints } from '../../../src/tui/keys.js';
import { errorText, statusText, type StatusFacts } from '../../../src/tui/status-line.js';
import { UsageError } from '../../../src/core/errors.js';

const where = { host: 'box', keys: new KeyHints('C-g', KEYMAP) };
const facts: StatusFacts = { readOnly: false, panes: 1, active: 0, zoomed: false };

describe('statusText', () => {
  it('says the host, the prefix and help key, writer or read-only, who else is attached and the panes', () => {
    expect(statusText(facts, where, '', '', '')).toBe(' umux box | C-g prefix, C-g ? help | writer ');
    expect(statusText({ ...facts, readOnly: true, clients: 2, panes: 3, active: 1, zoomed: true }, where, '', '', '')).toBe(
      ' umux box | C-g prefix, C-g ? help | read-only | 2 attached | pane 2/3 zoomed ',
    );
  });

  it('names rebound keys, and the default one when an action is unbound', () => {
    const keys = new KeyHints('C-]', KEYMAP.map((k) => (k.line === 'help' ? { ...k, key: 'H' } : k)).filter((k) => k.line !== 'detach'));
    expect(statusText(facts, { host: '', keys }, '', 'no server', '')).toBe(' no server | writer | C-] d leaves');
    expect(statusText(facts, { host: '', keys }, '', '', '')).toBe(' umux | C-] prefix, C-] H help | writer ');
  });

  it('shows a message over everything, the scrollback position in scroll mode, and escapes guest text', () => {
    expect(statusText({ ...facts, scroll: { where: 'web1:con0', status: '10/20' } }, where, '{red-fg}hi{/}', 'away', '')).toBe(' {red-fg}hi{/}');
    expect(statusText({ ...facts, scroll: { where: 'web{1}:con0', status: '10/20' } }, where, '', 'away', '')).toBe(
      ' SCROLLBACK web{open}1{close}:con0 10/20 | / search  n/N next  {open}/{close} boots  t times  q back ',
    );
    expect(statusText(facts, where, '', 'server gone {x}', '{red-fg}')).toBe(' {red-fg}server gone {open}x{close} | writer | C-g d leaves{/}');
  });
});

describe('errorText', () => {
  it('puts the hint of umux errors in brackets', () => {
    expect(errorText(new UsageError('bad thing', { hint: 'do this' }))).toBe('bad thing (do this)');
    expect(errorText(new Error('plain'))).toBe('Error: plain');
  });
});
