// The hosting policy file (config/hosting-policy.ts): its shape, one-line refusals naming the file and the key, and
// the ownership check: a policy someone else owns or may write is never read.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy, readPolicy } from '../../../src/config/hosting-policy.js';
import { isRoot } from '../../helpers/other-user.js';

const F = '/etc/umux/policy.toml';
const fails = (text: string) => {
  try {
    parsePolicy(text, F);
  } catch (err) {
    return (err as Error).message;
  }
  return 'parsed';
};

describe('the hosting policy', () => {
  it('reads grants with users, groups, guests, a console right and command lines', () => {
    const p = parsePolicy('[[grant]]\nusers = ["alice"]\ngroups = ["hosting"]\nguests = ["web1"]\nconsole = "read-only"\ncommands = ["start", "sysrq s"]\n[[grant]]\nusers = ["bob"]\nowned = true\n', F);
    expect(p.grants).toHaveLength(2);
    expect(p.grants[0]).toMatchObject({ users: ['alice'], groups: ['hosting'], guests: ['web1'], console: 'read-only', commands: [{ name: 'start' }, { name: 'sysrq', args: ['s'] }] });
    expect(p.grants[1]).toMatchObject({ owned: true, console: 'none', commands: [] });
  });

  it('refuses unknown words in one line naming the file and the key', () => {
    expect(fails('[[grant]]\nusers = ["a"]\nguests = ["g"]\nconsol = "read-write"\n')).toBe('policy.toml: grant.consol: unknown key (did you mean console?)');
    expect(fails('[[grant]]\nusers = ["a"]\nguests = ["g"]\ncommands = ["config"]\n')).toBe('policy.toml: commands: "config" is not a command a customer may be given');
    expect(fails('[[grant]]\nusers = ["a"]\nguests = ["g"]\nconsole = "rw"\n')).toMatch(/^policy.toml: console: expected "read-write", "read-only" or "none", got "rw"$/);
    expect(fails('[[grant]]\nusers = ["../a"]\nguests = ["g"]\n')).toMatch(/^policy.toml: users: expected names/);
    expect(fails('[[grant]]\nguests = ["g"]\n')).toMatch(/users: expected users or groups/);
    expect(fails('[[grant]]\nusers = ["a"]\n')).toMatch(/guests: expected guests, or owned = true/);
    expect(fails('admin = true\n')).toMatch(/^policy.toml: admin: unknown key$/);
  });

  it('is not read unless it is the server user\'s and nobody else may write it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-pol-'));
    const file = path.join(dir, 'policy.toml');
    try {
      expect(readPolicy(file)).toBeUndefined();
      fs.writeFileSync(file, '[[grant]]\nusers = ["a"]\nguests = ["g"]\n', { mode: 0o644 });
      expect(readPolicy(file)?.grants).toHaveLength(1);
      fs.chmodSync(file, 0o666);
      expect(() => readPolicy(file)).toThrow(/hosting policy refused: writable by group or others \(mode 666\)/);
      fs.chmodSync(file, 0o644);
      if (isRoot) {
        fs.chownSync(file, 65534, 65534);
        expect(() => readPolicy(file)).toThrow(/owned by uid 65534, not by the server's user/);
      }
      fs.rmSync(file);
      fs.symlinkSync('/etc/passwd', file);
      expect(() => readPolicy(file)).toThrow(/cannot read the hosting policy/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
