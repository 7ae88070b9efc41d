// The pure parts of a log per boot: the marker line (written, then read back), boot records (a torn or forged line is
// dropped), boots from records (an end belongs to the start before it; a boot followed by another unseen ends unknown),
// how an exit reads as an end, and `--boot N` (0, -1, 1-based; out of range says how many there are).

import { describe, expect, it } from 'vitest';
import {
  bootMarkerText,
  bootsFromRecords,
  describeEnd,
  endFromExit,
  formatBootRecord,
  isBootMarker,
  oneLine,
  parseBootMarker,
  parseBootRecord,
  pickBoot,
  type BootRecord,
} from '../../../src/protocol/boot-marker.js';

const line = (text: string) => `[umux 2026-12-02T10:00:00Z] ${text}`;

describe('boot markers', () => {
  it('says how the boot was started and how the one before ended, and reads back', () => {
    const text = bootMarkerText('restart policy', 4242, { kind: 'panic', detail: 'Attempted to kill init! exitcode=0x00000000', at: 1 });
    expect(text).toBe('boot: started by restart policy (pid 4242); previous boot: kernel panic: Attempted to kill init! exitcode=0x00000000');
    expect(isBootMarker(line(text))).toBe(true);
    expect(parseBootMarker(`${line(text)}\r\n`)).toEqual({
      at: Date.parse('2026-12-02T10:00:00Z'),
      how: 'restart policy',
      pid: 4242,
      previous: 'kernel panic: Attempted to kill init! exitcode=0x00000000',
    });
    expect(bootMarkerText('umux start', null, undefined)).toBe('boot: started by umux start; previous boot: none kept');
    expect(parseBootMarker(line(bootMarkerText('autostart', null, null)))).toMatchObject({ how: 'autostart', pid: null, previous: 'running' });
  });

  it('is not confused with a guest line or another umux marker', () => {
    expect(isBootMarker('boot: started by umux start; previous boot: none kept')).toBe(false);
    expect(isBootMarker(line('umux server restarted: this console was held by the previous server'))).toBe(false);
    expect(isBootMarker(` ${line('boot: started by umux start; previous boot: none kept')}`)).toBe(false);
    expect(parseBootMarker('[umux 2026-12-02T10:00:00Z] boot: started by')).toBeUndefined();
  });

  it('keeps guest panic text on one line, without controls, and bounded', () => {
    const hostile = 'VFS: \x1b]52;c;aGk=\x07oops\r\n\x9b2Jmore';
    const text = describeEnd({ kind: 'panic', detail: hostile, at: 0 });
    expect(text).toBe('kernel panic: VFS:  ]52;c;aGk= oops 2Jmore');
    expect(text).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    expect(oneLine('x'.repeat(1000))).toHaveLength(300);
  });
});

describe('how an exit ends a boot', () => {
  it('tells a halt, a stop, a panic, a kill, an exit code and an unknown end apart', () => {
    expect(endFromExit({ code: 0, signal: null }, null, false, 5)).toEqual({ kind: 'halt', detail: 'exit code 0', at: 5 });
    expect(endFromExit({ code: 0, signal: null }, null, true, 5).kind).toBe('stopped');
    expect(endFromExit({ code: null, signal: 'SIGABRT' }, null, true, 5)).toEqual({ kind: 'panic', detail: '', at: 5 });
    expect(endFromExit({ code: 1, signal: null }, 'VFS: Unable to mount root fs', false, 5)).toMatchObject({ kind: 'panic', detail: 'VFS: Unable to mount root fs' });
    expect(endFromExit({ code: null, signal: 'SIGKILL' }, null, false, 5)).toMatchObject({ kind: 'killed', detail: 'SIGKILL' });
    expect(endFromExit({ code: 3, signal: null }, null, false, 5)).toMatchObject({ kind: 'exited', detail: 'exit code 3' });
    expect(endFromExit({ code: null, signal: null }, null, false, 5).kind).toBe('unknown');
    expect(describeEnd({ kind: 'killed', detail: 'SIGKILL', at: 0 })).toBe('killed (SIGKILL)');
    expect(describeEnd({ kind: 'halt', detail: 'exit code 0', at: 0 })).toBe('clean halt (exit code 0)');
    expect(describeEnd({ kind: 'reboot', detail: '', at: 0 })).toBe('rebooted');
    expect(describeEnd(null)).toBe('running');
  });
});

describe('boot records', () => {
  const start = (at: number, pid: number): BootRecord => ({ t: 'start', at, how: 'umux start', pid, logs: { con0: { ino: 7, offset: at } } });

  it('round-trip, and a torn or malformed line is dropped', () => {
    const r = start(10, 99);
    expect(parseBootRecord(formatBootRecord(r).trim())).toEqual(r);
    expect(parseBootRecord('{"t":"start","at":1,"how":"umux st')).toBeUndefined();
    expect(parseBootRecord('{"t":"start","at":1,"how":"rm -rf","pid":1,"logs":{}}')).toBeUndefined();
    expect(parseBootRecord('{"t":"start","at":1,"how":"autostart","pid":1,"logs":{"con0":{"ino":1,"offset":-4}}}')).toBeUndefined();
    expect(parseBootRecord('{"t":"end","kind":"eaten","detail":"","at":1}')).toBeUndefined();
    expect(parseBootRecord('[1,2]')).toBeUndefined();
    const mark: BootRecord = { t: 'mark', console: 'ssl0', place: { ino: 3, offset: 9 } };
    expect(parseBootRecord(formatBootRecord(mark).trim())).toEqual(mark);
    expect(parseBootRecord('{"t":"mark","console":"../x","place":{"ino":3,"offset":9}}')).toBeUndefined();
  });

  it('become boots numbered from the first kept and back from the last; an end unseen is unknown', () => {
    const boots = bootsFromRecords([
      start(1, 10),
      { t: 'end', kind: 'halt', detail: 'exit code 0', at: 2 },
      { t: 'end', kind: 'panic', detail: 'a second end is ignored', at: 3 },
      start(4, 11),
      start(5, 12),
      { t: 'mark', console: 'con1', place: { ino: 8, offset: 80 } },
      { t: 'mark', console: 'con1', place: { ino: 9, offset: 90 } },
    ]);
    expect(boots[2]!.logs).toEqual({ con0: { ino: 7, offset: 5 }, con1: { ino: 8, offset: 80 } });
    expect(boots.map((b) => [b.n, b.rel, b.pid, b.end?.kind ?? null])).toEqual([
      [1, -2, 10, 'halt'],
      [2, -1, 11, 'unknown'],
      [3, 0, 12, null],
    ]);
  });

  it('pick --boot N among the kept boots, or say how many there are', () => {
    expect(pickBoot(0, 3)).toBe(2);
    expect(pickBoot(-1, 3)).toBe(1);
    expect(pickBoot(-2, 3)).toBe(0);
    expect(pickBoot(1, 3)).toBe(0);
    expect(pickBoot(3, 3)).toBe(2);
    expect(pickBoot(-7, 3)).toBe('there is no boot -7: 3 boots are kept (give 1 to 3, or 0 to -2)');
    expect(pickBoot(4, 3)).toBe('there is no boot 4: 3 boots are kept (give 1 to 3, or 0 to -2)');
    expect(pickBoot(-1, 1)).toBe('there is no boot -1: 1 boot is kept (give 0 or 1)');
    expect(pickBoot(0, 0)).toBe('no boots are recorded for it yet');
  });
});
