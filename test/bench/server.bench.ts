// Server benchmarks (issue: the umux server): 50 MB of guest console output through the server to an attached
// client beside the same output read raw from a guest's socketpair; server RSS with 10 idle guests whose
// scrollback is full; attach time (snapshot delivered) with a full scrollback.

import fs from 'node:fs';
import path from 'node:path';
import { launchGuest } from '../../src/guests/launch.js';
import { killAllGuests } from '../helpers/uml.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';
import { ms, percentile, table } from './stats.js';

const MB = 1024 * 1024;

function floodFile(root: string, bytes: number): string {
  const line = '0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz-0123456\n'; // 80 bytes
  const count = Math.ceil(bytes / line.length);
  const fd = fs.openSync(path.join(root, 'flood50.txt'), 'w');
  const block = line.repeat(8192);
  for (let written = 0; written < count; written += 8192) fs.writeSync(fd, written + 8192 <= count ? block : line.repeat(count - written));
  fs.closeSync(fd);
  return '/flood50.txt';
}

function rssKb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

export async function benchServer(log: (s: string) => void): Promise<void> {
  const world = new UmuxWorld();
  try {
    const rootOpts = { shell: true, commands: [] as string[] };
    const root = world.root(rootOpts);
    const file = floodFile(root, 50 * MB);
    const size = fs.statSync(path.join(root, file)).size;

    // Raw: a guest launched directly, con0 read from its socketpair with nothing else on the path.
    const rawDir = path.join(world.dir, 'raw');
    const raw = await launchGuest({ umid: 'rawbench', umlDir: rawDir, root, keepOutput: 4096 });
    let rawBytes = 0;
    let rawTail = '';
    raw.onOutput((t) => {
      rawBytes += t.length;
      rawTail = (rawTail + t).slice(-64);
    });
    await waitUntil('the raw guest shell', () => (rawTail.includes('/ # ') ? true : undefined), 30_000);
    const rawTimes: number[] = [];
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      raw.con0.write(`cat ${file}; echo raw-$((${i}+100))-done\r`);
      await waitUntil('the raw flood', () => (rawTail.includes(`raw-${i + 100}-done`) ? true : undefined), 180_000);
      rawTimes.push(performance.now() - t0);
    }
    await raw.kill();

    // Through the server, one read-only client attached and counting.
    world.define('bench', 'consoles = 0\nserials = 0\nlog_max_bytes = "128M"\n', { root: rootOpts });
    await world.ok(['start', 'bench']);
    await world.waitForShell('bench');
    const session = await world.session();
    const stream = await session.attach('bench', 'con0', { readOnly: true });
    let tail = '';
    let clientBytes = 0;
    stream.onData((b) => {
      clientBytes += b.length;
      tail = (tail + Buffer.from(b).toString('latin1')).slice(-64);
    });
    const serverTimes: number[] = [];
    for (let i = 0; i < 2; i++) {
      const t0 = performance.now();
      await world.ok(['send', 'bench', `cat ${file}; echo srv-$((${i}+100))-done`]);
      await waitUntil('the server flood to reach the client', () => (tail.includes(`srv-${i + 100}-done`) ? true : undefined), 180_000);
      serverTimes.push(performance.now() - t0);
    }
    const serverPid = world.serverPid()!;
    const floodRss = rssKb(serverPid);
    stream.dispose();
    session.dispose();
    await world.ok(['stop', '--force', 'bench']);

    const rate = (t: number) => `${((size * 1.0125) / MB / (t / 1000)).toFixed(1)} MB/s`;
    const best = (xs: number[]) => Math.min(...xs);
    log(`\n### guest cat of ${(size / MB).toFixed(0)} MB to con0 (best of 2; the guest's tty adds \\r per line)\n`);
    log(
      table(
        ['path', 'time', 'rate'],
        [
          ['raw: guest socketpair read directly', ms(best(rawTimes)), rate(best(rawTimes))],
          ['umux server, log + model + 1 attached client', ms(best(serverTimes)), rate(best(serverTimes))],
        ],
      ),
    );
    log(`\nratio server/raw time: ${(best(serverTimes) / best(rawTimes)).toFixed(2)} (client got ${(clientBytes / MB).toFixed(1)} MB; raw read ${(rawBytes / MB).toFixed(1)} MB; server RSS after the flood ${(floodRss / 1024).toFixed(0)} MB)\n`);

    // Ten idle guests with full scrollback (2000 lines of 80 columns each).
    const names = Array.from({ length: 10 }, (_, i) => `idle${i}`);
    for (const n of names) world.define(n, 'consoles = 0\nserials = 0\nscrollback = 2000\n', { root: rootOpts });
    const rssBefore = rssKb(serverPid);
    for (let i = 0; i < names.length; i += 5) await Promise.all(names.slice(i, i + 5).map((n) => world.ok(['start', n])));
    for (const n of names) await world.waitForShell(n);
    for (const n of names) await world.ok(['send', n, 'head -c 200000 /flood50.txt; echo idle-$((1+1))-full']);
    for (const n of names) await waitUntil(`${n} to fill its scrollback`, () => (world.logText(n).includes('idle-2-full\r') ? true : undefined), 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    (global as { gc?: () => void }).gc?.();
    const rssIdle = rssKb(serverPid);

    // Attach time with a full scrollback: from the attach request to the snapshot in hand.
    const attachTimes: number[] = [];
    const s2 = await world.session();
    let snapshotBytes = 0;
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const st = await s2.attach('idle0', 'con0', { readOnly: true, scrollback: 2000 });
      attachTimes.push(performance.now() - t0);
      snapshotBytes = st.snapshot.data.length;
      st.dispose();
    }
    s2.dispose();
    log(`\n### server memory and attach\n`);
    log(
      table(
        ['figure', 'value'],
        [
          ['server RSS, 0 guests running (after the flood above)', `${(rssBefore / 1024).toFixed(0)} MB`],
          ['server RSS, 10 idle guests, scrollback full (2000 lines each)', `${(rssIdle / 1024).toFixed(0)} MB`],
          ['per guest', `${((rssIdle - rssBefore) / 1024 / 10).toFixed(1)} MB`],
          [`attach with full scrollback (snapshot ${(snapshotBytes / 1024).toFixed(0)} KB), p50 of 20`, ms(percentile(attachTimes, 50))],
          ['attach, p99 of 20', ms(percentile(attachTimes, 99))],
        ],
      ),
    );
    log('\n');
  } finally {
    await killAllGuests();
    await world.dispose();
  }
}
