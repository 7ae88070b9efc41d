// --json on every command of the table (issue 13): the option parses for each, the reply becomes one JSON document,
// errors become JSON with code, message, hint and exit, and session commands say they have no JSON form.

import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/commands/table.js';
import { parseArgs } from '../../../src/commands/parse.js';
import { UmuxError } from '../../../src/core/errors.js';
import { jsonError, noJsonForm, replyDocument, wantsJson } from '../../../src/cli/json-output.js';

/** The fewest positional arguments each command takes, so only --json is on trial. */
const ARGS: Record<string, string[]> = { sysrq: ['g1', 's'], config: ['g1', 'ubdb=/x.img'], remove: ['g1', 'ubdb'], mc: ['g1', 'version'], mconsole: ['g1', 'version'] };

describe('--json', () => {
  it('is accepted by every command in the table', () => {
    for (const spec of COMMANDS) {
      const args = ARGS[spec.name] ?? Array.from({ length: spec.minArgs }, () => 'g1');
      const parsed = parseArgs(spec, ['--json', ...args]);
      expect(parsed.options['json'], spec.name).toBe(true);
      expect(spec.options.filter((o) => o.name === 'json'), spec.name).toHaveLength(1);
    }
  });

  it('is seen in argv even when parsing failed, but not after --', () => {
    expect(wantsJson(['events', '--json', '--bogus'])).toBe(true);
    expect(wantsJson(['send', 'g1', '--', '--json'])).toBe(false);
  });

  it('makes a reply one document: its data, with the text beside it where the data says nothing', () => {
    expect(replyDocument({ data: null, text: 'g1: sent 5 bytes' })).toEqual({ text: 'g1: sent 5 bytes' });
    expect(replyDocument({ data: [{ at: 'x', text: 'y' }] })).toEqual([{ at: 'x', text: 'y' }]);
    expect(replyDocument({ data: [1], text: 't' })).toEqual({ data: [1], text: 't' });
    expect(replyDocument({ data: { steps: ['cad'] }, text: 'g1: stopped' })).toEqual({ steps: ['cad'], text: 'g1: stopped' });
  });

  it('prints an error as JSON with code, message, hint and the exit code', () => {
    const err = new UmuxError('no-such-guest', 'no guest named zz', { hint: 'known guests: g1' });
    expect(JSON.parse(jsonError(err, 3))).toEqual({ error: { code: 'no-such-guest', message: 'no guest named zz', hint: 'known guests: g1' }, exit: 3 });
  });

  it('is refused, in one line, by the commands that are a session', () => {
    const refused = (argv: string[]) => {
      const spec = COMMANDS.find((c) => c.name === argv[0])!;
      return noJsonForm(parseArgs(spec, ['--json', ...argv.slice(1)]))?.message;
    };
    expect(refused(['attach', 'g1'])).toBe('attach: an interactive session has no JSON form');
    expect(refused(['log', '-f', 'g1'])).toBe('log -f: an interactive session has no JSON form');
    expect(refused(['mconsole', 'g1'])).toBe('mconsole: an interactive session has no JSON form');
    expect(refused(['log', 'g1'])).toBeUndefined();
    expect(refused(['events', 'g1'])).toBeUndefined();
    expect(refused(['mconsole', 'g1', 'version'])).toBeUndefined();
  });
});
