// Console transports (issue 10): a 20 MB flood from a guest's `cat` through con0 on a socketpair, on a pty with the
// stall guard (a MConsole `version` when output stops short, as the server does; also at the old 100 ms), on a pty
// with no guard (capped), through a held pts (con1=pts and a getty, opened as the server holds an adopted guest's
// line) and through a port line (ssl0=port:N over TELNET, umux's in.telnetd shim), both with the guard: MB/s, the
// ratio to the socketpair, and the longest gap with no output during the flood.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import tty from 'node:tty';
import { PortLink } from '../../src/server/port-link.js';
import { killLeftovers, leftoverPortHelpers } from '../../src/guests/port-helpers.js';
import { launchGuest, type LaunchedGuest } from '../../src/guests/launch.js';
import { buildRootfs } from '../../src/guests/rootfs.js';
import { MconsoleClient } from '../../src/mconsole/client.js';
import { STALL_NUDGE_MS, StallGuard } from '../../src/server/stall-guard.js';
import { table } from './stats.js';
import { freePort } from '../helpers/ports.js';

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

async function flood(con: Duplex, file: string, capMs: number, guard?: StallGuard): Promise<Flood> {
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
  con.on('data', onData);
  const t0 = performance.now();
  con.write(`cat ${file}; echo flood-$((4+5))-done\r`);
  const timer = setTimeout(done, capMs);
  await finished;
  clearTimeout(timer);
  const end = performance.now();
  if (!tail.includes('flood-9-done')) longest = Math.max(longest, end - last);
  con.off('data', onData);
  return { bytes, ms: end - t0, longestGapMs: longest, nudges: guard?.nudges ?? 0, complete: tail.includes('flood-9-done') };
}

async function shell(con: Duplex, what: string): Promise<void> {
  let text = '';
  const onData = (b: Buffer) => (text = (text + b.toString('latin1')).slice(-4096));
  con.on('data', onData);
  const deadline = Date.now() + 120_000;
  // A pty guest can stall on its boot messages too: press Enter now and then until the prompt shows.
  while (!text.includes('/ # ')) {
    if (Date.now() > deadline) throw new Error(`${what} never reached its shell`);
    con.write('\r');
    await new Promise((r) => setTimeout(r, 500));
  }
  await new Promise((r) => setTimeout(r, 500));
  con.off('data', onData);
}


/** The host side of a pts line, opened as HeldConsole.open does for an adopted guest. */
async function openHeldPts(mconsole: MconsoleClient, guest: LaunchedGuest, line: string): Promise<tty.ReadStream> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const reply = await mconsole.call(guest.socket, `config ${line}`, { timeoutMs: 1000 }).catch(() => undefined);
    const m = reply?.ok ? /^pts:(\/dev\/pts\/\d+)$/.exec(reply.text.trim()) : null;
    if (m) {
      const fd = fs.openSync(m[1]!, fs.constants.O_RDWR | fs.constants.O_NOCTTY | fs.constants.O_NONBLOCK);
      const stream = new tty.ReadStream(fd);
      stream.setRawMode(true);
      return stream;
    }
    if (Date.now() > deadline) throw new Error(`${line} of ${guest.umid} got no pts: ${reply?.text ?? 'no answer'}`);
    await new Promise((r) => setTimeout(r, 200));
  }
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
    const guardOf = (guest: LaunchedGuest) => new StallGuard(() => void mconsole.call(guest.socket, 'version', { timeoutMs: 1000 }).catch(() => undefined));
    const umlDir = path.join(dir, 'uml');
    const run = async (label: string, transport: 'socketpair' | 'pty', guarded: boolean, quietMs = STALL_NUDGE_MS) => {
      const guest = await launchGuest({ umid: `bc-${transport}-${guarded ? `g${quietMs}` : 'n'}`, umlDir, root, transport, keepOutput: 4096, timeoutMs: 60_000 });
      try {
        guest.stopTextCapture();
        await shell(guest.con0, guest.umid);
        const guard = guarded ? new StallGuard(() => void mconsole.call(guest.socket, 'version', { timeoutMs: 1000 }).catch(() => undefined), quietMs) : undefined;
        rows.push([label, await flood(guest.con0, '/flood.txt', guarded || transport === 'socketpair' ? 180_000 : NO_GUARD_CAP_MS, guard)]);
        guard?.dispose();
      } finally {
        await guest.kill();
      }
    };
    await run('socketpair', 'socketpair', false);
    await run(`pty + stall guard (${STALL_NUDGE_MS} ms, the server's)`, 'pty', true);
    await run('pty + stall guard (100 ms)', 'pty', true, 100);
    await run('pty, no guard', 'pty', false);
    // A held pts: con1=pts with a getty on tty1; the host side opened as the server holds an adopted guest's line.
    const gettyRoot = path.join(dir, 'root-getty');
    buildRootfs({ dir: gettyRoot, shell: true, gettys: ['tty1'], commands: [] });
    fs.linkSync(path.join(root, 'flood.txt'), path.join(gettyRoot, 'flood.txt'));
    {
      const guest = await launchGuest({ umid: 'bc-pts', umlDir, root: gettyRoot, keepOutput: 4096, timeoutMs: 60_000, extraArgs: ['con1=pts'] });
      try {
        guest.stopTextCapture();
        guest.con0.resume();
        const held = await openHeldPts(mconsole, guest, 'con1');
        await shell(held, 'con1 of bc-pts');
        const guard = guardOf(guest);
        rows.push([`held pts (con1) + stall guard (${STALL_NUDGE_MS} ms)`, await flood(held, '/flood.txt', 180_000, guard)]);
        guard.dispose();
        held.destroy();
      } finally {
        await guest.kill();
      }
    }
    // A port line: ssl0=port:N with a getty on ttyS0, over TELNET (PortLink), as the server holds it.
    const portRoot = path.join(dir, 'root-port');
    buildRootfs({ dir: portRoot, shell: true, gettys: ['ttyS0'], commands: [] });
    fs.linkSync(path.join(root, 'flood.txt'), path.join(portRoot, 'flood.txt'));
    {
      const port = await freePort();
      const guest = await launchGuest({ umid: 'bc-port', umlDir, root: portRoot, keepOutput: 4096, timeoutMs: 60_000, ports: [{ name: 'ssl0', port }] });
      try {
        guest.stopTextCapture();
        guest.con0.resume();
        let link: PortLink | undefined;
        for (let i = 0; !link; i++) {
          link = await PortLink.connect(port).catch((err: Error) => {
            if (i > 100) throw err;
            return undefined;
          });
          if (!link) await new Promise((r) => setTimeout(r, 300));
        }
        await shell(link.stream, 'ssl0 of bc-port');
        const guard = guardOf(guest);
        rows.push([`port (ssl0 over TELNET) + stall guard (${STALL_NUDGE_MS} ms)`, await flood(link.stream, '/flood.txt', 180_000, guard)]);
        guard.dispose();
        link.stream.destroy();
      } finally {
        await guest.kill();
        // Its port-helper outlives it, holding the port (findings §4), as the server's exit handling knows.
        await killLeftovers(leftoverPortHelpers([port], process.getuid?.() ?? 0, 'bc-port'));
      }
    }
    const base = rows[0]![1];
    const rate = (f: Flood) => f.bytes / MB / (f.ms / 1000);
    log(`\n## consoles: a ${FLOOD / MB} MB flood (guest cat) through each console path\n`);
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
