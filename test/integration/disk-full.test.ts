// A full state directory (a 2 MiB tmpfs filled by a file) with a real guest: the console keeps flowing to an
// attached client, the log file gets a marker where it could not write that says how much was lost, the guest's
// events say when writing stopped and when it started again, and the server stays up and idle throughout.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleStream, ServerSession } from '../../src/client/session.js';
import { umlSkip } from '../helpers/uml.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';

const GUEST = 'df1';
const GAP_LINES = 2000;
const AFTER_LINES = 300;
const MARKER = /^\[umux [\dTZ:-]+\] console log lost (\d+) bytes \((\d+) lines\) from (\S+) to (\S+): cannot write: ENOSPC/m;

interface GuestEvent {
  at: string;
  text: string;
}

/** Fills the file system holding `dir` with one file, to the last byte. */
function fill(file: string): void {
  const fd = fs.openSync(file, 'w');
  const block = Buffer.alloc(64 * 1024, 0x46);
  try {
    for (;;) if (fs.writeSync(fd, block) === 0) break;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const numbered = (prefix: string, n: number) => `i=0; while [ $i -lt ${n} ]; do i=$((i+1)); echo ${prefix}-$i; done`;

describe.skipIf(umlSkip())('a full state directory', () => {
  let world: UmuxWorld;
  let mounted = false;
  let session: ServerSession | undefined;
  let seen = '';

  beforeAll(() => {
    world = new UmuxWorld();
    fs.mkdirSync(world.stateDir, { mode: 0o700 });
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', world.stateDir], { stdio: 'pipe' });
    } catch (err) {
      throw new Error(`this test mounts a 2 MiB tmpfs as the state directory and needs root (CI runs as root): ${(err as Error).message}`);
    }
    mounted = true;
    world.define(GUEST, 'consoles = 0\nserials = 0\n');
  });
  afterAll(async () => {
    session?.dispose();
    try {
      // Lazily: the server still holds files there until dispose kills it.
      if (mounted) execFileSync('umount', ['-l', world.stateDir]);
    } finally {
      await world.dispose();
    }
  });

  /** `umux events NAME`, as printed: `AT  TEXT` a line. */
  const events = async (): Promise<GuestEvent[]> =>
    (await world.ok(['events', GUEST]))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => ({ at: l.slice(0, l.indexOf('  ')), text: l.slice(l.indexOf('  ') + 2) }));

  it('marks the gap in the console log, says so in the events, and keeps the console going', async () => {
    await world.ok(['start', GUEST]);
    await world.waitForShell(GUEST);
    session = await world.session();
    const watched: ConsoleStream = await session.attach(GUEST, 'con0', { readOnly: true });
    watched.onData((b) => (seen += Buffer.from(b).toString('latin1')));

    await world.ok(['send', GUEST, numbered('before', 50)]);
    await waitUntil('the lines before in the log', () => world.logText(GUEST).includes('before-50\r\n') || undefined);

    const filler = path.join(world.stateDir, 'filler');
    fill(filler);
    await world.ok(['send', GUEST, numbered('gap', GAP_LINES)]);
    // The disk is full: the attached client still gets every line.
    await waitUntil('the client to see the lines while the disk is full', () => seen.includes(`gap-${GAP_LINES}\r\n`) || undefined, 30_000);
    const failed = await waitUntil('the "cannot write" event', async () => (await events()).find((e) => /con0 log.*cannot write/.test(e.text)));
    expect(failed.text).toMatch(/ENOSPC/);

    // Full and quiet: the server neither crashed nor spins.
    const server = world.serverPid()!;
    const cpuFrom = cpuSeconds(server);
    await new Promise((r) => setTimeout(r, 2000));
    expect(cpuSeconds(server) - cpuFrom, 'server CPU seconds over 2 s with the disk full').toBeLessThan(0.5);

    fs.rmSync(filler);
    await world.ok(['send', GUEST, numbered('after', AFTER_LINES)]);
    await waitUntil('the lines after in the log', () => world.logText(GUEST).includes(`after-${AFTER_LINES}\r\n`) || undefined, 30_000);
    // The log is written before the attached client reads the same bytes off its socket: wait for both.
    await waitUntil('the client to see the lines after', () => seen.includes(`after-${AFTER_LINES}\r\n`) || undefined, 30_000);

    const log = world.logText(GUEST);
    const marker = MARKER.exec(log);
    expect(marker, `a gap marker in the log after before-50:\n${log.slice(log.lastIndexOf('before-50'), log.lastIndexOf('before-50') + 2000)}`).not.toBeNull();
    const at = marker!.index;
    const markerEnd = log.indexOf('\r\n', at) + 2;
    expect(log.lastIndexOf('before-50\r\n')).toBeLessThan(at);
    expect(log.indexOf('after-1\r\n')).toBeGreaterThan(markerEnd);
    expect(log, 'the disk was full for the end of the gap lines').not.toContain(`gap-${GAP_LINES}\r\n`);
    expect(Date.parse(marker![3]!)).toBeLessThanOrEqual(Date.parse(marker![4]!));
    // The amount is exact: what the client saw between the file's last bytes before the marker and its first after
    // (a line the gap cut was ended by umux's `\r\n`, not the guest's).
    const lostBytes = Number(marker![1]);
    const lostLines = Number(marker![2]);
    const cut = log.slice(at, markerEnd).includes('the line above is cut short');
    const before = log.slice(0, at - (cut ? 2 : 0)).slice(-300);
    const after = log.slice(markerEnd, markerEnd + 300);
    const lostFrom = seen.indexOf(before) + before.length;
    const lostTo = seen.indexOf(after, lostFrom);
    expect(seen.indexOf(before), 'the bytes before the marker, as the client saw them').toBeGreaterThanOrEqual(0);
    expect(lostTo, 'the bytes after the marker, as the client saw them').toBeGreaterThanOrEqual(lostFrom);
    const lost = seen.slice(lostFrom, lostTo);
    expect(lostBytes).toBe(lost.length);
    expect(lostLines).toBe(lost.split('\n').length - 1);
    expect(lost).toContain(`gap-${GAP_LINES}\r\n`);
    // Every line after the gap is there, whole and in order.
    const afterLines = log.slice(markerEnd).split('\r\n').filter((l) => /^after-\d+$/.test(l));
    expect(afterLines).toEqual(Array.from({ length: AFTER_LINES }, (_, i) => `after-${i + 1}`));

    const list = await events();
    expect(list.filter((e) => /con0 log.*cannot write/.test(e.text)), 'one "cannot write" event, not one per chunk').toHaveLength(1);
    const resumed = list.find((e) => /con0 log: writing again/.test(e.text));
    expect(resumed?.text).toContain(`lost ${lostBytes} bytes (${lostLines} lines)`);
    expect(Date.parse(resumed!.at)).toBeGreaterThan(Date.parse(failed.at));

    // The server still answers, and its own event file has both events (written late if they came while it was full).
    expect(world.serverPid()).toBe(server);
    expect(await world.ok(['ls'])).toMatch(new RegExp(`^${GUEST}\\s+running`, 'm'));
    const eventFile = fs.readFileSync(path.join(world.stateDir, 'events', `${GUEST}.log`), 'utf8');
    expect(eventFile).toContain(`${failed.at} ${failed.text}\n`);
    expect(eventFile).toContain(`${resumed!.at} ${resumed!.text}\n`);
  }, 120_000);
});
