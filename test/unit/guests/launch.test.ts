// umlCommandLine: the exact kernel arguments of a managed guest, and the values it refuses before UML misreads them.

import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { MAX_EXTRA_CONSOLES, oneLineTail, umlCommandLine } from '../../../src/guests/launch.js';

const base = { umid: 'web1', umlDir: '/srv/uml', root: '/srv/roots/web1', notifySocket: '/run/umux/notify' };

describe('umlCommandLine', () => {
  it('builds the defaults: 64M, con0 on fds 0 and 1, no other console, notify socket last', () => {
    expect(umlCommandLine(base)).toEqual([
      'mem=64M', 'umid=web1', 'uml_dir=/srv/uml',
      'rootfstype=hostfs', 'hostfs=/srv/roots/web1', 'root=/dev/root', 'rw', 'init=/init',
      'con=null', 'ssl=null', 'con0=fd:0,fd:1',
      'mconsole=notify:/run/umux/notify',
    ]);
  });

  it('puts extra consoles on fds 3.. and extra args at the very end', () => {
    expect(umlCommandLine({ ...base, mem: '256M', consoles: 3, extraArgs: ['ssl0=fd:9', 'quiet'] })).toEqual([
      'mem=256M', 'umid=web1', 'uml_dir=/srv/uml',
      'rootfstype=hostfs', 'hostfs=/srv/roots/web1', 'root=/dev/root', 'rw', 'init=/init',
      'con=null', 'ssl=null', 'con0=fd:0,fd:1',
      'con1=fd:3', 'con2=fd:4', 'con3=fd:5',
      'mconsole=notify:/run/umux/notify',
      'ssl0=fd:9', 'quiet',
    ]);
  });

  it('allows up to con15', () => {
    const args = umlCommandLine({ ...base, consoles: MAX_EXTRA_CONSOLES });
    expect(args.filter((a) => /^con\d+=/.test(a))).toHaveLength(16);
    expect(args).toContain('con15=fd:17');
  });

  it('accepts K, M, G and plain sizes', () => {
    for (const mem of ['262144K', '1G', '128M', '67108864']) expect(umlCommandLine({ ...base, mem })[0]).toBe(`mem=${mem}`);
  });

  it.each([
    ['a umid with a slash', { umid: '../x' }, /umid "\.\.\/x"/],
    ['an empty umid', { umid: '' }, /umid ""/],
    ['a umid over 63 characters', { umid: 'u'.repeat(64) }, /umid/],
    ['a umid with a space', { umid: 'a b' }, /umid/],
    ['a mem without a number', { mem: 'lots' }, /mem "lots"/],
    ['a mem of zero', { mem: '0M' }, /mem "0M"/],
    ['a lowercase unit', { mem: '64m' }, /mem "64m"/],
    ['negative consoles', { consoles: -1 }, /-1 extra consoles/],
    ['too many consoles', { consoles: 16 }, /16 extra consoles/],
    ['fractional consoles', { consoles: 1.5 }, /1.5 extra consoles/],
    ['a root with a space', { root: '/srv/my root' }, /hostfs root "\/srv\/my root"/],
    ['a root with a comma', { root: '/srv/a,b' }, /hostfs root "\/srv\/a,b"/],
    ['a uml_dir with a tab', { umlDir: '/srv/u\tml' }, /uml_dir/],
    ['an empty notify socket', { notifySocket: '' }, /notify socket ""/],
  ])('refuses %s', (_what, change, message) => {
    const run = (): string[] => umlCommandLine({ ...base, ...change });
    expect(run).toThrow(UsageError);
    expect(run).toThrow(message);
  });

  it('refuses with a one-line message and a hint', () => {
    try {
      umlCommandLine({ ...base, umid: 'a/b' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(UsageError);
      expect((err as UsageError).message).not.toContain('\n');
      expect((err as UsageError).hint).toMatch(/letters, digits/);
    }
  });
});

describe('oneLineTail', () => {
  it('joins the last lines with bars and drops CRs and blank lines', () => {
    expect(oneLineTail('a\r\n\r\nb  \r\nc\n')).toBe('a | b | c');
  });

  it('keeps the end of long text', () => {
    expect(oneLineTail('x'.repeat(300) + 'END', 10)).toBe('…xxxxxxxEND');
  });

  it('says (nothing) for empty output', () => {
    expect(oneLineTail('\r\n  \n')).toBe('(nothing)');
  });
});
