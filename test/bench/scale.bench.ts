// `npm run bench scale` (issue 14): N small real guests (default 100, UMUX_BENCH_GUESTS) under a private server, and
// one table of goals: server RSS at 0, N/2 and N idle guests, idle CPU with and without a TUI, event-loop delay while
// idle and while sampling host memory (UMUX_SERVER_STATS), `umux ls --json` times, TUI first paint and navigation.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServerStatsFile } from '../../src/server/server-stats.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { shellQuote } from '../helpers/tmux.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';
import { cpuMs } from './keeper.bench.js';
import { tuiPid } from './idle-tui.bench.js';
import { OuterTerminal } from './tui.bench.js';
import { ms, percentile, table } from './stats.js';

// 32M panics at boot ("System is deadlocked on memory") with this kernel, 48M now and then on a loaded host.
const MEM = process.env['UMUX_BENCH_MEM'] ?? '64M';
const GUESTS = Number(process.env['UMUX_BENCH_GUESTS'] ?? 100);
const IDLE_MS = Number(process.env['UMUX_BENCH_IDLE_MS'] ?? 60_000);
const LS_CALLS = 50;
const PAINT_RUNS = 5;
const NAV_STEPS = 10;
const PREFIX = '\x1d'; // C-]
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

function rssKb(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
const pct = (msPerS: number) => `${(msPerS / 10).toFixed(2)} %`;
const verdict = (ok: boolean) => (ok ? 'met' : 'missed');

/** The CPU each process used over `windowMs`, in ms per second of wall time. */
async function cpuOver(pids: number[], windowMs: number): Promise<number[]> {
  const c0 = pids.map(cpuMs);
  const t0 = Date.now();
  await sleep(windowMs);
  const s = (Date.now() - t0) / 1000;
  return pids.map((pid, i) => (cpuMs(pid) - c0[i]!) / s);
}

/** Server stats over a window: the file is removed (new histograms), then read once the window is over. */
async function statsOver(file: string, windowMs: number, during: () => Promise<void>): Promise<ServerStatsFile> {
  fs.rmSync(file, { force: true });
  await waitUntil('the server to start new stats', () => (fs.existsSync(file) ? true : undefined), 15_000);
  const t0 = Date.now();
  await during();
  await sleep(Math.max(0, windowMs - (Date.now() - t0)) + 5500);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ServerStatsFile;
}

/** Starts one guest and waits for its prompt; a boot that fails on a loaded host is stopped and tried once more. */
async function bootOne(world: UmuxWorld, name: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await world.ok(['start', name]);
      await world.waitForShell(name, 120_000);
      return true;
    } catch (err) {
      process.stderr.write(`scale bench: ${name} did not boot (${(err as Error).message.split('\n')[0]})${attempt === 0 ? '; trying again' : ''}\n`);
      await world.umux(['stop', '--force', name]).catch(() => undefined);
    }
  }
  return false;
}

/** Starts guests `names` ten at a time; returns those that never booted (the figures are about idle guests, not boots). */
async function startAll(world: UmuxWorld, names: string[]): Promise<string[]> {
  const failed: string[] = [];
  for (let i = 0; i < names.length; i += 10) {
    const some = names.slice(i, i + 10);
    const ok = await Promise.all(some.map((n) => bootOne(world, n)));
    failed.push(...some.filter((_, j) => !ok[j]));
  }
  return failed;
}

async function settledRss(pid: number): Promise<number> {
  await sleep(10_000); // boots settle, a host sample or two runs
  return rssKb(pid);
}

/** Wall time of `argv` run to its end, in ms. */
function runTime(argv: string[], env: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.toString().trim()}`);
  return performance.now() - t0;
}

/** From starting `command` in the bench's terminal wrapper (script, sh, stty, exec, as the TUI is) to its exit. */
export async function wrappedStart(command: string, env: NodeJS.ProcessEnv): Promise<number> {
  const t0 = performance.now();
  const term = new OuterTerminal('node -e', command, env);
  try {
    await term.closed(30_000);
    return performance.now() - t0;
  } finally {
    term.dispose();
  }
}

/** The TUI's start steps (src/tui/start-times.ts) from a stats file it wrote on leaving. */
function startSteps(file: string): Record<string, number> {
  try {
    return (JSON.parse(fs.readFileSync(file, 'utf8')) as { start?: Record<string, number> }).start ?? {};
  } catch {
    return {};
  }
}

/** `main 61 · loaded 140 …`: each step's median over the runs. */
function stepLine(runs: Record<string, number>[]): string {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  return names.map((n) => `${n} ${percentile(runs.flatMap((r) => (r[n] === undefined ? [] : [r[n]])), 50).toFixed(0)}`).join(' · ');
}

export async function benchScale(log: (s: string) => void): Promise<void> {
  const statsFile = path.join(os.tmpdir(), `umux-scale-stats-${process.pid}.json`);
  // No UMUX_SERVER_STATS at first: its loop monitor's 10 ms timer alone costs the server ~0.35 % of a core (measured
  // with test/bench/idle-split.ts), more than half the idle CPU goal. The server is restarted with it afterwards.
  const world = new UmuxWorld();
  const rows: string[][] = [];
  const goal = (what: string, figure: string, target: string, ok: boolean | undefined) => rows.push([what, figure, target, ok === undefined ? '-' : verdict(ok)]);
  const terms: OuterTerminal[] = [];
  let printed = false;
  try {
    const root = world.root({ shell: true, commands: [] });
    const names = Array.from({ length: GUESTS }, (_, i) => `s${String(i).padStart(3, '0')}`);
    const define = (n: string) =>
      fs.writeFileSync(path.join(world.configDir, `${n}.toml`), `mem = "${MEM}"\numl_dir = "${world.umlDir}"\nhostfs_root = "${root}"\nconsoles = 0\nserials = 0\n`);
    await world.ok(['ls']);
    let pid = world.serverPid()!;
    const rss0 = await settledRss(pid);
    const half = names.slice(0, Math.floor(GUESTS / 2));
    half.forEach(define);
    const failed = await startAll(world, half);
    const rssHalf = await settledRss(pid);
    names.slice(half.length).forEach(define);
    failed.push(...(await startAll(world, names.slice(half.length))));
    const rssAll = await settledRss(pid);
    const perGuest = (rssAll - rss0) / GUESTS;
    if (failed.length > 0) goal(`guests that did not boot (twice)`, failed.join(' '), '-', undefined);
    goal('server RSS, no guest', mb(rss0), '≤ 60 MB', rss0 <= 60 * 1024);
    goal(`server RSS, ${half.length} idle guests`, mb(rssHalf), '-', undefined);
    goal(`server RSS, ${GUESTS} idle guests`, mb(rssAll), '-', undefined);
    goal('server RSS per idle guest', mb(perGuest), '≤ 1 MB', perGuest <= 1024);

    // Idle, no client: CPU; then, under a server started again with UMUX_SERVER_STATS (the guests keep running), the
    // event loop while idle and while sampling host memory.
    const cpu = (await cpuOver([pid], IDLE_MS))[0]!;
    await world.ok(['kill-server']);
    world.env['UMUX_SERVER_STATS'] = statsFile;
    await world.ok(['ls']);
    pid = world.serverPid()!;
    await sleep(15_000); // the new server's first samples read every guest's PSS
    const idle = await statsOver(statsFile, IDLE_MS, async () => undefined);
    goal(`server CPU, ${GUESTS} idle guests, no client, ${IDLE_MS / 1000} s (no loop monitor)`, pct(cpu), '≤ 0.5 %', cpu <= 5);
    goal('event-loop delay p50, idle', ms(idle.loopIdle.p50), '-', undefined);
    goal(`event-loop delay p99, idle (${idle.loopIdle.count} timer ticks)`, ms(idle.loopIdle.p99), '≤ 5 ms', idle.loopIdle.p99 <= 5);
    goal('event-loop delay p50, during a host sample', ms(idle.loopSampling.p50), '-', undefined);
    goal(`event-loop delay p99, during a host sample (${idle.samples} samples)`, ms(idle.loopSampling.p99), '≤ 5 ms', idle.loopSampling.p99 <= 5);
    goal('event-loop delay max, idle / sampling', `${ms(idle.loopIdle.max)} / ${ms(idle.loopSampling.max)}`, '-', undefined);
    goal('longest host sample (wall time, loop free between slices)', ms(idle.sampleMaxMs), '-', undefined);

    // `umux ls --json`: the command as typed (a node start each) and the request alone on an open session.
    const cliTimes = Array.from({ length: LS_CALLS }, () => runTime([process.execPath, UMUX_BIN, 'ls', '--json'], world.env));
    const session = await world.session();
    const reqTimes: number[] = [];
    for (let i = 0; i < LS_CALLS * 4; i++) {
      const t0 = performance.now();
      await session.request(['ls', '--json']);
      reqTimes.push(performance.now() - t0);
    }
    session.dispose();
    goal(`\`umux ls --json\` p50 / p99, command (${LS_CALLS} runs)`, `${ms(percentile(cliTimes, 50))} / ${ms(percentile(cliTimes, 99))}`, '-', undefined);
    goal(`\`ls --json\` request p50 / p99 on a session (${LS_CALLS * 4})`, `${ms(percentile(reqTimes, 50))} / ${ms(percentile(reqTimes, 99))}`, '-', undefined);

    // TUI first paint beside a bare node start, both in this run.
    const env: NodeJS.ProcessEnv = { ...world.env, TERM: 'xterm-256color', LANG: 'C.UTF-8' };
    delete env['TMUX'];
    const umuxCmd = `${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)}`;
    const first = names[0]!;
    const painted = (rows: string[]) => rows.some((r) => r.includes(`${first}:con0`)) && rows.some((r) => r.includes('/ #'));
    const nodeTimes = Array.from({ length: PAINT_RUNS }, () => runTime([process.execPath, '-e', ''], env));
    const paints: number[] = [];
    const steps: Record<string, number>[] = [];
    for (let i = 0; i < PAINT_RUNS; i++) {
      const t0 = performance.now();
      const paintStats = path.join(world.dir, `paint-${i}.json`);
      const term = new OuterTerminal(`umux TUI (first paint ${i + 1})`, umuxCmd, { ...env, UMUX_TUI_STATS: paintStats });
      terms.push(term);
      paints.push((await term.waitFor(`${first}'s console in the TUI`, painted, 60_000)) - t0);
      term.type(`${PREFIX}d`);
      await term.closed(10_000);
      term.dispose();
      steps.push(startSteps(paintStats));
    }
    const paint = percentile(paints, 50);
    const bare = percentile(nodeTimes, 50);
    goal(`TUI first paint, ${GUESTS} guests (median of ${PAINT_RUNS})`, ms(paint), `≤ 3x node -e '' (${ms(bare)})`, paint <= 3 * bare);
    // The TUI's figure includes the terminal wrapper (script, sh, stty, exec): a bare node started through the same.
    const wrapped: number[] = [];
    for (let i = 0; i < PAINT_RUNS; i++) wrapped.push(await wrappedStart(`${shellQuote(process.execPath)} -e ''`, env));
    const bareWrapped = percentile(wrapped, 50);
    goal(`TUI first paint against node -e '' in the same terminal wrapper`, `${(paint / bareWrapped).toFixed(2)}x`, `≤ 3x (${ms(bareWrapped)})`, paint <= 3 * bareWrapped);

    // One TUI stays: sidebar navigation (prefix n until the pane shows the next guest), then idle CPU with it attached.
    const tuiStats = path.join(world.dir, 'tui-stats.json');
    const term = new OuterTerminal('umux TUI (attached)', umuxCmd, { ...env, UMUX_TUI_STATS: tuiStats });
    terms.push(term);
    await term.waitFor(`${first}'s console in the TUI`, painted, 60_000);
    await sleep(1000);
    const navTimes: number[] = [];
    for (let i = 1; i <= NAV_STEPS; i++) {
      const next = names[i % names.length]!;
      const t0 = performance.now();
      term.type(`${PREFIX}n`);
      navTimes.push((await term.waitFor(`the pane on ${next}`, (rows) => rows.some((r) => r.includes(`${next}:con0`)), 10_000)) - t0);
      await sleep(200);
    }
    goal(`sidebar navigation, prefix n to the next guest's pane (p50 / p99 of ${NAV_STEPS})`, `${ms(percentile(navTimes, 50))} / ${ms(percentile(navTimes, 99))}`, '-', undefined);
    await sleep(2000);
    const tui = tuiPid(tuiStats);
    const [serverCpu, tuiCpu] = await cpuOver(tui === undefined ? [pid] : [pid, tui], IDLE_MS);
    goal(`server CPU, ${GUESTS} idle guests, TUI attached, ${IDLE_MS / 1000} s (loop monitor on)`, pct(serverCpu!), '-', undefined);
    goal(`idle TUI CPU, ${IDLE_MS / 1000} s`, tuiCpu === undefined ? 'TUI pid not found' : pct(tuiCpu), '≤ 1 %', tuiCpu === undefined ? undefined : tuiCpu <= 10);

    printed = true;
    log(`\n### ${GUESTS} guests (${MEM}, busybox hostfs) under one server (issue 14); load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);
    log(table(['goal line', 'figure', 'goal', 'met?'], rows));
    log(`\nTUI first paint by step (median of ${PAINT_RUNS}; ms since the TUI process started, from UMUX_TUI_STATS): ${stepLine(steps)}`);
    log(`\nevent-loop delay: monitorEventLoopDelay with a 10 ms timer, the 10 ms taken off; "during a host sample" is from a sample's start to 40 ms after its end (UMUX_SERVER_STATS)\n`);
  } finally {
    if (!printed && rows.length > 0) log(`\n### ${GUESTS} guests: the lines measured before the bench failed\n${table(['goal line', 'figure', 'goal', 'met?'], rows)}\n`);
    for (const t of terms) t.dispose();
    fs.rmSync(statsFile, { force: true });
    fs.rmSync(`${statsFile}.tmp`, { force: true });
    await world.dispose();
  }
}
