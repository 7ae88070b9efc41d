// Profiling aid (not a test, not in `npm run bench`): only the TUI's keystroke-to-echo beside a neighbour flooding in
// a split pane, two guests, umux only (tui.bench.ts has the whole table with tmux). `npx tsx test/bench/echo-split.ts`.
import fs from 'node:fs';
import path from 'node:path';
import { UmuxWorld } from '../helpers/server.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { shellQuote } from '../helpers/tmux.js';
import { keystrokeLatency, OuterTerminal } from './tui.bench.js';
import { ms, percentile } from './stats.js';

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
function cpuOf(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

// UMUX_PROF_REQUIRE: a script every umux process of this world loads first (--require), e.g. one that starts the inspector's profiler.
const profile = process.env['UMUX_PROF_REQUIRE'];
const world = new UmuxWorld(profile ? { NODE_OPTIONS: `--require ${profile}` } : {});
let term: OuterTerminal | undefined;
try {
  const rootOpts = { shell: true, commands: [] as string[] };
  const root = world.root(rootOpts);
  const base = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(4);
  fs.writeFileSync(path.join(root, 'flood5.txt'), Array.from({ length: 65_536 }, (_, i) => `${String(i).padStart(9, '0')} ${base.slice(i % 36, (i % 36) + 69)}\n`).join(''));
  for (const n of ['g00', 'g01']) world.define(n, 'consoles = 0\nserials = 0\n', { root: rootOpts });
  await Promise.all(['g00', 'g01'].map((n) => world.ok(['start', n])));
  for (const n of ['g00', 'g01']) await world.waitForShell(n, 60_000);
  const session = await world.session();
  const env: NodeJS.ProcessEnv = { ...world.env, TERM: 'xterm-256color', LANG: 'C.UTF-8', UMUX_TUI_STATS: path.join(world.dir, 'stats.json') };
  delete env['TMUX'];
  term = new OuterTerminal('umux TUI', `${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)}`, env);
  await term.waitFor('g00:con0', (rows) => rows.some((r) => r.includes('g00:con0')) && rows.some((r) => /│\/ #(?=\s|$)/.test(r)), 30_000);
  // UMUX_ECHO_IDLE=1: no split, no flood: the TUI's own echo path (the idle row of tui.bench.ts).
  const idle = process.env['UMUX_ECHO_IDLE'] === '1';
  if (!idle) {
    term.type('\x1ds');
    await term.waitFor('a split pane on g01', (rows) => rows.some((r) => r.includes('g01:con0')), 10_000);
    term.type('\x1do');
    await term.waitFor('pane 1/2', (rows) => rows.some((r) => r.includes('pane 1/2')), 10_000);
    await session.request(['send', 'g01', 'while ! ls /tmp | grep -q stop; do cat /flood5.txt; done; echo nb-stopped']);
  }
  await new Promise((r) => setTimeout(r, 1000));
  const b0 = term.bytes;
  const tui = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).map(Number).filter((p) => {
    try {
      return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8') === `${process.execPath}\0${UMUX_BIN}\0`;
    } catch {
      return false;
    }
  });
  const server = world.serverPid()!;
  const c0 = { tui: tui.reduce((a, p) => a + cpuOf(p), 0), server: cpuOf(server), bench: cpuOf(process.pid) };
  const w0 = performance.now();
  const lat = await keystrokeLatency(term, 'umux split');
  const secs = (performance.now() - w0) / 1000;
  const cpu = (was: number, now: number) => `${(((now - was) / secs) * 100).toFixed(0)}%`;
  process.stdout.write(`cpu over ${secs.toFixed(1)} s: TUI ${cpu(c0.tui, tui.reduce((a, p) => a + cpuOf(p), 0))}, server ${cpu(c0.server, cpuOf(server))}, bench ${cpu(c0.bench, cpuOf(process.pid))}\n`);
  const bytes = term.bytes - b0;
  fs.writeFileSync(path.join(root, 'tmp', 'stop'), '');
  term.type('\x1dd');
  await term.closed(10_000);
  const st = JSON.parse(fs.readFileSync(env['UMUX_TUI_STATS']!, 'utf8')) as { renders: number; paneOnlyRenders?: number };
  process.stdout.write(`echo ${idle ? 'idle' : 'with a flooding split-pane neighbour'}: p50 ${ms(percentile(lat.samples, 50))} p99 ${ms(percentile(lat.samples, 99))} max ${ms(Math.max(...lat.samples))}; to terminal ${(lat.rate / 1024 / 1024).toFixed(2)} MB/s, ${bytes} bytes; renders ${st.renders} (pane only ${st.paneOnlyRenders ?? 'n/a'})\n`);
  session.dispose();
} finally {
  term?.dispose();
  await world.dispose();
}
