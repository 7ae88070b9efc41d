// The server's cost of a TUI that watches (issue 12, item 3): 20 idle guests, a TUI attached in tmux, the server's
// CPU over 30 s with no TUI, with the polling TUI (UMUX_TUI_POLL=1: ls every second, host every 5 s, as before)
// and with the subscribed TUI (the server pushes). The requests each TUI sent come from its UMUX_TUI_STATS.

import fs from 'node:fs';
import path from 'node:path';
import { hasTmux, shellQuote, TmuxTerminal } from '../helpers/tmux.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld } from '../helpers/server.js';
import { table } from './stats.js';

const GUESTS = 20;
const WINDOW_MS = 30_000;

/** CPU time (user + system) a process has used, in ms. */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'latin1').replace(/^.*\) /, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks of 1/100 s
}

/** The server's CPU over WINDOW_MS, as ms per second of wall time. */
async function serverCpu(pid: number): Promise<number> {
  const c0 = cpuMs(pid);
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, WINDOW_MS));
  return (cpuMs(pid) - c0) / ((Date.now() - t0) / 1000);
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
    for (const n of names) world.define(n, `mem = "32M"\nconsoles = 0\nserials = 0\numl_dir = "${world.umlDir}"\nhostfs_root = "${world.root()}"\n`, { raw: true });
    for (let i = 0; i < names.length; i += 5) await Promise.all(names.slice(i, i + 5).map((n) => world.ok(['start', n])));
    for (const n of names) await world.waitForShell(n, 60_000);
    const pid = world.serverPid()!;
    await new Promise((r) => setTimeout(r, 3000)); // boots settle

    const rows: string[][] = [];
    rows.push(['no TUI', (await serverCpu(pid)).toFixed(1), '-']);
    for (const [label, poll] of [
      ['TUI polling (UMUX_TUI_POLL=1, before)', true],
      ['TUI subscribed (after)', false],
    ] as const) {
      const stats = path.join(world.dir, `stats-${poll ? 'poll' : 'push'}.json`);
      const cmd = `${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)}; echo EXIT=$?`;
      const term = new TmuxTerminal(cmd, { width: 120, height: 40, env: { ...env, UMUX_TUI_STATS: stats, ...(poll ? { UMUX_TUI_POLL: '1' } : {}) } });
      try {
        await term.waitFor(new RegExp(`${names.at(-1)} 32M`), 30_000);
        await new Promise((r) => setTimeout(r, 2000));
        const cpu = await serverCpu(pid);
        term.type('', 'C-]');
        term.type('d');
        await term.waitFor(/EXIT=0/, 10_000);
        const requests = (JSON.parse(fs.readFileSync(stats, 'utf8')) as { requests: number }).requests;
        rows.push([label, cpu.toFixed(1), String(requests)]);
      } finally {
        term.dispose();
      }
    }
    log(`\n### server CPU, ${GUESTS} idle guests, over ${WINDOW_MS / 1000} s (issue 12: the server pushes)\n`);
    log(table(['watching', 'server CPU ms/s', 'requests the TUI sent (whole session)'], rows));
    log('\n');
  } finally {
    await world.dispose();
  }
}
