// The CLI reads the command files: help and version run in the client, a TUI command named in the shell says where
// it works, an unknown word is one line with the way to the list. No server or guest is needed.

import { describe, expect, it } from 'vitest';
import { umux } from '../helpers/run-tool.js';
import { COMMANDS } from '../../src/commands/table.js';

describe('umux on the command line', () => {
  it('lists every command of the table, and describes one', async () => {
    const all = await umux(['help']);
    expect(all.code).toBe(0);
    for (const c of COMMANDS) expect(all.stdout.toString()).toMatch(new RegExp(`^  ${c.name} `, 'm'));
    const one = await umux(['help', 'sysrq']);
    expect(one.stdout.toString()).toMatch(/^usage: umux sysrq .*NAME LETTER\n/);
  });

  it('says where a TUI command works, and that an unknown one is unknown, each in one line and exit 2', async () => {
    const split = await umux(['split']);
    expect([split.code, split.stderr]).toEqual([2, 'umux: split is a command of the full-screen view, not of the shell\n  hint: in umux (umux tui), type :split or press C-] s\n']);
    const frob = await umux(['frobnicate']);
    expect([frob.code, frob.stderr]).toEqual([2, 'umux: unknown command "frobnicate"\n  hint: umux help lists the commands\n']);
  });

  it('prints the version as text and as JSON', async () => {
    expect((await umux(['version'])).stdout.toString()).toMatch(/^umux \d+\.\d+\.\d+\n$/);
    expect(JSON.parse((await umux(['version', '--json'])).stdout.toString())).toEqual({ version: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
  });
});
