// The command table checked against itself, command by command: help text, the usage string against the argument
// counts, argv built from the usage string parsed as it says, and one-line errors for unknown options, missing
// values and missing arguments. Cases are generated from the table, so a new command is covered without a new test.

import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { commandHelp } from '../../../src/commands/help.js';
import { parseArgs, usageLine } from '../../../src/commands/parse.js';
import { COMMANDS } from '../../../src/commands/table.js';
import type { CommandSpec } from '../../../src/commands/types.js';
import { errorOf } from '../../helpers/fake-guest.js';

/** The positional words of a usage string: required unless bracketed, any number when one ends in "...". */
function usageWords(spec: CommandSpec): { required: string[]; optional: string[]; rest: boolean } {
  const words = spec.usage.split(' ').filter((w) => w !== '');
  return {
    required: words.filter((w) => !w.startsWith('[')),
    optional: words.filter((w) => w.startsWith('[')),
    rest: words.some((w) => /\.\.\.\]?$/.test(w)),
  };
}

/** A sample value for a positional word of the usage. */
const sample = (word: string, i: number) => (word.startsWith('NAME') ? 'web1' : `arg${i}`);

function usageFailure(spec: CommandSpec, argv: string[]): UsageError {
  const e = errorOf(() => parseArgs(spec, argv));
  expect(e, `${spec.name} ${argv.join(' ')}`).toBeInstanceOf(UsageError);
  expect(e.message, spec.name).not.toContain('\n');
  return e;
}

describe.each(COMMANDS.map((c) => [c.name, c] as const))('command %s', (_name, spec) => {
  it('has a one-line summary, a summary for each option and a help text built from them', () => {
    expect(spec.summary.trim()).not.toBe('');
    expect(spec.summary).not.toContain('\n');
    expect(spec.name).toMatch(/^[a-z]+(-[a-z]+)*$/);
    const help = commandHelp(spec);
    expect(help.startsWith(`usage: ${usageLine(spec)}\n\n${spec.summary}\n`)).toBe(true);
    for (const o of spec.options) {
      expect(o.summary.trim(), o.name).not.toBe('');
      expect(help, o.name).toContain(`--${o.name}`);
    }
  });

  it('has each option name and short form once', () => {
    const names = spec.options.map((o) => o.name);
    const shorts = spec.options.flatMap((o) => (o.short ? [o.short] : []));
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(shorts).size).toBe(shorts.length);
  });

  it('counts its arguments as its usage string says', () => {
    const u = usageWords(spec);
    expect(spec.minArgs).toBe(u.required.length);
    expect(spec.maxArgs).toBe(u.rest ? 'rest' : u.required.length + u.optional.length);
  });

  it('parses the arguments its usage string names, with every option in its long and short form', () => {
    const u = usageWords(spec);
    const args = [...u.required, ...(u.rest ? ['more', 'words'] : u.optional)].map(sample);
    const long = spec.options.flatMap((o) => (o.value ? [`--${o.name}`, `${o.value.toLowerCase()}-value`] : [`--${o.name}`]));
    const short = spec.options.flatMap((o) => (!o.short ? [] : o.value ? [`-${o.short}`, `${o.value.toLowerCase()}-value`] : [`-${o.short}`]));
    const want = Object.fromEntries(spec.options.map((o) => [o.name, o.value ? `${o.value.toLowerCase()}-value` : true]));
    expect(parseArgs(spec, [...long, ...args])).toEqual({ spec, options: want, args });
    const shortWant = Object.fromEntries(spec.options.filter((o) => o.short).map((o) => [o.name, o.value ? `${o.value.toLowerCase()}-value` : true]));
    expect(parseArgs(spec, [...short, ...args])).toEqual({ spec, options: shortWant, args });
    // Only the required arguments: the least the usage allows.
    expect(parseArgs(spec, u.required.map(sample)).args).toEqual(u.required.map(sample));
  });

  it('refuses missing arguments in one line naming how many it expected and its usage', () => {
    if (spec.minArgs === 0) return;
    const e = usageFailure(spec, Array.from({ length: spec.minArgs - 1 }, () => 'web1'));
    expect(e.message).toMatch(new RegExp(`^${spec.name}: expected (at least )?${spec.minArgs}( to \\d+)? arguments?, got ${spec.minArgs - 1}$`));
    expect(e.hint).toBe(`usage: ${usageLine(spec)}`);
  });

  it('refuses too many arguments when it has a most', () => {
    if (spec.maxArgs === 'rest') return;
    const e = usageFailure(spec, Array.from({ length: spec.maxArgs + 1 }, () => 'web1'));
    expect(e.message).toMatch(new RegExp(`^${spec.name}: expected .*, got ${spec.maxArgs + 1}$`));
  });

  it('refuses an unknown option in one line naming the options it has', () => {
    const e = usageFailure(spec, ['--no-such-option']);
    const known = spec.options.map((o) => `--${o.name}`).join(', ') || 'none';
    expect(e.message).toBe(`${spec.name}: unknown option --no-such-option (options: ${known})`);
    expect(e.hint).toBe(`usage: ${usageLine(spec)}`);
  });

  it('refuses an option that takes a value when none follows, naming the value', () => {
    for (const o of spec.options.filter((x) => x.value)) {
      expect(usageFailure(spec, [`--${o.name}`]).message).toBe(`${spec.name}: --${o.name} needs a value (${o.value}), got nothing`);
    }
  });
});
