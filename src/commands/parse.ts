// Parses argv against a CommandSpec: long (--name, --name=value) and short (-t value) options, positional
// counts, and one-line usage errors that say what was expected and what came.

import { UsageError } from '../core/errors.js';
import type { CommandSpec, OptionSpec, OptionValues, ParsedCommand } from './types.js';

export function usageLine(spec: CommandSpec): string {
  const opts = spec.options.map((o) => {
    const flag = o.short ? `-${o.short}|--${o.name}` : `--${o.name}`;
    return `[${flag}${o.value ? ` ${o.value}` : ''}]`;
  });
  // A TUI command is typed at the TUI's `:` line, not in the shell.
  const head = spec.runsIn === 'tui' ? [`:${spec.name}`] : ['umux', spec.name];
  return [...head, ...opts, spec.usage].filter((s) => s !== '').join(' ');
}

export function findOption(spec: CommandSpec, word: string): { option: OptionSpec; inline?: string } | undefined {
  if (word.startsWith('--')) {
    const eq = word.indexOf('=');
    const name = eq < 0 ? word.slice(2) : word.slice(2, eq);
    const option = spec.options.find((o) => o.name === name);
    if (!option) return undefined;
    return eq < 0 ? { option } : { option, inline: word.slice(eq + 1) };
  }
  const option = spec.options.find((o) => o.short === word.slice(1, 2));
  if (!option) return undefined;
  return word.length > 2 ? { option, inline: word.slice(2) } : { option };
}

export function parseArgs(spec: CommandSpec, argv: readonly string[]): ParsedCommand {
  const options: OptionValues = {};
  const args: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') {
      i++;
      break;
    }
    if (word.startsWith('-') && word !== '-') {
      const found = findOption(spec, word);
      if (!found) {
        const known = spec.options.map((o) => `--${o.name}`).join(', ') || 'none';
        // Only the option's name: a value given with it (--password=...) is never repeated back.
        const named = word.startsWith('--') && word.includes('=') ? `${word.slice(0, word.indexOf('='))}=…` : word;
        throw new UsageError(`${spec.name}: unknown option ${named} (options: ${known})`, { hint: `usage: ${usageLine(spec)}` });
      }
      const { option, inline } = found;
      if (option.value) {
        const value = inline ?? argv[++i];
        if (value === undefined) {
          throw new UsageError(`${spec.name}: --${option.name} needs a value (${option.value}), got nothing`, {
            hint: `usage: ${usageLine(spec)}`,
          });
        }
        options[option.name] = value;
      } else {
        if (inline !== undefined) throw new UsageError(`${spec.name}: --${option.name} takes no value, got "${inline}"`);
        options[option.name] = true;
      }
      continue;
    }
    args.push(word);
    if (spec.optionsFirst) {
      i++;
      break;
    }
  }
  args.push(...argv.slice(i));
  if (args.length < spec.minArgs || (spec.maxArgs !== 'rest' && args.length > spec.maxArgs)) {
    const want = spec.maxArgs === 'rest' ? `at least ${spec.minArgs}` : spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : `${spec.minArgs} to ${spec.maxArgs}`;
    throw new UsageError(`${spec.name}: expected ${want} argument${want === '1' || want === 'at least 1' ? '' : 's'}, got ${args.length}`, {
      hint: `usage: ${usageLine(spec)}`,
    });
  }
  return { spec, options, args };
}

/** Reads a whole-number option within bounds, or throws a usage error naming what came. */
export function intOption(parsed: ParsedCommand, name: string, fallback: number, min: number, max: number): number {
  const raw = parsed.options[name];
  if (raw === undefined) return fallback;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`${parsed.spec.name}: --${name} expects a whole number from ${min} to ${max}, got "${String(raw)}"`);
  }
  return n;
}
