// Console transports (issue 10): a 20 MB flood from a guest's `cat` through con0 on a socketpair, on a pty with the
// stall guard (a MConsole `version` when output stops short, as the server does; also at the old 100 ms), and on a pty with no guard
// (capped): MB/s, the ratio to the socketpair, and the longest gap with no output during the flood.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchGuest, type LaunchedGuest } from '../../src/guests/launch.js';
import { buildRootfs } from '../../src/guests/rootfs.js';
import { MconsoleClient } from '../../src/mconsole/client.js';
import { STALL_NUDGE_MS, StallGuard } from '../../src/server/stall-guard.js';
import { table } from './stats.js';

const MB = 1024 * 1024;
const FLOOD = 20 * MB;
/** How long the unguarded pty gets before it counts as stalled. */
const NO_GUARD_CAP_MS = 15_000;

interface Flood {
  bytes: number;
  ms: number;
  longestGapMs: number;
  nudges: number;
  complete: boolean;
}

async function flood(guest: LaunchedGuest, file: string, capMs: number, guard?: StallGuard): Promise<Flood> {
  let bytes = 0;
  let tail = '';
  let last = 0;
  let longest = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const onData = (b: Buffer) => {
    const now = performance.now();
    if (last > 0) longest = Math.max(longest, now - last);
    last = now;
    bytes += b.length;
    guard?.output();
    tail = (tail + b.toString('latin1')).slice(-64);
    if (tail.includes('flood-9-done')) done();
  };
  guest.con0.on('data', onData);
  const t0 = performance.now();
  guest.con0.write(`cat ${file}; echo flood-$((4+5))-done\r`);
  const timer = setTimeout(done, capMs);
  await finished;
  clearTimeout(timer);
  const end = performance.now();
  if (!tail.includes('flood-9-done')) longest = Math.max(longest, end - last);
  guest.con0.off('data', onData);
  return { bytes, ms: end - t0, longestGapMs: longest, nudges: guard?.nudges ?? 0, complete: tail.includes('flood-9-done') };
}

async function shell(guest: LaunchedGuest): Promise<void> {
  let text = '';
  const onData = (b: Buffer) => (text = (text + b.toString('latin1')).slice(-4096));
  guest.con0.on('data', onData);
  const deadline = Date.now() + 120_000;
  // A pty guest can stall on its boot messages too: press Enter now and then until the prompt shows.
  while (!text.includes('/ # ')) {
    if (Date.now() > deadline) throw new Error(`guest ${guest.umid} never reached its shell`);
    guest.con0.write('\r');
    await new Promise((r) => setTimeout(r, 500));
  }
  await new Promise((r) => setTimeout(r, 500));
  guest.con0.off('data', onData);
}

export async function benchConsoles(log: (s: string) => void): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-bc-'));
  const mconsole = new MconsoleClient({ dir: path.join(dir, 'mc') });
  try {
    const root = path.join(dir, 'root');
    buildRootfs({ dir: root, shell: true, commands: [] });
    const line = '0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz-0123456\n';
    fs.writeFileSync(path.join(root, 'flood.txt'), line.repeat(Math.ceil(FLOOD / line.length)));
    const rows: Array<[string, Flood]> = [];
    const run = async (label: string, transport: 'socketpair' | 'pty', guarded: boolean, quietMs = STALL_NUDGE_MS) => {
      const guest = await launchGuest({ umid: `bc-${transport}-${guarded ? `g${quietMs}` : 'n'}`, umlDir: path.join(dir, 'uml'), root, transport, keepOutput: 4096, timeoutMs: 60_000 });
      try {
        guest.stopTextCapture();
        await shell(guest);
        const guard = guarded ? new StallGuard(() => void mconsole.call(guest.socket, 'version', { timeoutMs: 1000 }).catch(() => undefined), quietMs) : undefined;
        rows.push([label, await flood(guest, '/flood.txt', guarded || transport === 'socketpair' ? 180_000 : NO_GUARD_CAP_MS, guard)]);
        guard?.dispose();
      } finally {
        await guest.kill();
      }
    };
    await run('socketpair', 'socketpair', false);
    await run(`pty + stall guard (${STALL_NUDGE_MS} ms, the server's)`, 'pty', true);
    await run('pty + stall guard (100 ms)', 'pty', true, 100);
    await run('pty, no guard', 'pty', false);
    const base = rows[0]![1];
    const rate = (f: Flood) => f.bytes / MB / (f.ms / 1000);
    log(`\n## consoles: a ${FLOOD / MB} MB flood (guest cat) through con0\n`);
    log(
      table(
        ['path', 'bytes', 'time', 'MB/s', 'ratio', 'longest gap', 'nudges', 'complete'],
        rows.map(([label, f]) => [
          label,
          String(f.bytes),
          `${(f.ms / 1000).toFixed(2)} s`,
          rate(f).toFixed(1),
          (rate(f) / rate(base)).toFixed(2),
          `${f.longestGapMs.toFixed(0)} ms`,
          String(f.nudges),
          f.complete ? 'yes' : `no (stopped after ${NO_GUARD_CAP_MS / 1000} s)`,
        ]),
      ),
    );
  } finally {
    mconsole.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
