// `umux host` against a real managed guest: the server's sample names the guest's memory file and PSS, and the
// memory-file filesystem figures agree with df.

import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { UmuxWorld } from '../helpers/server.js';
import type { HostSample } from '../../src/protocol/host-types.js';

describe.skipIf(umlSkip())('umux host', () => {
  let world: UmuxWorld;
  beforeAll(async () => {
    world = new UmuxWorld();
    world.define('m1', 'consoles = 0\nserials = 0\n');
    await world.ok(['start', 'm1']);
  });
  afterAll(async () => {
    await world.dispose();
  });

  it('reports the guest, its memory file and the filesystem holding it, agreeing with df', async () => {
    const df = (dir: string) => execFileSync('df', ['-B1', '--output=size,used', dir], { encoding: 'utf8' }).trim().split('\n')[1]!.trim().split(/\s+/).map(Number);
    const dir = (JSON.parse(await world.ok(['host', '--json'])) as { sample: HostSample }).sample.memfileDir;
    // Other test files' guests fill the same filesystem meanwhile (21 MB in one run): df before and after the sample.
    const before = df(dir);
    const { sample, history } = JSON.parse(await world.ok(['host', '--json'])) as { sample: HostSample; history: HostSample[] };
    const after = df(dir);
    expect(Array.isArray(history)).toBe(true);
    const g = sample.guests.find((x) => x.name === 'm1')!;
    expect(g.pid).toBe(world.guestPid('m1'));
    expect(g.mem).toBe(64 * 1024 * 1024);
    expect(g.pss).toBeGreaterThan(0);
    expect(g.memfile!.path).toMatch(new RegExp(`^${sample.memfileDir}/.* \\(deleted\\)$`));
    expect(g.memfile!.allocated).toBeGreaterThan(0);
    expect(g.memfile!.allocated).toBeLessThanOrEqual(g.memfile!.size);
    expect(sample.memfileDir).toBe(dir);
    expect(sample.memfileFs!.size).toBe(after[0]);
    const slack = 16 * 1024 * 1024;
    expect(sample.memfileFs!.used).toBeGreaterThan(Math.min(before[1]!, after[1]!) - slack);
    expect(sample.memfileFs!.used).toBeLessThan(Math.max(before[1]!, after[1]!) + slack);
    expect(sample.guestsMem).toBe(64 * 1024 * 1024);
  });

  it('with --recent answers the latest periodic sample, without sampling again', async () => {
    const { sample, history } = JSON.parse(await world.ok(['host', '--json', '--recent'])) as { sample: HostSample; history: HostSample[] };
    expect(history.length).toBeGreaterThan(0);
    expect(sample.at).toBe(history.at(-1)!.at);
    const fresh = JSON.parse(await world.ok(['host', '--json'])) as { sample: HostSample };
    expect(fresh.sample.at).toBeGreaterThanOrEqual(sample.at);
    expect(fresh.sample.at).not.toBe(history.at(-1)!.at);
  });

  it('prints the same as text, one line per figure and a row per guest', async () => {
    const text = await world.ok(['host']);
    expect(text).toMatch(/^RAM {11}\S+ \S+ total, \S+ \S+ available$/m);
    expect(text).toMatch(/^memory files {2}\S+ \((tmpfs|not tmpfs: 0x[0-9a-f]+)\): /m);
    expect(text).toMatch(/^guests {8}1 running, mem= 64 MiB in all, /m);
    expect(text).toMatch(/^m1\s+\d+\s+64 MiB\s+\S+ \S+\s+\S+ \S+$/m);
  });
});
