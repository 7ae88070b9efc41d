// Tab completion at the `:` line: commands and verbs, then guests, guest:console, sysrq letters, devices, /proc files.

import { describe, expect, it } from 'vitest';
import { completeLine, completionText, type CompletionContext } from '../../../src/tui/complete.js';

const ctx: CompletionContext = { guests: ['web1', 'web2', 'db1'], devices: ['con0', 'con1', 'ssl0', 'ubda', 'eth0', 'mem'], focused: 'web1' };
const values = (line: string, c: CompletionContext = ctx, cursor = line.length) => completeLine(line, cursor, c).candidates.map((x) => x.value);

describe('completeLine: the first word', () => {
  it('offers server-side umux commands and MConsole verbs once each, with their summaries', () => {
    const c = completeLine('s', 1, ctx);
    expect(c.candidates.map((x) => x.value)).toEqual(['send', 'stack', 'start', 'stop', 'sysrq']);
    expect(c.candidates.find((x) => x.value === 'sysrq')?.note).toMatch(/^Send a magic SysRq letter/);
    expect(c.candidates.find((x) => x.value === 'stack')?.note).toBe('MConsole: returns the stack of the specified pid');
    expect([c.start, c.end, c.common]).toEqual([0, 1, 's']);
    expect(values('').filter((v) => v === 'halt')).toHaveLength(1);
    expect(values('')).toContain('mc');
    expect(values('')).toContain('proc');
    expect(values('')).not.toContain('attach'); // runs in the client: the `:` line does not send it
  });

  it('completes a unique prefix in full, case-sensitively', () => {
    const c = completeLine('pro', 3, ctx);
    expect(c.candidates).toEqual([{ value: 'proc', note: "MConsole: returns the contents of the UML's /proc/<file>" }]);
    expect(c.common).toBe('proc');
    expect(completionText(c)).toBe('proc ');
    expect(values('PRO')).toEqual([]);
  });
});

describe('completeLine: arguments', () => {
  it('completes guests for an optional NAME (events without a name follows every guest)', () => {
    expect(values('events w')).toEqual(['web1', 'web2']);
  });

  it('offers sysrq letters (what they do as note) and guests after sysrq', () => {
    const c = completeLine('sysrq ', 6, ctx);
    expect(c.candidates[0]).toEqual({ value: '0', note: 'set the console log level to 0 (lowest)' });
    expect(c.candidates.find((x) => x.value === 'b')?.note).toBe('reboot at once: no kernel or userspace cleanup (asks first)');
    expect(c.candidates.map((x) => x.value)).toContain('web2');
    expect(values('sysrq db1 ')).toContain('m');
    expect(values('sysrq db1 ')).not.toContain('web2');
    expect(values('sysrq m ')).toEqual([]);
    expect(values('mc sysrq ')).toContain('s');
  });

  it('offers guest names where the command takes a NAME, marking the focused one', () => {
    const c = completeLine('stop w', 6, ctx);
    expect(c.candidates).toEqual([
      { value: 'web1', note: 'focused guest' },
      { value: 'web2', note: 'guest' },
    ]);
    expect([c.start, c.end, c.common]).toEqual([5, 6, 'web']);
    expect(completionText(c)).toBe('web');
    expect(values('ls ')).toEqual([]);
  });

  it('offers guest:console forms for the focused guest where a console is taken', () => {
    expect(values('send web1:')).toEqual(['web1:con0', 'web1:con1', 'web1:ssl0']);
    expect(values('send d')).toEqual(['db1']);
    expect(values('send web1:con1 ')).toEqual([]);
    expect(values('send w', { guests: ['web1'], devices: ['con0'] })).toEqual(['web1']);
  });

  it('offers devices for config: the existing ones and the next free of each kind', () => {
    const c = completeLine('config ', 7, ctx);
    const vals = c.candidates.map((x) => x.value);
    expect(vals.slice(0, 10)).toEqual(['con0=', 'con1=', 'ssl0=', 'ubda=', 'eth0=', 'ubdb=', 'con2=', 'ssl1=', 'eth1=', 'mem=']);
    expect(vals).toContain('mem+=');
    expect(vals).toContain('db1');
    expect(values('config u')).toEqual(['ubda=', 'ubdb=']);
    expect(values('config web1 m')).toEqual(['mem=', 'mem+=', 'mem-=']);
    expect(completeLine('config ss', 9, ctx).common).toBe('ssl');
    expect(completionText(completeLine('config ubdb', 11, ctx))).toBe('ubdb='); // unique, but wants a spec: no space
    expect(values('config ubdb=/srv/')).toEqual([]);
  });

  it('offers the removable devices for remove (not mem)', () => {
    expect(values('remove web1 ')).toEqual(['con0', 'con1', 'ssl0', 'ubda', 'eth0']);
    expect(values('remove e')).toEqual(['eth0']);
    expect(values('mc remove ')).toEqual(['con0', 'con1', 'ssl0', 'ubda', 'eth0']);
  });

  it('offers /proc files after proc, and verbs after mc', () => {
    expect(values('proc m')).toEqual(['meminfo', 'mounts']);
    expect(values('mc proc up')).toEqual(['uptime']);
    expect(values('mc ')).toContain('stack');
    expect(values('mc v')).toEqual(['version']);
    expect(values('proc meminfo ')).toEqual([]);
  });

  it("offers the command's options when the word starts with -", () => {
    expect(completeLine('halt --', 7, ctx).candidates).toEqual([{ value: '--yes', note: 'do not ask first (for scripts)' }]);
    expect(values('kill -')).toEqual(['--hard', '--yes', '-y']);
    expect(values('backup --to ')).toEqual([]);
    expect(values('backup --to /x ')).toContain('web1');
    expect(values('stop --force w')).toEqual(['web1', 'web2']);
  });

  it('completes the word before the cursor, leaving what follows alone', () => {
    const c = completeLine('sy web1', 2, ctx);
    expect([c.start, c.end]).toEqual([0, 2]);
    expect(c.candidates.map((x) => x.value)).toEqual(['sysrq']);
    const mid = completeLine('stop d  --force', 6, ctx);
    expect([mid.start, mid.end, mid.common]).toEqual([5, 6, 'db1']);
  });
});

describe('completeLine: the sidebar commands', () => {
  it('offers goto and group as first words, guests after goto, groupings after group, nothing after those', () => {
    expect(values('gro')).toEqual(['group']);
    expect(values('got')).toEqual(['goto']);
    expect(values('goto w')).toEqual(['web1', 'web2']);
    expect(values('goto ')).toEqual(['web1', 'web2', 'db1']);
    expect(values('group ')).toEqual(['none', 'state', 'owner', 'dir', 'host']);
    expect(values('group o')).toEqual(['owner']);
    expect(values('goto web1 ')).toEqual([]);
    expect(values('filter ')).toEqual([]);
  });
});
