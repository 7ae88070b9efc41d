// Tab completion for the TUI's `:` line, read as commandArgv reads it: the first word is a server-side umux command,
// an MConsole verb or a TUI command that takes a word (goto, group); then guest names, guest:console, sysrq letters,
// devices, /proc files, groupings and --options. Pure.

import { COMMANDS, findCommand, JSON_OPTION } from '../commands/table.js';
import { TUI_COMMANDS } from '../commands/tui-table.js';
import type { CommandSpec } from '../commands/types.js';
import { MAX_CON, MAX_SSL } from '../protocol/hotplug.js';
import { SYSRQ_DANGEROUS, SYSRQ_LETTERS, VERBS, findVerb } from '../protocol/mconsole-verbs.js';
import { MAX_DISKS } from '../protocol/ubd-paths.js';

export interface CompletionContext {
  guests: readonly string[];
  /** The focused guest's devices: con0, con1, ssl0, ubda, ubdb, eth0, mem … */
  devices: readonly string[];
  /** The focused guest's name: `guest:console` forms are offered for it alone (none when absent). */
  focused?: string;
}

export interface Candidate {
  value: string;
  note?: string;
}

export interface Completion {
  /** line[start, end) is the part typed so far: the word before the cursor (end is the cursor). */
  start: number;
  end: number;
  candidates: Candidate[];
  /** The longest common prefix of the candidates' values: what to put in place of line[start, end). */
  common: string;
}

/** Files under /proc worth asking a guest for (`proc meminfo`). */
export const PROC_FILES: readonly Candidate[] = [
  { value: 'meminfo', note: 'memory use' },
  { value: 'uptime', note: 'seconds up, seconds idle' },
  { value: 'loadavg', note: 'load averages, running/total tasks' },
  { value: 'cpuinfo', note: 'the virtual CPU' },
  { value: 'mounts', note: 'mounted filesystems' },
  { value: 'version', note: 'kernel version' },
  { value: 'cmdline', note: 'the kernel command line' },
  { value: 'stat', note: 'CPU and process counters' },
  { value: 'vmstat', note: 'virtual memory counters' },
  { value: 'swaps', note: 'swap devices' },
  { value: 'partitions', note: 'block devices' },
  { value: 'diskstats', note: 'block device I/O counters' },
  { value: 'filesystems', note: 'filesystem types the kernel knows' },
  { value: 'interrupts', note: 'interrupt counters' },
  { value: 'devices', note: 'character and block device majors' },
  { value: 'net/dev', note: 'network interface counters' },
  { value: 'sys/kernel/hostname', note: 'host name' },
];

/** A server-side umux command, which commandArgv prefers over an MConsole verb of the same name. */
function serverSpec(word: string | undefined): CommandSpec | undefined {
  const spec = findCommand(word ?? '');
  return spec?.runsIn === 'server' ? spec : undefined;
}

function firstWords(): Candidate[] {
  const notes = new Map<string, string>();
  for (const c of COMMANDS) if (c.runsIn === 'server') notes.set(c.name, c.summary);
  for (const v of VERBS) if (!notes.has(v.verb)) notes.set(v.verb, `MConsole: ${v.summary}`);
  for (const c of TUI_COMMANDS) if (c.usage && !notes.has(c.name)) notes.set(c.name, c.summary);
  return [...notes.keys()].sort().map((value) => ({ value, note: notes.get(value)! }));
}

const verbWords = (): Candidate[] => VERBS.map((v) => ({ value: v.verb, note: v.summary }));

const letters = (): Candidate[] =>
  Object.entries(SYSRQ_LETTERS).map(([value, what]) => ({ value, note: SYSRQ_DANGEROUS.has(value) ? `${what} (asks first)` : what }));

function guestNames(ctx: CompletionContext): Candidate[] {
  return ctx.guests.map((value) => ({ value, note: value === ctx.focused ? 'focused guest' : 'guest' }));
}

const isConsole = (d: string) => /^(con|ssl)\d+$/.test(d);

function consoleTargets(ctx: CompletionContext): Candidate[] {
  const f = ctx.focused;
  if (f === undefined) return guestNames(ctx);
  return [...guestNames(ctx), ...ctx.devices.filter(isConsole).map((d) => ({ value: `${f}:${d}`, note: `${d} of ${f}` }))];
}

/** The first name `stem + id` the guest does not have yet. */
function firstFree(ctx: CompletionContext, stem: string, ids: readonly string[]): string | undefined {
  const id = ids.find((i) => !ctx.devices.includes(stem + i));
  return id === undefined ? undefined : stem + id;
}

const numbers = (max: number) => Array.from({ length: max + 1 }, (_, i) => String(i));

/** `config`: the guest's devices (to reconfigure), then the next free one of each kind, then memory. */
function configDevices(ctx: CompletionContext): Candidate[] {
  const out: Candidate[] = ctx.devices.filter((d) => d !== 'mem').map((d) => ({ value: `${d}=`, note: 'exists' }));
  const fresh: [string | undefined, string][] = [
    [firstFree(ctx, 'ubd', Array.from({ length: MAX_DISKS }, (_, i) => String.fromCharCode(0x61 + i))), 'new disk: =FILE or =COW,BACKING'],
    [firstFree(ctx, 'con', numbers(MAX_CON)), 'new console: =pts, =tty:DEV, =port:N'],
    [firstFree(ctx, 'ssl', numbers(MAX_SSL)), 'new serial line: =pts, =tty:DEV, =port:N'],
    [firstFree(ctx, 'eth', numbers(15)), 'new network device: =TRANSPORT,...'],
  ];
  for (const [dev, note] of fresh) if (dev !== undefined) out.push({ value: `${dev}=`, note });
  out.push({ value: 'mem=', note: 'set the memory size' }, { value: 'mem+=', note: 'grow the memory' }, { value: 'mem-=', note: 'shrink the memory' });
  return out;
}

function removableDevices(ctx: CompletionContext): Candidate[] {
  return ctx.devices.filter((d) => d !== 'mem').map((value) => ({ value }));
}

/** Candidates for one word of a usage line (`NAME`, `LETTER`, `DEVICE=SPEC` …). */
function forSlot(slot: string | undefined, ctx: CompletionContext): Candidate[] {
  // An optional word (`[NAME]`) completes as the word itself.
  switch (slot?.replace(/^\[(.*)\]$/, '$1')) {
    case 'NAME':
      return guestNames(ctx);
    case 'NAME[:CONSOLE]':
      return consoleTargets(ctx);
    case 'LETTER':
      return letters();
    case 'DEVICE=SPEC':
      return configDevices(ctx);
    case 'DEVICE':
      return removableDevices(ctx);
    default:
      return [];
  }
}

/** The first argument of an MConsole verb. */
function forVerb(verb: string, ctx: CompletionContext): Candidate[] {
  if (verb === 'sysrq') return letters();
  if (verb === 'config') return configDevices(ctx);
  if (verb === 'remove') return removableDevices(ctx);
  if (verb === 'proc') return PROC_FILES.slice();
  return [];
}

/** The options to offer: not the --json every command has (the TUI shows replies itself). */
function optionWords(spec: CommandSpec | undefined): Candidate[] {
  return (spec?.options ?? []).filter((o) => o !== JSON_OPTION).flatMap((o) => [
    { value: `--${o.name}`, note: o.summary },
    ...(o.short ? [{ value: `-${o.short}`, note: o.summary }] : []),
  ]);
}

/** The option word takes a value (`--to DIR`), so the next word is that value. */
function takesValue(spec: CommandSpec, word: string | undefined): boolean {
  if (!word?.startsWith('-') || word.includes('=')) return false;
  const o = spec.options.find((o) => word === `--${o.name}` || word === `-${o.short}`);
  return o?.value !== undefined;
}

/** The word a TUI command takes: a guest for goto, a grouping for group (its usage lists them). */
function tuiWord(usage: string, ctx: CompletionContext): Candidate[] {
  if (usage === '[NAME]') return guestNames(ctx);
  const choices = /^\[([a-z|]+)\]$/.exec(usage)?.[1];
  return choices?.includes('|') ? choices.split('|').map((value) => ({ value })) : [];
}

function candidatesFor(words: readonly string[], word: string, ctx: CompletionContext): Candidate[] {
  const [cmd, ...args] = words;
  if (cmd === undefined) return firstWords();
  const tuiCommand = TUI_COMMANDS.find((c) => c.name === cmd);
  if (tuiCommand) return args.length === 0 ? tuiWord(tuiCommand.usage, ctx) : [];
  const spec = serverSpec(cmd);
  if (spec && spec.name !== 'mc') {
    if (word.startsWith('-')) return optionWords(spec);
    if (takesValue(spec, args.at(-1))) return [];
    const positional = args.filter((a, i) => !a.startsWith('-') && !takesValue(spec, args[i - 1]));
    const slots = spec.usage.split(' ').filter(Boolean);
    if (!slots[0]?.startsWith('NAME')) return forSlot(slots[positional.length], ctx);
    // The guest may be left out (the focused one goes in), so the first word is a guest or what follows one.
    if (positional.length === 0) return [...forSlot(slots[1], ctx), ...forSlot(slots[0], ctx)];
    const named = ctx.guests.includes(positional[0]!) || positional[0]!.includes(':');
    return forSlot(slots[named ? positional.length : positional.length + 1], ctx);
  }
  // An MConsole verb, typed as it is or after `mc` (which takes no guest at the `:` line: the focused one goes in).
  const verbLine = spec?.name === 'mc' ? args : words;
  if (verbLine.length === 0) return verbWords();
  if (verbLine.length === 1 && findVerb(verbLine[0]!)) return forVerb(verbLine[0]!, ctx);
  return [];
}

function commonPrefix(values: readonly string[]): string {
  if (values.length === 0) return '';
  let p = values[0]!;
  for (const v of values) while (!v.startsWith(p)) p = p.slice(0, -1);
  return /[\ud800-\udbff]$/.test(p) ? p.slice(0, -1) : p;
}

/**
 * Completes the word before the cursor (from the last whitespace before it up to the cursor; what follows the
 * cursor is left alone). Candidates match by case-sensitive prefix, first of a value wins.
 */
export function completeLine(line: string, cursor: number, ctx: CompletionContext): Completion {
  const end = Math.max(0, Math.min(cursor, line.length));
  const before = line.slice(0, end);
  const start = before.search(/\S*$/);
  const word = before.slice(start);
  const words = before.slice(0, start).split(/\s+/).filter(Boolean);
  const seen = new Set<string>();
  const candidates = candidatesFor(words, word, ctx).filter((c) => {
    if (!c.value.startsWith(word) || seen.has(c.value)) return false;
    seen.add(c.value);
    return true;
  });
  return { start, end, candidates, common: commonPrefix(candidates.map((c) => c.value)) };
}

/**
 * What to put in place of line[start, end): the common prefix, plus a space when a single candidate is complete
 * (not one ending in `=` or `:`, which wants more typed after it).
 */
export function completionText(c: Completion): string {
  const only = c.candidates.length === 1 && !/[=:]$/.test(c.common);
  return only ? `${c.common} ` : c.common;
}
