// Host figures cross-checked with the host's own tools (free -b, df -B1), then a real UML guest's cost: its memory
// file on /dev/shm (mapped, allocated, growing as the guest uses memory), PSS below the group's summed RSS.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { guestHostMemory } from '../../src/host/guest-memory.js';
import { memfileDir, statFs } from '../../src/host/memfile-fs.js';
import { readHostMemory } from '../../src/host/meminfo.js';
import { sampleHost } from '../../src/host/sample.js';
import { formatBytes } from '../../src/host/warnings.js';
import { bootGuest, groupMembers, killAllGuests, umlSkip, type Guest } from '../helpers/uml.js';

const T = 30_000;
const MiB = 2 ** 20;

/** Numbers of the line of `free -b` that starts with `label` (Mem:, Swap:). */
function freeLine(label: string): number[] {
  const line = execFileSync('free', ['-b'], { encoding: 'utf8' }).split('\n').find((l) => l.startsWith(label));
  if (!line) throw new Error(`free -b printed no ${label} line`);
  return line.slice(label.length).trim().split(/\s+/).map(Number);
}

/** size, used, avail of `df -B1 PATH`. */
function df(path: string): { size: number; used: number; avail: number } {
  const out = execFileSync('df', ['-B1', '--output=size,used,avail', path], { encoding: 'utf8' });
  const [size, used, avail] = out.trim().split('\n')[1]!.trim().split(/\s+/).map(Number);
  return { size: size!, used: used!, avail: avail! };
}

/** Moving figures agree within 2 % or 32 MiB, whichever is larger. */
function expectClose(ours: number, theirs: number): void {
  expect(Math.abs(ours - theirs)).toBeLessThanOrEqual(Math.max(theirs * 0.02, 32 * MiB));
}

describe('host figures against free and df', () => {
  it('readHostMemory agrees with free -b', () => {
    const ours = readHostMemory();
    const [total, , , shared, , available] = freeLine('Mem:');
    const [swapTotal, , swapFree] = freeLine('Swap:');
    console.log(`free -b: total ${total} available ${available} swap ${swapTotal}/${swapFree} shared ${shared}`);
    console.log(`ours:    total ${ours.ramTotal} available ${ours.ramAvailable} swap ${ours.swapTotal}/${ours.swapFree} shmem ${ours.shmem}`);
    expect(ours.ramTotal).toBe(total);
    expect(ours.swapTotal).toBe(swapTotal);
    expectClose(ours.ramAvailable, available!);
    expectClose(ours.swapFree, swapFree!);
    expectClose(ours.shmem, shared!);
  });

  it('statFs(/dev/shm) agrees with df -B1 /dev/shm', () => {
    const ours = statFs('/dev/shm');
    const theirs = df('/dev/shm');
    console.log(`df -B1 /dev/shm: size ${theirs.size} used ${theirs.used} avail ${theirs.avail}`);
    console.log(`statFs:          size ${ours.size} used ${ours.used} avail ${ours.avail} type ${ours.typeHex}`);
    expect(ours.type).toBe('tmpfs');
    expect(ours.size).toBe(theirs.size);
    expectClose(ours.used, theirs.used);
    expectClose(ours.avail, theirs.avail);
  });

  it('statFs of the directory UML would use here works, and of / agrees with df', () => {
    expect(statFs(memfileDir(process.env)).size).toBeGreaterThan(0);
    const root = statFs('/');
    const theirs = df('/');
    expect(root.size).toBe(theirs.size);
    expectClose(root.avail, theirs.avail);
  });
});

describe.skipIf(umlSkip())('a real guest seen from the host', () => {
  let guest: Guest;
  const dir = memfileDir(process.env);

  beforeAll(async () => {
    guest = await bootGuest({ mem: '64M', waitForShell: true });
  }, T);
  afterAll(killAllGuests, T);

  it('UML chose the directory memfileDir names', () => {
    expect(guest.stderr()).toContain(`Checking if ${dir} is on tmpfs...OK`);
  });

  it('finds the memory file on /dev/shm: allocated > 0 and ≤ mapped size', () => {
    const m = guestHostMemory(guest.pid);
    const f = m.memfile;
    console.log(`guest pid ${guest.pid} members ${m.pids.join(',')}: pss ${m.pss} rss ${m.rss}`);
    console.log(`memfile ${f?.path}: size ${f?.size} (${formatBytes(f?.size ?? 0)}) allocated ${f?.allocated} (${formatBytes(f?.allocated ?? 0)})`);
    expect(dir).toBe('/dev/shm');
    expect(f?.path).toMatch(/^\/dev\/shm\/.* \(deleted\)$/);
    expect(f!.allocated).toBeGreaterThan(0);
    expect(f!.allocated).toBeLessThanOrEqual(f!.size);
    expect(f!.size).toBeGreaterThanOrEqual(64 * MiB); // mem= plus the exec-shield gap
    expect(f!.dev).toBe(fs.statSync('/dev/shm').dev);
    // The same file is what the kernel maps shared (findings §7).
    const maps = fs.readFileSync(`/proc/${guest.pid}/maps`, 'utf8');
    expect(maps.split('\n').some((l) => / rw-s /.test(l) && l.endsWith(f!.path))).toBe(true);
    expect(guestHostMemory(guest.pid, { dir: '/dev/shm' }).memfile?.path).toBe(f!.path);
  });

  it('PSS is > 0 and below the summed RSS of the group (/proc/P/status VmRSS)', () => {
    const members = groupMembers(guest.pid);
    const m = guestHostMemory(guest.pid);
    const summedRss = members.reduce((sum, p) => {
      const vm = /^VmRSS:\s+(\d+) kB$/m.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'));
      return sum + Number(vm?.[1] ?? 0) * 1024;
    }, 0);
    console.log(`group ${members.join(',')}: VmRSS sum ${summedRss}, our rss ${m.rss}, pss ${m.pss}`);
    expect(m.pids.sort()).toEqual(members.sort());
    expect(m.pss).toBeGreaterThan(0);
    expect(m.pss!).toBeLessThan(summedRss);
    expectClose(m.rss!, summedRss);
  });

  it('the memory file grows as the guest uses memory', async () => {
    const before = guestHostMemory(guest.pid).memfile!.allocated;
    const mark = guest.output().length;
    guest.write('dd if=/dev/zero of=/dev/null bs=12M count=1 && echo dd-$((40+2))\r');
    await guest.waitForOutput('dd-42', 10_000, mark);
    const after = guestHostMemory(guest.pid).memfile!.allocated;
    console.log(`memfile allocated before dd ${before}, after ${after}`);
    expect(after).toBeGreaterThan(before + 4 * MiB);
  });

  it('sampleHost counts the guest against /dev/shm', () => {
    const s = sampleHost(process.env, [{ name: 'g', pid: guest.pid, mem: '64M' }, { name: 'off', pid: null, mem: '1G' }]);
    const g = s.guests[0]!;
    expect(s.memfileDir).toBe('/dev/shm');
    expect(s.guestsMem).toBe(64 * MiB);
    expect(s.guestsAllocated).toBe(g.memfile!.allocated);
    expect(g.pss).toBeGreaterThan(0);
    expect(s.warnings).toEqual([]);
  });
});
