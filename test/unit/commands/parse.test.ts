import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { intOption, parseArgs, usageLine } from '../../../src/commands/parse.js';
import { helpCommand, mconsoleCommand, versionCommand } from '../../../src/commands/table.js';
import type { CommandSpec } from '../../../src/commands/types.js';

const demo: CommandSpec = {
  name: 'demo',
  summary: 'a command for tests',
  usage: 'A [B]',
  runsIn: 'client',
  target: 'none',
  changes: false,
  minArgs: 1,
  maxArgs: 2,
  options: [
    { name: 'count', short: 'n', value: 'N', summary: 'how many' },
    { name: 'force', short: 'f', summary: 'do it anyway' },
  ],
};

function usageError(fn: () => unknown): UsageError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(UsageError);
  expect((caught as UsageError).code).toBe('usage');
  return caught as UsageError;
}

describe('parseArgs', () => {
  it('reads a long option with its value in the next word', () => {
    expect(parseArgs(demo, ['--count', '3', 'a'])).toMatchObject({ options: { count: '3' }, args: ['a'] });
  });

  it('reads a long option with an inline =value', () => {
    expect(parseArgs(demo, ['--count=3', 'a']).options['count']).toBe('3');
    expect(parseArgs(demo, ['--count=', 'a']).options['count']).toBe('');
  });

  it('reads a short option with its value separate or attached', () => {
    expect(parseArgs(demo, ['-n', '7', 'a']).options['count']).toBe('7');
    expect(parseArgs(demo, ['-n7', 'a']).options['count']).toBe('7');
  });

  it('sets a flag to true and leaves absent options undefined', () => {
    const parsed = parseArgs(demo, ['-f', 'a']);
    expect(parsed.options['force']).toBe(true);
    expect(parsed.options['count']).toBeUndefined();
    expect(parsed.spec).toBe(demo);
  });

  it('reads options after positionals unless the command takes options first', () => {
    expect(parseArgs(demo, ['a', '--force', 'b'])).toMatchObject({ options: { force: true }, args: ['a', 'b'] });
  });

  it('treats everything after -- as positional', () => {
    expect(parseArgs(demo, ['--', '-f', '--count'])).toMatchObject({ options: {}, args: ['-f', '--count'] });
  });

  it('treats a lone - as a positional', () => {
    expect(parseArgs(demo, ['-']).args).toEqual(['-']);
  });

  it('stops at the first positional for mconsole, so `g1 log -f x` keeps -f for the guest command', () => {
    const parsed = parseArgs(mconsoleCommand, ['g1', 'log', '-f', 'x']);
    expect(parsed.args).toEqual(['g1', 'log', '-f', 'x']);
    expect(parsed.options).toEqual({});
  });

  it('reads mconsole options given before the guest', () => {
    const parsed = parseArgs(mconsoleCommand, ['-t', '100', '--raw', '--uml-dir=/srv/uml', 'g1', 'haltx']);
    expect(parsed.options).toEqual({ timeout: '100', raw: true, 'uml-dir': '/srv/uml' });
    expect(parsed.args).toEqual(['g1', 'haltx']);
  });

  it('leaves an mconsole option after the guest as a command word', () => {
    const parsed = parseArgs(mconsoleCommand, ['g1', '--raw', 'version']);
    expect(parsed.options['raw']).toBeUndefined();
    expect(parsed.args).toEqual(['g1', '--raw', 'version']);
  });

  it('accepts mconsole with a guest and no command, for the prompt', () => {
    expect(parseArgs(mconsoleCommand, ['g1']).args).toEqual(['g1']);
  });

  it('refuses an unknown long or short option, naming it and the known ones', () => {
    const long = usageError(() => parseArgs(demo, ['--nope', 'a']));
    expect(long.message).toBe('demo: unknown option --nope (options: --count, --force)');
    expect(long.hint).toBe(`usage: ${usageLine(demo)}`);
    expect(usageError(() => parseArgs(demo, ['-z', 'a'])).message).toContain('unknown option -z');
  });

  it('never repeats the value given with an unknown option (umux login --password=secret)', () => {
    const e = usageError(() => parseArgs(demo, ['--password=hunter2', 'a']));
    expect(e.message).toBe('demo: unknown option --password=… (options: --count, --force)');
    expect(`${e.message}${e.hint ?? ''}`).not.toContain('hunter2');
  });

  it('says there are no options when a command has none', () => {
    expect(usageError(() => parseArgs(versionCommand, ['--x'])).message).toContain('(options: none)');
  });

  it('refuses an option that needs a value when none follows', () => {
    expect(usageError(() => parseArgs(demo, ['a', '--count'])).message).toBe('demo: --count needs a value (N), got nothing');
    expect(usageError(() => parseArgs(mconsoleCommand, ['-t'])).message).toContain('--timeout needs a value (MS)');
  });

  it('refuses a value given to a flag', () => {
    expect(usageError(() => parseArgs(demo, ['--force=yes', 'a'])).message).toBe('demo: --force takes no value, got "yes"');
  });

  it('refuses too few positionals', () => {
    const err = usageError(() => parseArgs(demo, []));
    expect(err.message).toBe('demo: expected 1 to 2 arguments, got 0');
    expect(err.hint).toBe('usage: umux demo [-n|--count N] [-f|--force] A [B]');
    expect(usageError(() => parseArgs(mconsoleCommand, ['-t', '5'])).message).toMatch(/^mconsole: expected at least 1 argument.*, got 0$/);
  });

  it('refuses too many positionals', () => {
    expect(usageError(() => parseArgs(demo, ['a', 'b', 'c'])).message).toBe('demo: expected 1 to 2 arguments, got 3');
    expect(usageError(() => parseArgs(versionCommand, ['x'])).message).toBe('version: expected 0 arguments, got 1');
    expect(usageError(() => parseArgs(helpCommand, ['a', 'b'])).message).toBe('help: expected 0 to 1 arguments, got 2');
  });

  it('does not modify the argv it is given', () => {
    const argv = ['-t', '100', 'g1', 'version'];
    parseArgs(mconsoleCommand, argv);
    expect(argv).toEqual(['-t', '100', 'g1', 'version']);
  });
});

describe('intOption', () => {
  const parsed = (timeout?: string) => parseArgs(mconsoleCommand, timeout === undefined ? ['g1'] : ['-t', timeout, 'g1']);

  it('returns the fallback when the option is absent', () => {
    expect(intOption(parsed(), 'timeout', 5000, 1, 60000)).toBe(5000);
  });

  it('reads a whole number and accepts both bounds', () => {
    expect(intOption(parsed('250'), 'timeout', 5000, 1, 60000)).toBe(250);
    expect(intOption(parsed('1'), 'timeout', 5000, 1, 60000)).toBe(1);
    expect(intOption(parsed('60000'), 'timeout', 5000, 1, 60000)).toBe(60000);
  });

  it('refuses a number outside the bounds, naming them and the value', () => {
    const low = usageError(() => intOption(parsed('0'), 'timeout', 5000, 1, 60000));
    expect(low.message).toBe('mconsole: --timeout expects a whole number from 1 to 60000, got "0"');
    usageError(() => intOption(parsed('60001'), 'timeout', 5000, 1, 60000));
  });

  it('refuses a value that is not a whole number', () => {
    for (const value of ['abc', '1.5', '-5', '', '1e3', ' 7', '0x10']) {
      usageError(() => intOption(parsed(value), 'timeout', 5000, 1, 60000));
    }
  });

  it('refuses a flag read as a number', () => {
    const flag = parseArgs(mconsoleCommand, ['--raw', 'g1']);
    expect(usageError(() => intOption(flag, 'raw', 0, 0, 10)).message).toContain('got "true"');
  });
});

describe('usageLine', () => {
  it('lists the options, with short forms and value names, then the positional usage', () => {
    expect(usageLine(mconsoleCommand)).toBe('umux mconsole [--uml-dir DIR] [-t|--timeout MS] [--raw] UMID|SOCKET [COMMAND...]');
  });

  it('leaves out an empty positional usage', () => {
    expect(usageLine(versionCommand)).toBe('umux version');
    expect(usageLine(helpCommand)).toBe('umux help [COMMAND]');
  });
});
