import { describe, expect, it } from 'vitest';
import {
  checkCommand,
  findVerb,
  kernelPrefixMatch,
  SYSRQ_LETTERS,
  VERBS,
  type VerbCheck,
} from '../../../src/protocol/mconsole-verbs.js';
import { parseHelp } from '../../../src/protocol/mconsole-replies.js';
import { KERNEL_HELP } from '../support/fixtures.js';

type Refusal = Extract<VerbCheck, { ok: false }>;

function refused(command: string): Refusal {
  const result = checkCommand(command);
  if (result.ok) throw new Error(`expected "${command}" to be refused, but it was accepted`);
  return result;
}

function accepted(command: string): Extract<VerbCheck, { ok: true }> {
  const result = checkCommand(command);
  if (!result.ok) throw new Error(`expected "${command}" to be accepted, got ${result.code}: ${result.message}`);
  return result;
}

/** One correct use of every verb the UML 6.1 kernel knows. */
const GOOD: Record<string, string> = {
  version: 'version',
  help: 'help',
  halt: 'halt',
  reboot: 'reboot',
  config: 'config con0',
  remove: 'remove con1',
  sysrq: 'sysrq m',
  cad: 'cad',
  stop: 'stop',
  go: 'go',
  log: 'log hello from the host',
  proc: 'proc meminfo',
  stack: 'stack 1',
};

describe('checkCommand', () => {
  it('accepts every known verb with the right arguments, naming its spec', () => {
    expect(Object.keys(GOOD).sort()).toEqual(VERBS.map((v) => v.verb).sort());
    for (const [verb, command] of Object.entries(GOOD)) {
      const result = accepted(command);
      expect(result.spec.verb).toBe(verb);
      expect(result.words).toEqual(command.split(' '));
    }
  });

  it('accepts every sysrq letter it lists except the one that crashes the guest', () => {
    for (const letter of Object.keys(SYSRQ_LETTERS)) {
      if (letter === 't') continue;
      expect(checkCommand(`sysrq ${letter}`).ok, letter).toBe(true);
    }
  });

  it('collapses runs of spaces and tabs between words', () => {
    expect(accepted('  config \t con1=pts  ').words).toEqual(['config', 'con1=pts']);
  });

  it('refuses haltx as an unknown verb and names halt, which the kernel prefix match would run', () => {
    const r = refused('haltx');
    expect(r.code).toBe('unknown-verb');
    expect(r.message).toContain('"halt"');
    expect(r.hint).toContain('--raw');
  });

  it('refuses stopwatch and names stop', () => {
    const r = refused('stopwatch');
    expect(r.code).toBe('unknown-verb');
    expect(r.message).toContain('would run "stop"');
  });

  it('refuses halt_bogus_arg, which halted a real guest, naming halt', () => {
    expect(refused('halt_bogus_arg x').message).toContain('"halt"');
  });

  it('refuses a verb no known verb is a prefix of without naming one, and lists the known verbs', () => {
    const r = refused('bogus');
    expect(r.code).toBe('unknown-verb');
    expect(r.message).toBe('unknown mconsole verb "bogus"');
    for (const v of VERBS) expect(r.hint).toContain(v.verb);
  });

  it('matches verbs case-sensitively, as the kernel does', () => {
    expect(refused('VERSION').code).toBe('unknown-verb');
  });

  it('refuses an empty or blank command as a usage error', () => {
    for (const command of ['', '   ', '\t']) {
      const r = refused(command);
      expect(r.code).toBe('usage');
      expect(r.message).toBe('empty command');
    }
  });

  it('refuses an argument to a verb that takes none, with its usage as the hint', () => {
    const r = refused('version now');
    expect(r.code).toBe('usage');
    expect(r.message).toBe('version takes no arguments, got 1: now');
    expect(r.hint).toBe('usage: version');
  });

  it('refuses a missing argument with the usage hint', () => {
    const cases: Array<[string, string]> = [
      ['config', 'usage: config <dev>[=<config>]'],
      ['remove', 'usage: remove <dev>'],
      ['sysrq', 'usage: sysrq <letter>'],
      ['log', 'usage: log <string>'],
      ['proc', 'usage: proc <file>'],
      ['stack', 'usage: stack <pid>'],
    ];
    for (const [command, hint] of cases) {
      const r = refused(command);
      expect(r.code, command).toBe('usage');
      expect(r.hint, command).toBe(hint);
      expect(r.message, command).toContain('got 0');
    }
  });

  it('refuses extra arguments to one-argument verbs', () => {
    for (const command of ['config con1 con2', 'remove con1 con2', 'sysrq m m', 'proc meminfo cpuinfo', 'stack 1 2']) {
      const r = refused(command);
      expect(r.code, command).toBe('usage');
      expect(r.message, command).toContain('takes 1 argument, got 2');
    }
  });

  it('lets log take any number of words', () => {
    expect(accepted('log a b c d e f').words).toHaveLength(7);
  });

  it("refuses sysrq t as 'refused-verb' because it panics UML 6.1 guests", () => {
    const r = refused('sysrq t');
    expect(r.code).toBe('refused-verb');
    expect(r.message).toContain('Segfault with no mm');
    expect(r.hint).toContain('--raw');
  });

  it('refuses a sysrq letter it does not know and a word of two letters as usage errors', () => {
    for (const command of ['sysrq x', 'sysrq mm', 'sysrq M']) {
      const r = refused(command);
      expect(r.code, command).toBe('usage');
      expect(r.hint, command).toBe('usage: sysrq <letter>');
    }
  });

  it('accepts config for every device kind, as a query or with a value', () => {
    for (const arg of ['con1', 'con0', 'ssl0', 'ssl63', 'ubdb', 'ubdbr', 'ubd0', 'eth0', 'vec0', 'mem', 'mem=64M', 'con1=pts', 'ssl3=port:9020', 'ubdb=/tmp/x,/tmp/y']) {
      expect(checkCommand(`config ${arg}`).ok, arg).toBe(true);
    }
  });

  it('refuses config of something that is not a device', () => {
    for (const arg of ['foo', 'con', 'ssl', 'ubd', 'eth', 'memx', 'con1x', 'Con1', '=pts', 'foo=bar']) {
      const r = refused(`config ${arg}`);
      expect(r.code, arg).toBe('usage');
      expect(r.message, arg).toMatch(/^config: expected a device/);
      expect(r.hint, arg).toBe('usage: config <dev>[=<config>]');
    }
  });

  it('checks the device named by remove', () => {
    expect(checkCommand('remove ubdb').ok).toBe(true);
    expect(refused('remove bogus').code).toBe('usage');
  });

  it('accepts proc files in subdirectories and refuses a path that climbs out of /proc', () => {
    expect(checkCommand('proc sys/kernel/hostname').ok).toBe(true);
    for (const command of ['proc ../x', 'proc sys/../../etc/passwd', 'proc ..']) {
      const r = refused(command);
      expect(r.code, command).toBe('usage');
      expect(r.message, command).toContain('expected a file under /proc');
    }
  });

  it('refuses a stack argument that is not a pid', () => {
    for (const command of ['stack abc', 'stack -1', 'stack 1a']) {
      const r = refused(command);
      expect(r.code, command).toBe('usage');
      expect(r.message, command).toContain('expected a guest pid');
    }
  });
});

describe('kernelPrefixMatch', () => {
  it('names the verb the kernel would run, in its table order', () => {
    expect(kernelPrefixMatch('haltx')?.verb).toBe('halt');
    expect(kernelPrefixMatch('gone')?.verb).toBe('go');
    expect(kernelPrefixMatch('logger')?.verb).toBe('log');
    expect(kernelPrefixMatch('h')).toBeUndefined();
  });
});

describe('the verb table', () => {
  it('has the same verbs as the UML 6.1 kernel help', () => {
    const helpVerbs = new Set(parseHelp(KERNEL_HELP).map((e) => e.verb));
    const listed = new Set(VERBS.filter((v) => v.inHelp).map((v) => v.verb));
    expect([...listed].sort()).toEqual([...helpVerbs].sort());
  });

  it('marks log as interrupt context and version as process context, as their reply order showed', () => {
    expect(findVerb('log')?.context).toBe('interrupt');
    expect(findVerb('version')?.context).toBe('process');
  });

  it('marks the verbs the kernel queues for its worker thread as process context', () => {
    for (const verb of ['config', 'remove', 'halt', 'reboot', 'proc']) {
      expect(findVerb(verb)?.context, verb).toBe('process');
    }
  });

  it('finds verbs by exact name only', () => {
    expect(findVerb('halt')?.verb).toBe('halt');
    expect(findVerb('hal')).toBeUndefined();
    expect(findVerb('haltx')).toBeUndefined();
  });
});
