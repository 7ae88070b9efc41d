// MConsole benchmarks (issue: foundation): `version` round trips in-process beside spawning uml_mconsole per
// request on the same guest, and one `proc meminfo` poll across 20 guests, both ways, in the same run.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { MconsoleClient } from '../../src/mconsole/client.js';
import { bootGuest, killAllGuests, type Guest } from '../helpers/uml.js';
import { ms, percentile, table } from './stats.js';

const run = promisify(execFile);

async function timeEach(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

export async function benchMconsole(log: (s: string) => void): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-b-'));
  const client = new MconsoleClient({ dir, timeoutMs: 5000 });
  try {
    const guest = await bootGuest({ umid: 'bench0', waitForShell: true });
    const N = 1000;
    await timeEach(50, () => client.call(guest.socket, 'version')); // warm-up
    const ours = await timeEach(N, () => client.call(guest.socket, 'version'));
    const theirs = await timeEach(N, () => run('uml_mconsole', [guest.socket, 'version']));
    log(`\n### version round trip, ${N} requests each, same guest (${guest.umid})\n`);
    log(
      table(
        ['client', 'p50', 'p99', 'max', 'total'],
        [
          ['umux MconsoleClient (in-process)', ms(percentile(ours, 50)), ms(percentile(ours, 99)), ms(Math.max(...ours)), ms(ours.reduce((a, b) => a + b, 0))],
          ['uml_mconsole, spawned per request', ms(percentile(theirs, 50)), ms(percentile(theirs, 99)), ms(Math.max(...theirs)), ms(theirs.reduce((a, b) => a + b, 0))],
        ],
      ),
    );
    log(`\np50 ratio: uml_mconsole / umux = ${(percentile(theirs, 50) / percentile(ours, 50)).toFixed(0)}x\n`);

    const guests: Guest[] = [guest];
    const BATCH = 4;
    const t0 = performance.now();
    for (let i = 1; i < 20; i += BATCH) {
      const n = Math.min(BATCH, 20 - i);
      guests.push(...(await Promise.all(Array.from({ length: n }, (_, k) => bootGuest({ umid: `bench${i + k}`, waitForShell: true })))));
    }
    const bootMs = performance.now() - t0;
    const polls = 20;
    const pollOurs: number[] = [];
    const pollTheirs: number[] = [];
    for (let r = 0; r < polls; r++) {
      let t = performance.now();
      const replies = await Promise.all(guests.map((g) => client.call(g.socket, 'proc meminfo')));
      pollOurs.push(performance.now() - t);
      if (replies.some((x) => !x.ok || !x.text.includes('MemTotal'))) throw new Error('a meminfo poll failed');
      t = performance.now();
      await Promise.all(guests.map((g) => run('uml_mconsole', [g.socket, 'proc', 'meminfo'])));
      pollTheirs.push(performance.now() - t);
    }
    log(`\n### one poll of proc meminfo across ${guests.length} guests (median of ${polls} polls; guests booted in ${(bootMs / 1000).toFixed(1)} s)\n`);
    log(
      table(
        ['client', 'p50 per poll', 'p99 per poll'],
        [
          ['umux MconsoleClient, 20 requests in parallel', ms(percentile(pollOurs, 50)), ms(percentile(pollOurs, 99))],
          ['uml_mconsole x20, spawned in parallel', ms(percentile(pollTheirs, 50)), ms(percentile(pollTheirs, 99))],
        ],
      ),
    );
    log('\n');
  } finally {
    client.dispose();
    await killAllGuests();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
