// The server's cost of a TUI that watches (issue 12, item 3): 20 idle guests, a TUI attached in tmux, the server's
// CPU over 30 s with no TUI, with the polling TUI (UMUX_TUI_POLL=1: ls every second, host every 5 s, as before)
// and with the subscribed TUI (the server pushes). The requests each TUI sent come from its UMUX_TUI_STATS.

import fs from 'node:fs';
import path from 'node:path';
import { hasTmux, shellQuote, TmuxTerminal } from '../helpers/tmux.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld } from '../helpers/server.js';
import { table } from './stats.js';
import { cpuMs } from './keeper.bench.js';

const GUESTS = 20;
const WINDOW_MS = 30_000;

/** The CPU of each process over WINDOW_MS, as ms per second of wall time. */
async function cpuOver(pids: number[]): Promise<number[]> {
  const c0 = pids.map(cpuMs);
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  const s = (Date.now() - t0) / 1000;
  return pids.map((pid, i) => (cpuMs(pid) - c0[i]!) / s);
}

/** The TUI's node process: the one whose environment names its stats file and that runs node (not the shell or `script` around it). */
export function tuiPid(stats: string): number | undefined {
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
      if (environ.includes(`UMUX_TUI_STATS=${stats}`) && argv[0] === process.execPath && argv[1] === UMUX_BIN) return Number(pid);
    } catch {
      continue;
    }
  }
  return undefined;
}

/** What one `ls --json` costs the server (definitions, rows, the reply), over `n` in a row. */
async function lsCost(world: UmuxWorld, pid: number, n: number): Promise<number> {
  const session = await world.session();
  try {
    const c0 = cpuMs(pid);
    for (let i = 0; i < n; i++) await session.request(['ls', '--json']);
    return (cpuMs(pid) - c0) / n;
  } finally {
    session.dispose();
  }
}

export async function benchIdleTui(log: (s: string) => void): Promise<void> {
  if (!hasTmux) {
    log('\n### server CPU with an idle TUI: skipped (no tmux)\n');
    return;
  }
  const world = new UmuxWorld();
  const env = { UMUX_SOCKET_DIR: world.socketDir, UMUX_STATE_DIR: world.stateDir, UMUX_CONFIG_DIR: world.configDir, UMUX_UML_DIRS: world.handDir, TERM: 'xterm-256color', LANG: 'C.UTF-8' };
  try {
    const names = Array.from({ length: GUESTS }, (_, i) => `idle${String(i).padStart(2, '0')}`);
    for (const n of names) world.define(n, 'consoles = 0\nserials = 0\n');
    for (let i = 0; i < names.length; i += 5) await Promise.all(names.slice(i, i + 5).map((n) => world.ok(['start', n])));
    for (const n of names) await world.waitForShell(n, 60_000);
    const pid = world.serverPid()!;
    await new Promise((r) => setTimeout(r, 3000)); // boots settle

    const rows: string[][] = [];
    rows.push(['no TUI', (await cpuOver([pid]))[0]!.toFixed(1), '-', '-']);
    for (const [label, poll] of [
      ['TUI polling (UMUX_TUI_POLL=1, before)', true],
      ['TUI subscribed (after)', false],
    ] as const) {
      const stats = path.join(world.dir, `stats-${poll ? 'poll' : 'push'}.json`);
      const cmd = `${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)}; echo EXIT=$?`;
      const term = new TmuxTerminal(cmd, { width: 120, height: 40, env: { ...env, UMUX_TUI_STATS: stats, ...(poll ? { UMUX_TUI_POLL: '1' } : {}) } });
      try {
        await term.waitFor(new RegExp(`${names.at(-1)} 64M`), 30_000);
        await new Promise((r) => setTimeout(r, 2000));
        const tui = tuiPid(stats);
        const [cpu, tuiCpu] = await cpuOver(tui === undefined ? [pid] : [pid, tui]);
        term.type('', 'C-]');
        term.type('d');
        await term.waitFor(/EXIT=0/, 10_000);
        const requests = (JSON.parse(fs.readFileSync(stats, 'utf8')) as { requests: number }).requests;
        rows.push([label, cpu!.toFixed(1), tuiCpu === undefined ? '?' : tuiCpu.toFixed(1), String(requests)]);
      } finally {
        term.dispose();
      }
    }
    log(`\n### server CPU, ${GUESTS} idle guests, over ${WINDOW_MS / 1000} s (issue 12: the server pushes)\n`);
    log(table(['watching', 'server CPU ms/s', 'TUI CPU ms/s', 'requests the TUI sent (whole session)'], rows));
    const each = await lsCost(world, pid, 300);
    log(`\none \`ls --json\` of ${GUESTS} guests costs the server ${each.toFixed(2)} ms of CPU (mean of 300): the polling TUI's share of the figures above is about that per second\n`);
  } finally {
    await world.dispose();
  }
}
