// The customer's grants (commands/grants.ts): what each request of a hosting customer is answered, from the policy's
// grants alone; a guest they may not see is answered as one that does not exist.

import { describe, expect, it } from 'vitest';
import { CustomerAccess, grantWordProblem, type Grant } from '../../../src/commands/grants.js';

const grant = (over: Partial<Grant>): Grant => ({ users: ['alice'], groups: [], guests: [], owned: false, console: 'none', commands: [], ...over });
const guests = [
  { name: 'web1', ownerUid: 1001 },
  { name: 'mine', ownerUid: 1001 },
  { name: 'db1', ownerUid: 1002 },
];
const find = (n: string) => guests.find((g) => g.name === n);
const alice = new CustomerAccess('alice', 1001, [
  grant({ guests: ['web1'], console: 'read-write', commands: [{ name: 'sysrq', args: ['s'] }, { name: 'start' }] }),
  grant({ owned: true, console: 'read-only' }),
]);
const refusal = (argv: string[]) => alice.requestRefusal(argv, guests, find)?.message;

describe('a customer\'s grants', () => {
  it('lets through what is granted, exactly', () => {
    expect(refusal(['sysrq', 'web1', 's'])).toBeUndefined();
    expect(refusal(['start', 'web1'])).toBeUndefined();
    expect(refusal(['sysrq', 'web1', 'b'])).toBe('"sysrq web1 b": the hosting policy does not allow it');
    expect(refusal(['start', 'mine'])).toBe('"start mine": the hosting policy does not allow it');
  });

  it('sees its own guests (owned) and the named ones, never another\'s', () => {
    expect(guests.filter((g) => alice.canSee(g)).map((g) => g.name)).toEqual(['web1', 'mine']);
    expect(refusal(['boots', 'db1'])).toBe(refusal(['boots', 'nosuch'])!.replace('nosuch', 'db1'));
    expect(alice.requestRefusal(['boots', 'db1'], guests, find)?.hint).toBe('your guests: web1, mine');
  });

  it('takes the strongest console right of the grants naming a guest', () => {
    expect(alice.consoleRight(guests[0]!)).toBe('read-write');
    expect(alice.consoleRight(guests[1]!)).toBe('read-only');
    expect(alice.consoleRefusal(guests[1]!, true)?.message).toBe("typing on mine's console (your access is read-only): the hosting policy does not allow it");
    expect(refusal(['send', 'mine', 'x'])).toMatch(/read-only/);
    expect(refusal(['send', 'web1', 'x'])).toBeUndefined();
  });

  it('refuses host-wide commands, host paths and oversized requests', () => {
    for (const argv of [['kill-server'], ['host'], ['config', 'web1', 'ubdb=/etc/shadow'], ['remove', 'web1', 'ubdb'], ['clean', 'web1'], ['mconsole', '/x'], ['server'], ['demo']]) {
      expect(refusal(argv), argv.join(' ')).toMatch(/the hosting policy does not allow it$/);
    }
    const withBackup = new CustomerAccess('alice', 1001, [grant({ guests: ['web1'], commands: [{ name: 'backup' }] })]);
    expect(withBackup.requestRefusal(['backup', 'web1'], guests, find)).toBeUndefined();
    expect(withBackup.requestRefusal(['backup', 'web1', '--to', '/etc'], guests, find)?.message).toMatch(/--to.*host path/);
    expect(refusal(['ls', ...Array<string>(20).fill('x')])).toMatch(/at most 16 words/);
    expect(refusal(['sysrq', 'x'.repeat(300), 's'])).toMatch(/at most 16 words of 256/);
  });

  it('shows a hostile name inert, on one line', () => {
    const m = refusal(['sysrq', 'a\u001b]52;c;x\u0007\n\u009b', 's'])!;
    expect(m).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(m).toContain('\\u001b');
  });

  it('knows which command lines a policy may grant', () => {
    expect(grantWordProblem('sysrq s')).toBeUndefined();
    expect(grantWordProblem('mc version')).toBeUndefined();
    expect(grantWordProblem('mc')).toMatch(/written out/);
    expect(grantWordProblem('config')).toMatch(/not a command a customer may be given/);
    expect(grantWordProblem('backup --to /x')).toMatch(/options are not granted/);
    expect(grantWordProblem('kill-server')).toMatch(/not a command/);
  });
});
