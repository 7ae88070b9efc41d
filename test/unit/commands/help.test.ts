import { describe, expect, it } from 'vitest';
import { commandHelp, commandsMarkdown, overviewHelp } from '../../../src/commands/help.js';
import { usageLine } from '../../../src/commands/parse.js';
import { COMMANDS, findCommand, mconsoleCommand, versionCommand } from '../../../src/commands/table.js';

describe('commandsMarkdown', () => {
  it('is a Markdown table with a header and one row per command', () => {
    const lines = commandsMarkdown().split('\n');
    expect(lines.slice(0, 2)).toEqual(['| command | what it does | read-only clients |', '| --- | --- | --- |']);
    expect(lines).toHaveLength(COMMANDS.length + 2);
  });

  it('contains every command of the table with its usage line, summary and whether read-only clients may run it', () => {
    const rows = commandsMarkdown().split('\n').slice(2);
    expect(COMMANDS.length).toBeGreaterThanOrEqual(3);
    expect(rows).toHaveLength(COMMANDS.length);
    for (const [i, c] of COMMANDS.entries()) {
      // GFM splits cells on every unescaped pipe, even inside a code span.
      const cells = rows[i]!.split(/(?<!\\)\|/).map((cell) => cell.trim());
      expect(cells, c.name).toEqual(['', expect.any(String), c.summary, c.changes === false ? 'yes' : 'no', '']);
      expect(cells[1]!.replace(/\\\|/g, '|'), c.name).toBe(`\`${usageLine(c)}\``);
    }
  });

  it('escapes the pipes of the mconsole usage so they do not split the table cell', () => {
    expect(commandsMarkdown()).toContain(
      '| `umux mconsole [--uml-dir DIR] [-t\\|--timeout MS] [--raw] [--json] UMID\\|SOCKET [COMMAND...]` | Send MConsole commands',
    );
  });
});

describe('overviewHelp', () => {
  it('lists every command with its summary and says how to get more', () => {
    const text = overviewHelp();
    expect(text.startsWith('usage: umux [--host HOST] COMMAND [ARGS...]\n')).toBe(true);
    for (const c of COMMANDS) expect(text).toMatch(new RegExp(`^  ${c.name} +${c.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    expect(text.endsWith('umux help COMMAND describes one.\n')).toBe(true);
  });

  it('names the hosting customer entries, which are not commands of the table', () => {
    expect(overviewHelp()).toMatch(/^ +umux --shared \[COMMAND/m);
    expect(overviewHelp()).toMatch(/^ +umux shell +\(sshd ForceCommand/m);
  });
});

describe('commandHelp', () => {
  it('shows the usage line, the summary, each option with its short form, and the details', () => {
    const text = commandHelp(mconsoleCommand);
    const lines = text.split('\n');
    expect(lines[0]).toBe(`usage: ${usageLine(mconsoleCommand)}`);
    expect(lines[2]).toBe(mconsoleCommand.summary);
    expect(text).toContain('\noptions:\n');
    expect(text).toMatch(/^ {2}-t, --timeout MS +give up on a reply after MS milliseconds/m);
    expect(text).toMatch(/^ {2}--raw +send verbs umux does not know/m);
    for (const line of mconsoleCommand.details ?? []) expect(lines).toContain(line);
    expect(text.endsWith('\n')).toBe(true);
  });

  it('says when a server command is refused to read-only clients', () => {
    expect(commandHelp(findCommand('halt')!)).toMatch(/\n\nChanges the guest: refused to read-only clients \(umux tui -r, umux attach -r\)\.\n$/);
    expect(commandHelp(findCommand('ls')!)).not.toContain('read-only clients');
  });

  it('leaves out the options section for a command without options', () => {
    expect(commandHelp(versionCommand)).toBe('usage: umux version\n\nPrint the umux version\n');
  });
});

describe('findCommand', () => {
  it('finds each command of the table by name and nothing else', () => {
    for (const c of COMMANDS) expect(findCommand(c.name)).toBe(c);
    expect(findCommand('mcon')).toBeUndefined();
  });
});
