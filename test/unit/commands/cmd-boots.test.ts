// `umux boots`: the table (both numbers, local times, the end in words) and `--boot N` read as a number or refused
// with a one-line error.

import { describe, expect, it } from 'vitest';
import { bootOption, bootsCommand, formatBoots } from '../../../src/commands/cmd-boots.js';

describe('umux boots', () => {
  it('lists each boot with # and IDX, how it began and how it ended', () => {
    const at = new Date(2026, 11, 2, 10, 12, 13).toISOString();
    const end = new Date(2026, 11, 2, 10, 12, 15).toISOString();
    const text = formatBoots({
      guest: 'g1',
      boots: [
        { n: 1, rel: -1, at, how: 'umux start', pid: 10, end: { kind: 'panic', detail: 'x', at: end, text: 'kernel panic: x' }, consoles: ['con0'] },
        { n: 2, rel: 0, at, how: 'restart policy', pid: null, end: null, consoles: [] },
      ],
    });
    expect(text.split('\n')).toEqual([
      '#  IDX  STARTED              HOW             PID  ENDED',
      '1  -1   2026-12-02 10:12:13  umux start      10   10:12:15 kernel panic: x',
      '2  0    2026-12-02 10:12:13  restart policy  -    running',
      '',
    ]);
    expect(formatBoots({ guest: 'g1', boots: [] })).toBe('g1: no boots recorded yet (umux records each boot from its start on)\n');
    expect(bootsCommand.changes).toBe(false);
  });

  it('reads --boot N, and refuses anything but a whole number in one line', () => {
    expect(bootOption({})).toBeUndefined();
    expect(bootOption({ boot: '-1' })).toBe(-1);
    expect(bootOption({ boot: '+2' })).toBe(2);
    expect(bootOption({ boot: '0' })).toBe(0);
    expect(() => bootOption({ boot: 'last' })).toThrow(/^log: --boot expects a boot number \(0 the current, -1 the one before, 1 the first kept\), got "last"$/);
  });
});
