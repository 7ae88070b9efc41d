// The MConsole verbs the UML 6.1 kernel knows (mconsole_kern.c's command table): their arguments and whether they
// run in interrupt context (answered at once) or process context (queued for a kernel thread; a sick guest may
// never answer). The kernel matches verbs by prefix, so `haltx` halts: umux checks the verb exactly first.

export type VerbContext = 'interrupt' | 'process';

export interface VerbSpec {
  verb: string;
  /** How the arguments look, as in the kernel's help. */
  usage: string;
  summary: string;
  context: VerbContext;
  /** Least and most argument words; `rest` means the remainder is one free-text argument (log). */
  minArgs: number;
  maxArgs: number | 'rest';
  /** Checks the argument words; returns a problem to report, or undefined when they are fine. */
  check?: (args: readonly string[]) => string | undefined;
  /** Listed in the kernel's help (6.1 lists every verb here; older kernels left out `stack`). */
  inHelp: boolean;
}

/** sysrq letters (seed 004 Table 8.2, plus the ones 6.1 adds) and what each does. */
export const SYSRQ_LETTERS: Readonly<Record<string, string>> = {
  '0': 'set the console log level to 0 (lowest)',
  '1': 'set the console log level to 1',
  '2': 'set the console log level to 2',
  '3': 'set the console log level to 3',
  '4': 'set the console log level to 4',
  '5': 'set the console log level to 5',
  '6': 'set the console log level to 6',
  '7': 'set the console log level to 7',
  '8': 'set the console log level to 8',
  '9': 'set the console log level to 9 (highest)',
  b: 'reboot at once: no kernel or userspace cleanup',
  c: 'crash the guest (panic)',
  e: 'send SIGTERM to every task but init',
  f: 'run the OOM killer',
  h: 'show sysrq help',
  i: 'send SIGKILL to every task but init',
  j: 'thaw frozen filesystems',
  k: 'kill every task on the current console (SAK)',
  l: 'show backtraces of active CPUs',
  m: 'show memory usage',
  n: 'make real-time tasks normal',
  o: 'power off',
  p: 'dump the registers and stack of the current task',
  q: 'show armed timers',
  s: 'sync dirty data to disk',
  t: 'show every task (panics UML 6.1 guests: kernel bug in print_worker_info)',
  u: 'remount every filesystem read-only',
  w: 'show blocked (uninterruptible) tasks',
};

/** sysrq letters that stop, kill or crash something in the guest. */
export const SYSRQ_DANGEROUS = new Set(['b', 'c', 'e', 'i', 'k', 'o', 'u', 't']);

/**
 * Requests that end (or reboot) the guest, with what the guest did: when the guest dies while answering one, the
 * reply is cut short (sysrq c sends its panic as it prints it, then the process is gone), and that is the outcome asked for.
 */
export const ENDS_GUEST: Readonly<Record<string, string>> = {
  cad: 'shut down',
  halt: 'halted',
  reboot: 'rebooted',
  'sysrq b': 'rebooted',
  'sysrq c': 'crashed',
  'sysrq o': 'powered off',
};

/** Letters known to crash the guest kernel instead of doing their job. */
export const SYSRQ_CRASHES: Readonly<Record<string, string>> = {
  t: 'sysrq t panics UML 6.1 guests ("Segfault with no mm" in print_worker_info)',
};

const DEVICE = /^(con|ssl)(\d+)$|^ubd([a-z]+|\d+)[rsdc]*$|^(eth|vec)\d+$|^mem$/;

function checkDevice(dev: string): string | undefined {
  if (dev === '') return 'expected a device name, got nothing';
  if (!DEVICE.test(dev)) {
    return `expected a device such as con1, ssl0, ubdb, eth0 or mem, got "${dev}"`;
  }
  return undefined;
}

function checkConfig(args: readonly string[]): string | undefined {
  const word = args[0]!;
  const eq = word.indexOf('=');
  const dev = eq < 0 ? word : word.slice(0, eq).replace(/[+-]$/, '');
  return checkDevice(dev);
}

export const VERBS: readonly VerbSpec[] = [
  { verb: 'version', usage: 'version', summary: 'Get kernel version', context: 'process', minArgs: 0, maxArgs: 0, inHelp: true },
  { verb: 'help', usage: 'help', summary: 'Print this message', context: 'interrupt', minArgs: 0, maxArgs: 0, inHelp: true },
  { verb: 'halt', usage: 'halt', summary: 'Halt UML', context: 'process', minArgs: 0, maxArgs: 0, inHelp: true },
  { verb: 'reboot', usage: 'reboot', summary: 'Reboot UML', context: 'process', minArgs: 0, maxArgs: 0, inHelp: true },
  {
    verb: 'config',
    usage: 'config <dev>[=<config>]',
    summary: 'Add a new device to UML, or query the configuration of a device',
    context: 'process',
    minArgs: 1,
    maxArgs: 1,
    check: checkConfig,
    inHelp: true,
  },
  {
    verb: 'remove',
    usage: 'remove <dev>',
    summary: 'Remove a device from UML',
    context: 'process',
    minArgs: 1,
    maxArgs: 1,
    check: (args) => checkDevice(args[0]!),
    inHelp: true,
  },
  {
    verb: 'sysrq',
    usage: 'sysrq <letter>',
    summary: 'Performs the SysRq action controlled by the letter',
    context: 'interrupt',
    minArgs: 1,
    maxArgs: 1,
    check: (args) =>
      SYSRQ_LETTERS[args[0]!] === undefined
        ? `expected one sysrq letter (${Object.keys(SYSRQ_LETTERS).join('')}), got "${args[0]}"`
        : undefined,
    inHelp: true,
  },
  { verb: 'cad', usage: 'cad', summary: 'invoke the Ctrl-Alt-Del handler', context: 'interrupt', minArgs: 0, maxArgs: 0, inHelp: true },
  { verb: 'stop', usage: 'stop', summary: "pause the UML; it will do nothing until it receives a 'go'", context: 'process', minArgs: 0, maxArgs: 0, inHelp: true },
  { verb: 'go', usage: 'go', summary: "continue the UML after a 'stop'", context: 'interrupt', minArgs: 0, maxArgs: 0, inHelp: true },
  { verb: 'log', usage: 'log <string>', summary: 'make UML enter <string> into the kernel log', context: 'interrupt', minArgs: 1, maxArgs: 'rest', inHelp: true },
  {
    verb: 'proc',
    usage: 'proc <file>',
    summary: "returns the contents of the UML's /proc/<file>",
    context: 'process',
    minArgs: 1,
    maxArgs: 1,
    check: (args) => (args[0]!.split('/').includes('..') ? `expected a file under /proc, got "${args[0]}"` : undefined),
    inHelp: true,
  },
  {
    verb: 'stack',
    usage: 'stack <pid>',
    summary: 'returns the stack of the specified pid',
    context: 'interrupt',
    minArgs: 1,
    maxArgs: 1,
    check: (args) => (/^\d+$/.test(args[0]!) ? undefined : `expected a guest pid, got "${args[0]}"`),
    inHelp: true,
  },
];

const BY_NAME = new Map(VERBS.map((v) => [v.verb, v]));

export function findVerb(verb: string): VerbSpec | undefined {
  return BY_NAME.get(verb);
}

/** The known verb the kernel would run for `word` by its prefix match, if any (`haltx` → halt). */
export function kernelPrefixMatch(word: string): VerbSpec | undefined {
  return VERBS.find((v) => word.startsWith(v.verb));
}

/** Splits a command into words the way the kernel does: on spaces, with runs of spaces collapsed. */
export function splitCommand(command: string): string[] {
  return command.split(/[ \t]+/).filter((w) => w !== '');
}

export type VerbCheck =
  | { ok: true; spec: VerbSpec; words: string[] }
  | { ok: false; code: 'unknown-verb' | 'usage' | 'refused-verb'; message: string; hint: string };

/**
 * Checks a command against the verb table before anything is sent. Unknown verbs are refused, with the verb the
 * kernel's prefix match would run named; so are wrong argument counts and letters known to crash the guest.
 */
export function checkCommand(command: string): VerbCheck {
  const words = splitCommand(command);
  const verb = words[0];
  if (verb === undefined) {
    return { ok: false, code: 'usage', message: 'empty command', hint: 'type a verb such as version or help' };
  }
  const spec = findVerb(verb);
  if (!spec) {
    const prefix = kernelPrefixMatch(verb);
    const known = VERBS.map((v) => v.verb).join(', ');
    return {
      ok: false,
      code: 'unknown-verb',
      message: prefix
        ? `unknown mconsole verb "${verb}": the kernel matches by prefix and would run "${prefix.verb}"`
        : `unknown mconsole verb "${verb}"`,
      hint: `known verbs: ${known}; --raw sends it anyway`,
    };
  }
  const args = words.slice(1);
  if (args.length < spec.minArgs || (spec.maxArgs !== 'rest' && args.length > spec.maxArgs)) {
    const want =
      spec.maxArgs === 'rest'
        ? `at least ${spec.minArgs} argument${spec.minArgs === 1 ? '' : 's'}`
        : spec.minArgs === spec.maxArgs
          ? spec.minArgs === 0
            ? 'no arguments'
            : `${spec.minArgs} argument${spec.minArgs === 1 ? '' : 's'}`
          : `${spec.minArgs} to ${spec.maxArgs} arguments`;
    return {
      ok: false,
      code: 'usage',
      message: `${verb} takes ${want}, got ${args.length}${args.length ? `: ${args.join(' ')}` : ''}`,
      hint: `usage: ${spec.usage}`,
    };
  }
  const problem = spec.check?.(args);
  if (problem) return { ok: false, code: 'usage', message: `${verb}: ${problem}`, hint: `usage: ${spec.usage}` };
  if (verb === 'sysrq' && SYSRQ_CRASHES[args[0]!]) {
    return { ok: false, code: 'refused-verb', message: SYSRQ_CRASHES[args[0]!]!, hint: '--raw sends it anyway' };
  }
  return { ok: true, spec, words };
}
