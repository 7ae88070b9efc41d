// The `:` command line: umux commands get the focused guest where they take a NAME, MConsole verbs go through `mc`.

import { describe, expect, it } from 'vitest';
import { commandArgv, commandLine, confirmedArgv, questionFor } from '../../../src/tui/command-line.js';
import { COMMANDS, findCommand } from '../../../src/commands/table.js';
import { parseArgs } from '../../../src/commands/parse.js';
import type { CommandSpec } from '../../../src/commands/types.js';
import { recoverySteps } from '../../../src/tui/recovery.js';

describe('commandArgv', () => {
  const names = ['web1', 'db1'];
  it('fills in the focused guest', () => {
    expect(commandArgv('sysrq m', 'web1', names)).toEqual(['sysrq', 'web1', 'm']);
    expect(commandArgv('config ubdb=/srv/d.img', 'web1', names)).toEqual(['config', 'web1', 'ubdb=/srv/d.img']);
    expect(commandArgv('  cad ', 'db1', names)).toEqual(['cad', 'db1']);
  });
  it('keeps an explicit guest and commands without one', () => {
    expect(commandArgv('halt db1', 'web1', names)).toEqual(['halt', 'db1']);
    expect(commandArgv('ls', 'web1', names)).toEqual(['ls']);
    expect(commandArgv('host', undefined, names)).toEqual(['host']);
  });
  it('sends MConsole verbs through mc', () => {
    expect(commandArgv('proc meminfo', 'web1', names)).toEqual(['mc', 'web1', 'proc', 'meminfo']);
    expect(commandArgv('version', 'db1', names)).toEqual(['mc', 'db1', 'version']);
    expect(commandArgv('mc stack 1', 'db1', names)).toEqual(['mc', 'db1', 'stack', '1']);
  });
  it('says what is wrong otherwise', () => {
    expect(commandArgv('frobnicate', 'web1', names)).toBe('unknown command "frobnicate": a umux command (umux help), a TUI command (:help) or an MConsole verb');
    expect(commandArgv('attach web1', 'web1', names)).toBe('attach runs from the shell: umux attach (umux help attach)');
    expect(commandArgv('sysrq m', undefined, names)).toBe('sysrq needs a guest: focus one in the sidebar');
    expect(commandArgv('', 'web1', names)).toMatch(/^type a command/);
  });
});

describe('commandLine', () => {
  const names = ['web1', 'db1'];
  it("runs the TUI's own commands and help in the TUI, with their words", () => {
    expect(commandLine('zoom', 'web1', names)).toEqual({ kind: 'tui', name: 'zoom', args: [] });
    expect(commandLine('help sysrq', 'web1', names)).toEqual({ kind: 'tui', name: 'help', args: ['sysrq'] });
  });
  it('fills the focused guest into console targets, and keeps a named one with its console', () => {
    expect(commandLine('send ls', 'web1', names)).toEqual({ kind: 'server', argv: ['send', 'web1', 'ls'] });
    expect(commandLine('send db1:con1 ls', 'web1', names)).toEqual({ kind: 'server', argv: ['send', 'db1:con1', 'ls'] });
  });
  it('keeps MConsole verbs that share a name with client commands (log, version)', () => {
    expect(commandLine('version', 'web1', names)).toEqual({ kind: 'server', argv: ['mc', 'web1', 'version'] });
    expect(commandLine('log hello', 'web1', names)).toEqual({ kind: 'server', argv: ['mc', 'web1', 'log', 'hello'] });
  });
});

describe('questionFor', () => {
  it('asks for dangerous commands and for stop, not once --yes is there', () => {
    expect(questionFor(['halt', 'web1'])).toMatch(/^halt stops web1 now/);
    expect(questionFor(['stop', 'web1'])).toMatch(/^stop shuts web1 down .*MConsole's stop is :pause here/);
    expect(questionFor(['sysrq', 'web1', 'm'])).toBeUndefined();
    expect(questionFor(['sysrq', 'web1', 'b'])).toMatch(/reboot at once/);
    expect(questionFor(['halt', 'web1', '--yes'])).toBeUndefined();
  });
});

describe('confirmedArgv over the whole command table', () => {
  const guest = { name: 'web1', umid: 'web1', pid: 4242, mem: '64M', consoles: [], clients: 0, uptimeMs: 1000, adopted: false, restarts: 0, panic: null };
  /** A sample argv for each command: a guest where it takes one, then enough words for its least arguments. */
  const sampleArgv = (spec: CommandSpec): string[] => {
    const words = spec.usage.startsWith('NAME') ? ['web1'] : [];
    const fill = spec.name === 'sysrq' ? ['b'] : spec.name === 'config' ? ['ssl2=port:9000'] : spec.name === 'remove' ? ['ubdb'] : ['x'];
    while (words.length < spec.minArgs) words.push(...fill);
    return [spec.name, ...words];
  };

  it('sends, for every command the TUI asks about, only options that command accepts', () => {
    const asked = COMMANDS.filter((spec) => spec.runsIn === 'server' && questionFor(sampleArgv(spec)) !== undefined);
    // The table's dangerous commands, and stop, which the TUI asks about itself.
    expect(asked.map((s) => s.name).sort()).toEqual(['cad', 'config', 'halt', 'kill', 'reboot', 'remove', 'stop', 'sysrq']);
    for (const spec of asked) {
      const argv = confirmedArgv(sampleArgv(spec));
      expect(() => parseArgs(spec, argv.slice(1)), argv.join(' ')).not.toThrow();
      // Where the server refuses the command without --yes, it is there.
      if (spec.confirm) expect(argv, spec.name).toContain('--yes');
    }
  });

  it('makes every recovery step of a running guest a command line its command accepts', () => {
    for (const state of ['running', 'paused', 'unresponsive', 'stale', 'crashed'] as const) {
      for (const step of recoverySteps({ ...guest, state, pid: state === 'stale' || state === 'crashed' ? null : 4242 })) {
        if (step.view) continue;
        const argv = questionFor(step.argv) === undefined ? step.argv : confirmedArgv(step.argv);
        expect(() => parseArgs(findCommand(argv[0]!)!, argv.slice(1)), argv.join(' ')).not.toThrow();
      }
    }
  });

  it('adds --yes once, and only where the command takes it', () => {
    expect(confirmedArgv(['stop', 'web1'])).toEqual(['stop', 'web1']);
    expect(confirmedArgv(['halt', 'web1'])).toEqual(['halt', 'web1', '--yes']);
    expect(confirmedArgv(['kill', 'web1', '--hard', '--yes'])).toEqual(['kill', 'web1', '--hard', '--yes']);
  });
});
