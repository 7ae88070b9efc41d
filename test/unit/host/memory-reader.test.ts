// The server's incremental memory reader on a real process group (a shell holding an unlinked file, with two sleeps:
// like a UML kernel with its memory file and the processes it forked): the same members as a walk of /proc, and the
// memory file found again through its fd as it grows.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processGroup } from '../../../src/host/guest-memory.js';
import { GuestMemoryReader, kernelGroup } from '../../../src/host/memory-reader.js';
import { sampleHostRead } from '../../../src/host/sample.js';

let leader: ChildProcess;
const waitFor = async (ok: () => boolean) => {
  for (let i = 0; i < 100 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
};

beforeAll(async () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'umx-reader-')), 'vm_file');
  leader = spawn('/bin/sh', ['-c', `exec 3<>${file}; rm ${file}; rmdir ${path.dirname(file)}; sleep 30 & sleep 30 & wait`], { detached: true, stdio: 'ignore' });
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
  it('reads Rss and PSS of the group and its memory file, and sees the file grow on the next read', () => {
    const reader = new GuestMemoryReader();
    const first = reader.read(leader.pid!, 1000);
    expect(first.pids.sort()).toEqual(processGroup(leader.pid!).sort());
    expect(first.rss).toBeGreaterThan(0);
    expect(first.pss).toBeGreaterThan(0);
    expect(first.pss!).toBeLessThanOrEqual(first.rss!);
    expect(first.memfile?.allocated).toBe(0);
    // Nothing moved: the same result object again (a sample of idle guests makes no garbage, a history no copies).
    expect(reader.read(leader.pid!, 2000)).toBe(first);
    fs.writeFileSync(`/proc/${leader.pid}/fd/3`, Buffer.alloc(2 * 1024 * 1024, 1));
    const grown = reader.read(leader.pid!, 3000);
    expect(grown).not.toBe(first);
    expect(grown.memfile?.allocated).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    expect(grown.pids.sort()).toEqual(first.pids.sort());
    expect(first.memfile?.allocated).toBe(0);
  });

  it("gives a sample's line of a guest whose memory did not move as the same object, a new one when it moved", () => {
    const reader = new GuestMemoryReader();
    const guests = [{ name: 'g', pid: leader.pid!, mem: '64M' }];
    const a = sampleHostRead({}, guests, reader, 1000).guests[0]!;
    const b = sampleHostRead({}, guests, reader, 2000).guests[0]!;
    expect(b).toBe(a);
    expect(a.mem).toBe(64 * 1024 * 1024);
    expect(sampleHostRead({}, [{ ...guests[0]!, mem: '128M' }], reader, 2500).guests[0]!.mem).toBe(128 * 1024 * 1024);
    fs.writeFileSync(`/proc/${leader.pid}/fd/3`, Buffer.alloc(4 * 1024 * 1024, 1));
    const c = sampleHostRead({}, guests, reader, 3000).guests[0]!;
    expect(c).not.toBe(a);
    expect(c.memfile!.allocated).toBeGreaterThan(a.memfile!.allocated);
  });

  it('reads the same off the event loop (readAsync): the group, its Rss and PSS, and its memory file', async () => {
    const sync = new GuestMemoryReader().read(leader.pid!, 1000);
    const reader = new GuestMemoryReader();
    const got = await reader.readAsync(leader.pid!, 1000);
    expect(got.pids.sort()).toEqual(sync.pids.sort());
    expect(got.memfile).toEqual(sync.memfile);
    expect(got.pss).toBeGreaterThan(0);
    expect(got.rss).toBeGreaterThanOrEqual(got.pss!);
    expect(await new GuestMemoryReader().readAsync(2 ** 22 + 7)).toEqual({ pids: [] });
  });

  it('gives only empty figures for a kernel that is gone', () => {
    expect(new GuestMemoryReader().read(2 ** 22 + 7)).toEqual({ pids: [] });
  });
});
