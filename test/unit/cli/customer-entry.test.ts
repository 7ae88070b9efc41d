// The hosting customer's entry (cli/customer-entry.ts): plain words from SSH_ORIGINAL_COMMAND, an allowlist of
// client words, and no environment that steers where it connects.

import { describe, expect, it } from 'vitest';
import { customerWords, dropSteeringEnv, sshCommandWords } from '../../../src/cli/customer-entry.js';

const refused = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  return 'allowed';
};

describe("a hosting customer's command line", () => {
  it('takes plain words and nothing a shell would act on', () => {
    expect(sshCommandWords(undefined)).toEqual([]);
    expect(sshCommandWords('attach  web1')).toEqual(['attach', 'web1']);
    for (const bad of ['ls; sh', '$(id)', '`id`', 'a|b', 'a&b', 'a>b', 'a\nb', 'a\tb', "a'b", 'a"b', 'a\\b', 'attach ../x', '~root', 'a*', 'x\u001b[2J']) {
      expect(refused(() => sshCommandWords(bad)), JSON.stringify(bad)).toMatch(/^the character .* in the command: not allowed for a hosting customer$/);
    }
    expect(refused(() => sshCommandWords('l'.repeat(2000)))).toBe('a command of 2000 characters: not allowed for a hosting customer');
  });

  it('lets through client words only; admin words and options first are refused', () => {
    expect(customerWords([])).toEqual([]);
    expect(customerWords(['sysrq', 'web1', 's'])).toEqual(['sysrq', 'web1', 's']);
    expect(customerWords(['--help'])).toEqual(['help']);
    for (const w of ['server', 'kill-server', 'demo', 'mconsole', 'config', 'remove', 'clean', 'host', 'login', 'run', '--socket-dir', '-r', 'shell', '--shared']) {
      expect(refused(() => customerWords([w, 'x'])), w).toBe(`"${w}": not allowed for a hosting customer`);
    }
  });

  it('drops the environment that steers a client', () => {
    const env: NodeJS.ProcessEnv = { UMUX_SOCKET_DIR: '/x', UMUX_BIN: '/bin/sh', XDG_RUNTIME_DIR: '/x', NODE_OPTIONS: '-r x', PATH: '/usr/bin', HOME: '/h' };
    dropSteeringEnv(env);
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/h' });
  });
});
