// The `:` line's saved history: where it lives, newest first, private (0600 in a 0700 directory), never failing the TUI.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addToHistory, historyPath, loadHistory } from '../../../src/tui/history.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umux-history-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('historyPath', () => {
  it('puts tui_history in the state directory', () => {
    expect(historyPath({ UMUX_STATE_DIR: '/s/umux' })).toBe('/s/umux/tui_history');
    expect(historyPath({ XDG_STATE_HOME: '/x' })).toBe('/x/umux/tui_history');
    expect(historyPath({}, '/home/ann')).toBe('/home/ann/.local/state/umux/tui_history');
  });
});

describe('loadHistory and addToHistory', () => {
  it('saves newest first in a private file, creating its directory', () => {
    const file = path.join(dir, 'state', 'umux', 'tui_history');
    let h = loadHistory(file);
    expect(h).toEqual([]);
    h = addToHistory(file, h, 'sysrq m');
    h = addToHistory(file, h, '  proc meminfo \n');
    expect(h).toEqual(['proc meminfo', 'sysrq m']);
    expect(fs.readFileSync(file, 'utf8')).toBe('sysrq m\nproc meminfo\n');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(loadHistory(file)).toEqual(['proc meminfo', 'sysrq m']);
  });

  it('makes an existing file private again when it saves', () => {
    const file = path.join(dir, 'tui_history');
    fs.writeFileSync(file, 'ls\n', { mode: 0o644 });
    addToHistory(file, loadHistory(file), 'host');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(loadHistory(file)).toEqual(['host', 'ls']);
  });

  it('skips blank lines and a repeat of the newest, keeps at most max', () => {
    const file = path.join(dir, 'tui_history');
    let h = addToHistory(file, [], 'ls');
    expect(addToHistory(file, h, '   ')).toBe(h);
    expect(addToHistory(file, h, 'ls')).toBe(h);
    for (const l of ['a', 'b', 'c', 'd']) h = addToHistory(file, h, l, 3);
    expect(h).toEqual(['d', 'c', 'b']);
    expect(loadHistory(file)).toEqual(['d', 'c', 'b']);
  });

  it('never throws: an unwritable place keeps the list in memory', () => {
    const blocker = path.join(dir, 'not-a-dir');
    fs.writeFileSync(blocker, '');
    const file = path.join(blocker, 'tui_history');
    expect(addToHistory(file, ['ls'], 'host')).toEqual(['host', 'ls']);
    expect(loadHistory(file)).toEqual([]);
    expect(loadHistory(dir)).toEqual([]); // a directory: unreadable as a file
  });
});
