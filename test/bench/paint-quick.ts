// Profiling aid (not a test): TUI first paint with N guests defined and only the first one running (the sidebar's
// rows without N boots), each run's start steps (src/tui/start-times.ts) beside a bare `node -e ''` in the same run.
// `npx tsx test/bench/paint-quick.ts [defined guests] [runs]`; UMUX_PAINT_NODE_ARGS adds node flags to the TUI;
// UMUX_PAINT_RUNNING=N boots the first N guests (the scale bench's case: every one running);
// UMUX_PAINT_HISTORY=N has the first guest print N lines first (a console with its scrollback full, as after a long boot).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { UmuxWorld } from '../helpers/server.js';
import { shellQuote } from '../helpers/tmux.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { OuterTerminal } from './tui.bench.js';
import { percentile } from './stats.js';
import { wrappedStart } from './scale.bench.js';

const defined = Number(process.argv[2] ?? 100);
const runs = Number(process.argv[3] ?? 7);
const world = new UmuxWorld();
try {
  const root = world.root({ shell: true, commands: [] });
  const names = Array.from({ length: defined }, (_, i) => `s${String(i).padStart(3, '0')}`);
  for (const n of names) fs.writeFileSync(path.join(world.configDir, `${n}.toml`), `mem = "64M"\numl_dir = "${world.umlDir}"\nhostfs_root = "${root}"\nconsoles = 0\nserials = 0\n`);
  // UMUX_PAINT_RUNNING=N boots the first N (ten at a time), as the scale bench does with all of them.
  const running = Math.max(1, Number(process.env['UMUX_PAINT_RUNNING'] ?? 1));
  for (let i = 0; i < running; i += 10) {
    const some = names.slice(i, Math.min(i + 10, running));
    await Promise.all(some.map(async (n) => (await world.ok(['start', n]), await world.waitForShell(n, 120_000))));
  }
  if (running > 1) await new Promise((r) => setTimeout(r, 20_000)); // the boots settle
  const history = Number(process.env['UMUX_PAINT_HISTORY'] ?? 0);
  if (history > 0) {
    await world.ok(['send', names[0]!, `seq 1 ${history}`]);
    await world.ok(['wait', `${names[0]!}:con0`, `^${history}$`, '--recent', '50', '-t', '60000']);
  }
  const env: NodeJS.ProcessEnv = { ...world.env, TERM: 'xterm-256color', LANG: 'C.UTF-8' };
  delete env['TMUX'];
  // UMUX_PAINT_BINS=A:B alternates the TUI's program between runs (an A/B in the same run); default bin/umux.
  const bins = (process.env['UMUX_PAINT_BINS'] ?? UMUX_BIN).split(':');
  const rows: string[] = [];
  const paints: number[] = [];
  const bare: number[] = [];
  const wrapped: number[] = [];
  for (let i = 0; i < runs; i++) {
    const bin = bins[i % bins.length]!;
    // An entry may start with node flags: `--min-semi-space-size=16 /path/bin/umux`.
    const cmd = `${shellQuote(process.execPath)} ${process.env['UMUX_PAINT_NODE_ARGS'] ?? ''} ${bin.split(' ').map(shellQuote).join(' ')}`;
    const b0 = performance.now();
    spawnSync(process.execPath, ['-e', '']);
    bare.push(performance.now() - b0);
    wrapped.push(await wrappedStart(`${shellQuote(process.execPath)} -e ''`, env));
    const stats = path.join(world.dir, `paint-${i}.json`);
    const t0 = performance.now();
    const term = new OuterTerminal('umux TUI', cmd, { ...env, UMUX_TUI_STATS: stats });
    const paint = (await term.waitFor('first console', (r) => r.some((l) => l.includes(`${names[0]}:con0`)) && r.some((l) => l.includes('/ #')), 60_000)) - t0;
    paints.push(paint);
    term.type('\x1dd');
    await term.closed(10_000);
    term.dispose();
    const start = (JSON.parse(fs.readFileSync(stats, 'utf8')) as { start: Record<string, number> }).start;
    rows.push(`${bins.length > 1 ? `${bin.split(' ').slice(0, -1).join(' ')} ${path.basename(path.dirname(path.dirname(bin.split(' ').pop()!)))} ` : ''}paint ${paint.toFixed(0).padStart(4)}  node ${bare[i]!.toFixed(0).padStart(3)}  ${Object.entries(start).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(' · ')}`);
  }
  process.stdout.write(`${rows.join('\n')}\nmedian paint ${percentile(paints, 50).toFixed(0)} ms, node -e '' ${percentile(bare, 50).toFixed(0)} ms (ratio ${(percentile(paints, 50) / percentile(bare, 50)).toFixed(2)}); node -e '' in the TUI's terminal wrapper ${percentile(wrapped, 50).toFixed(0)} ms (ratio ${(percentile(paints, 50) / percentile(wrapped, 50)).toFixed(2)}), load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]}\n`);
} finally {
  await world.dispose();
}
