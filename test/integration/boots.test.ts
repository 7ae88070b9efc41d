// A log per boot with one real guest (issue 15 item 3): three boots (halted from inside, crashed by sysrq c, started
// again by its restart policy) are listed by `umux boots` with how each began and ended, `umux log --boot N` shows
// one boot's lines and no other's, and a reboot in the same process begins a fourth.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';

interface BootRow {
  n: number;
  rel: number;
  how: string;
  pid: number | null;
  end: { kind: string; detail: string; text: string } | null;
  consoles: string[];
}

const MARKER = /^\[umux [0-9TZ:-]+\] boot: started by .*$/gm;

describe.skipIf(umlSkip())('boots of a real guest', () => {
  let world: UmuxWorld;

  /** The log from the `count`-th boot marker on (1-based). */
  const bootText = (count: number): string | undefined => {
    const text = world.logText('bk');
    const at = [...text.matchAll(MARKER)].map((m) => m.index);
    return at.length >= count ? text.slice(at[count - 1]) : undefined;
  };
  /** Waits for boot `count`'s shell prompt, then has it echo `word` and waits for that too. */
  const bootAndEcho = async (count: number, word: string, sum: string): Promise<void> => {
    await waitUntil(`boot ${count}'s shell`, () => (bootText(count)?.includes('/ # ') ? true : undefined), 60_000);
    await world.ok(['send', 'bk', `echo ${word}-$((${sum}))`]);
    await waitUntil(`${word} echoed`, () => (bootText(count)?.includes(`${word}-`) ? true : undefined));
  };
  const boots = async (): Promise<BootRow[]> => (JSON.parse(await world.ok(['boots', 'bk', '--json'])) as { boots: BootRow[] }).boots;

  beforeAll(async () => {
    world = new UmuxWorld();
    world.define('bk', 'consoles = 0\nserials = 0\nrestart = "on-panic"\nrestart_delay_ms = 200\n');
    // Boot 1 halts itself; boot 2 is crashed with sysrq c; its restart policy starts boot 3.
    await world.ok(['start', 'bk']);
    await bootAndEcho(1, 'first', '1+1');
    await world.ok(['send', 'bk', 'poweroff -f']);
    await waitUntil('boot 1 ended', async () => ((await boots())[0]?.end ? true : undefined), 30_000);
    await world.ok(['start', 'bk']);
    await bootAndEcho(2, 'second', '2+2');
    await world.ok(['sysrq', '--yes', 'bk', 'c']);
    await bootAndEcho(3, 'third', '3+3');
  }, 180_000);
  afterAll(async () => {
    await world?.dispose();
  });

  it('lists three boots with how each was started and how it ended', async () => {
    const list = await boots();
    expect(list.map((b) => [b.n, b.rel, b.how])).toEqual([
      [1, -2, 'umux start'],
      [2, -1, 'umux start'],
      [3, 0, 'restart policy'],
    ]);
    expect(list[0]!.end?.kind).toBe('halt');
    expect(list[1]!.end?.kind).toBe('panic');
    expect(list[1]!.end?.detail).toMatch(/sysrq/i);
    expect(list[2]!.end).toBeNull();
    expect(list[2]!.pid).toBe(world.guestPid('bk'));
    for (const b of list) expect(b.consoles).toEqual(['con0']);

    const text = await world.ok(['boots', 'bk']);
    const rows = text.trim().split('\n');
    expect(rows[0]).toMatch(/^#\s+IDX\s+STARTED\s+HOW\s+PID\s+ENDED$/);
    expect(rows[1]).toMatch(/^1\s+-2\s+\S+ \S+\s+umux start\s+\d+\s+\S+ clean halt \(exit code 0\)$/);
    expect(rows[2]).toMatch(/^2\s+-1\s+.*umux start\s+\d+\s+\S+ kernel panic: .*sysrq/i);
    expect(rows[3]).toMatch(/^3\s+0\s+.*restart policy\s+\d+\s+running$/);
  });

  it('marks each boot in the console log with how the one before ended', () => {
    const markers = world.logText('bk').match(MARKER)!.map((m) => m.replace(/\r$/, ''));
    expect(markers).toHaveLength(3);
    expect(markers[0]).toMatch(/boot: started by umux start \(pid \d+\); previous boot: none kept$/);
    expect(markers[1]).toMatch(/boot: started by umux start \(pid \d+\); previous boot: clean halt \(exit code 0\)$/);
    expect(markers[2]).toMatch(/boot: started by restart policy \(pid \d+\); previous boot: kernel panic: .*sysrq/i);
  });

  it('log --boot -1 shows the previous boot and nothing of the current one; 1 the first; 0 the current', async () => {
    const previous = await world.ok(['log', 'bk', '--boot', '-1', '-n', '5000']);
    expect(previous).toMatch(/^\[umux \S+\] boot: started by umux start/);
    expect(previous).toContain('second-4');
    expect(previous).not.toContain('first-2');
    expect(previous).not.toContain('third-6');
    expect(previous).not.toContain('started by restart policy');

    const first = await world.ok(['log', 'bk', '--boot', '1', '-n', '5000']);
    expect(first).toContain('first-2');
    expect(first).not.toContain('second-4');
    const current = await world.ok(['log', 'bk:con0', '--boot', '0', '-n', '5000']);
    expect(current).toMatch(/^\[umux \S+\] boot: started by restart policy/);
    expect(current).toContain('third-6');
    expect(current).not.toContain('second-4');
    // -n counts from the boot's end, as without --boot.
    expect((await world.ok(['log', 'bk', '--boot', '-1', '-n', '2'])).trim().split('\n')).toHaveLength(2);
  });

  it('log --boot past the boots kept: one line saying how many there are', async () => {
    const r = await world.umux(['log', 'bk', '--boot', '-7']);
    expect(r.code).not.toBe(0);
    const err = r.stderr.toString().trim().split('\n');
    expect(err[0]).toBe('umux: bk: there is no boot -7: 3 boots are kept (give 1 to 3, or 0 to -2)');
    const f = await world.umux(['log', 'bk', '--boot', '-1', '-f']);
    expect(f.code).not.toBe(0);
    expect(f.stderr.toString()).toMatch(/^umux: log: --follow follows the current boot, not boot -1/);
  });

  it('a reboot (UML boots again in the same process) ends one boot and begins the next', async () => {
    const pid = world.guestPid('bk');
    await world.ok(['reboot', '--yes', 'bk']);
    await bootAndEcho(4, 'fourth', '4+4');
    expect(world.guestPid('bk')).toBe(pid);
    const list = await boots();
    expect(list.map((b) => [b.how, b.end?.kind ?? null])).toEqual([
      ['umux start', 'halt'],
      ['umux start', 'panic'],
      ['restart policy', 'reboot'],
      ['reboot', null],
    ]);
    const previous = await world.ok(['log', 'bk', '--boot', '-1', '-n', '5000']);
    expect(previous).toContain('third-6');
    expect(previous).not.toContain('fourth-8');
    expect(await world.ok(['log', 'bk', '--boot', '0', '-n', '5000'])).toMatch(/^\[umux \S+\] boot: started by reboot \(pid \d+\); previous boot: rebooted\r?\n/);
  });
});
