// The server's incremental memory reader on a real process group (a shell with two sleeps, like a UML kernel with
// the processes it forked): the same members as a walk of /proc, Rss fresh each read, PSS kept while Rss holds still.

import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processGroup } from '../../../src/host/guest-memory.js';
import { GuestMemoryReader, kernelGroup } from '../../../src/host/memory-reader.js';

let leader: ChildProcess;
const waitFor = async (ok: () => boolean) => {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
};

beforeAll(async () => {
  leader = spawn('/bin/sh', ['-c', 'sleep 30 & sleep 30 & wait'], { detached: true, stdio: 'ignore' });
  await waitFor(() => processGroup(leader.pid!).length === 3);
});
afterAll(() => {
  try {
    process.kill(-leader.pid!, 'SIGKILL');
  } catch {
    // gone
  }
});

describe('kernelGroup', () => {
  it('finds the leader and its children, as a walk of /proc does', () => {
    expect(kernelGroup(leader.pid!).sort()).toEqual(processGroup(leader.pid!).sort());
    expect(kernelGroup(leader.pid!)).toHaveLength(3);
  });

  it('gives nothing for a pid that is not a group leader or does not exist', () => {
    expect(kernelGroup(2 ** 22 + 7)).toEqual([]);
  });
});

describe('GuestMemoryReader', () => {
  it('reads Rss and PSS of the group, then keeps PSS while Rss holds still', () => {
    const reader = new GuestMemoryReader();
    const first = reader.read(leader.pid!, 1000);
    expect(first.pids.sort()).toEqual(processGroup(leader.pid!).sort());
    expect(first.rss).toBeGreaterThan(0);
    expect(first.pss).toBeGreaterThan(0);
    expect(first.pss!).toBeLessThanOrEqual(first.rss!);
    const again = reader.read(leader.pid!, 2000);
    expect(again.pss).toBe(first.pss);
  });

  it('gives only empty figures for a kernel that is gone', () => {
    expect(new GuestMemoryReader().read(2 ** 22 + 7)).toEqual({ pids: [] });
  });
});
