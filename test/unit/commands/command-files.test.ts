// One file per command (tmux's cmd-*.c): every commands/cmd-*.ts holds exactly one command, named after its file,
// listed in the CLI table or the TUI's; each has the behaviour where it runs says it must, and a target that
// agrees with its usage. Adding a command is adding a file: a file left out of the tables fails here.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/commands/table.js';
import { TUI_COMMANDS } from '../../../src/commands/tui-table.js';
import type { Command } from '../../../src/commands/command.js';

const DIR = path.resolve(__dirname, '../../../src/commands');
const files = fs.readdirSync(DIR).filter((f) => /^cmd-.*\.ts$/.test(f));
const listed: readonly Command[] = [...COMMANDS, ...TUI_COMMANDS];

describe('command files', () => {
  it('are one per listed command, named after it', async () => {
    const names: string[] = [];
    for (const f of files) {
      const mod = (await import(path.join(DIR, f))) as Record<string, unknown>;
      const commands = Object.values(mod).filter((v): v is Command => typeof v === 'object' && v !== null && 'runsIn' in v && 'name' in v);
      expect(commands.map((c) => c.name), f).toEqual([f.slice('cmd-'.length, -'.ts'.length)]);
      names.push(commands[0]!.name);
    }
    expect(names.sort()).toEqual(listed.map((c) => c.name).sort());
  });

  it('have a header saying what the command does', () => {
    for (const f of files) expect(fs.readFileSync(path.join(DIR, f), 'utf8'), f).toMatch(/^\/\/ \S/);
  });
});

describe.each(listed.map((c) => [c.name, c] as const))('command %s', (_name, c) => {
  it('has the behaviour where it runs needs: serve on the server, run in a client, act in the TUI', () => {
    if (c.runsIn === 'server') expect(typeof c.serve).toBe('function');
    else if (c.runsIn === 'tui') expect(typeof c.act).toBe('function');
    else expect(typeof c.run).toBe('function');
  });

  it('names its target as its usage does', () => {
    // An optional guest ([NAME], events) is a guest target all the same: looked up when given.
    const first = (c.usage.split(' ')[0] ?? '').replace(/^\[(.*)\]$/, '$1');
    const expected = first === 'NAME' ? 'guest' : first === 'NAME[:CONSOLE]' ? 'console' : 'none';
    expect(c.target).toBe(expected);
  });

  it('says it changes something when the server runs it with a question first', () => {
    if (c.confirm) expect(c.changes).not.toBe(false);
  });
});

describe('names', () => {
  it('are unique across the CLI and the TUI, so a key or the : line means one thing', () => {
    const names = listed.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });
});
