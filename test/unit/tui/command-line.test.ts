// The `:` command line: umux commands get the focused guest where they take a NAME, MConsole verbs go through `mc`.

import { describe, expect, it } from 'vitest';
import { commandArgv, questionFor } from '../../../src/tui/command-line.js';

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
    expect(commandArgv('frobnicate', 'web1', names)).toBe('unknown command "frobnicate": a umux command (umux help) or an MConsole verb');
    expect(commandArgv('sysrq m', undefined, names)).toBe('sysrq needs a guest: focus one in the sidebar');
    expect(commandArgv('', 'web1', names)).toMatch(/^type a command/);
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
