// groupConsoles: runs of waiting lines become one range, everything else stays on its own.

import { describe, expect, it } from 'vitest';
import { groupConsoles, groupLabel, type ConsoleLine } from '../../../src/protocol/console-summary.js';

const waiting = (name: string, spec = 'pts'): ConsoleLine => ({ name, clients: 0, lost: false, status: 'waiting', spec, note: `${name} is ${spec}: no getty` });

describe('groupConsoles', () => {
  it('makes con=pts ssl=pts one entry per kind', () => {
    const lines: ConsoleLine[] = [
      { name: 'con0', clients: 0, lost: false, status: 'elsewhere', spec: 'fd:0,fd:1', note: 'con0 is fd:0,fd:1' },
      ...Array.from({ length: 15 }, (_, i) => waiting(`con${i + 1}`)),
      ...Array.from({ length: 64 }, (_, i) => waiting(`ssl${i}`)),
    ];
    const groups = groupConsoles(lines);
    expect(groups.map(groupLabel).join(',')).toBe('con0(elsewhere),con1-15(waiting),ssl0-63(waiting)');
    expect(groups[1]!.lines).toHaveLength(15);
    expect(groups[2]!.note).toBe('ssl0-63 are pts: 64 lines waiting for a getty or shell in the guest to open them; umux attaches when one does');
  });

  it('breaks a run at a held line, a gap, another spec or another kind', () => {
    const lines: ConsoleLine[] = [
      waiting('con1'),
      waiting('con2'),
      { name: 'con3', clients: 1, lost: false, status: 'held', spec: 'pts:/dev/pts/4' },
      waiting('con4'),
      waiting('con6'),
      waiting('con7', 'port:9000'),
      waiting('ssl0'),
    ];
    expect(groupConsoles(lines).map(groupLabel)).toEqual(['con1-2(waiting)', 'con3', 'con4(waiting)', 'con6(waiting)', 'con7(waiting)', 'ssl0(waiting)']);
    expect(groupConsoles(lines)[3]!.note).toBe('con6 is pts: no getty');
  });

  it('keeps lost lines apart', () => {
    const lost: ConsoleLine = { name: 'con0', clients: 0, lost: true };
    expect(groupConsoles([lost, { name: 'con1', clients: 0, lost: true }]).map(groupLabel)).toEqual(['con0(lost)', 'con1(lost)']);
  });
});
