// Console keeper benchmarks (issue 11): a 50 MB flood to con0 through server + keeper beside the same server with
// UMUX_KEEPER=off and the raw socketpair; keeper and server memory with 10 and 50 idle guests; and the time from a
// server's start after a kill -9 to every console of 50 guests held again (ls, attach, typing echoed into the log).

import fs from 'node:fs';
import path from 'node:path';
import { launchGuest } from '../../src/guests/launch.js';
import type { ServerSession } from '../../src/client/session.js';
import { processExists } from '../../src/guests/process-group.js';
import { killAllGuests } from '../helpers/uml.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';
import { table } from './stats.js';

const MB = 1024 * 1024;
const FLOOD = 50 * MB;
const ROUNDS = 5;
/** Idle guests for the memory and restart figures (UMUX_BENCH_GUESTS lowers it for a quick look; 0: the flood only). */
const GUESTS = Number(process.env.UMUX_BENCH_GUESTS ?? 50);
const FEW = Math.min(10, GUESTS);
/** 32M and 40M guests of the busybox root panic now and then while booting side by side (out of memory, nothing to kill). */
const IDLE_MEM = '48M';
/** Guests booting at once: two cores; more only queue behind each other and stretch every boot. */
const BOOT_AT_ONCE = 4;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function floodFile(root: string): string {
  const line = '0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz-0123456\n'; // 80 bytes
  fs.writeFileSync(path.join(root, 'flood50.txt'), line.repeat(Math.ceil(FLOOD / line.length)));
  return '/flood50.txt';
}

/** A world whose guests boot slowly without failing (a loaded host), on a shared hostfs root. */
function benchWorld(env: NodeJS.ProcessEnv = {}): UmuxWorld {
  return new UmuxWorld({ UMUX_BOOT_TIMEOUT_MS: '180000', ...env });
}

function define(world: UmuxWorld, name: string, root: string, mem: string, toml = ''): void {
  world.define(name, `mem = "${mem}"\numl_dir = "${world.umlDir}"\nhostfs_root = "${root}"\n${toml}`, { raw: true });
}

/** The last `n` bytes of a file, without reading the rest of it. */
function tailOf(file: string, n = 96): string {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return '';
  }
  try {
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(n, size));
    fs.readSync(fd, buf, 0, buf.length, size - buf.length);
    return buf.toString('latin1');
  } finally {
    fs.closeSync(fd);
  }
}

function logFile(world: UmuxWorld, guest: string): string {
  return path.join(world.stateDir, 'logs', guest, 'con0.log');
}

interface Mem {
  rssKb: number;
  pssKb: number | undefined;
}

function memOf(pid: number): Mem {
  const rss = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  let pss: number | undefined;
  try {
    const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    pss = m ? Number(m[1]) : undefined;
  } catch {
    pss = undefined;
  }
  return { rssKb: rss ? Number(rss[1]) : NaN, pssKb: pss };
}

/** CPU time (user + system) a process has used, in ms. */
export function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'latin1').replace(/^.*\) /, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks of 1/100 s
}

/** The pid of the keeper serving `socketDir` (its process title names the directory). */
function keeperPid(socketDir: string): number | undefined {
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0+$/, '');
      const zombie = / Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'latin1').replace(/^.*\)/, ''));
      if (!zombie && cmd === `umux-keeper ${socketDir}`) return Number(pid);
    } catch {
      continue;
    }
  }
  return undefined;
}

/** Stops every server and guest of `world`, then its keeper (if it has one). */
async function disposeWorld(world: UmuxWorld | undefined): Promise<void> {
  if (!world) return;
  const keeper = keeperPid(world.socketDir);
  await world.dispose();
  if (keeper && processExists(keeper)) process.kill(keeper, 'SIGKILL');
}

/** One flood: `cat` typed through the session, timed until the sentinel is the last thing in the con0 log. */
async function floodOnce(world: UmuxWorld, session: ServerSession, guest: string, file: string, n: number): Promise<{ ms: number; bytes: number }> {
  const log = logFile(world, guest);
  const before = fs.statSync(log).size;
  const sentinel = `kb-${n}-done`;
  const t0 = performance.now();
  await session.request(['send', guest, `cat ${file}; echo kb-$((${n}+0))-done`]);
  for (const deadline = Date.now() + 300_000; !tailOf(log).includes(sentinel); ) {
    if (Date.now() > deadline) throw new Error(`the flood of ${guest} did not reach its log within 300 s`);
    await sleep(5);
  }
  const ms = performance.now() - t0;
  return { ms, bytes: fs.statSync(log).size - before };
}

/** Raw: a guest launched directly, con0 read from its socketpair with nothing else on the path. */
async function rawFloods(dir: string, root: string, file: string): Promise<number[]> {
  const raw = await launchGuest({ umid: 'kbench-raw', umlDir: path.join(dir, 'raw'), root, keepOutput: 4096, timeoutMs: 120_000 });
  try {
    let tail = '';
    raw.onOutput((t) => (tail = (tail + t).slice(-64)));
    await waitUntil('the raw guest shell', () => (tail.includes('/ # ') ? true : undefined), 120_000);
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      raw.con0.write(`cat ${file}; echo raw-$((${i}+100))-done\r`);
      await waitUntil('the raw flood', () => (tail.includes(`raw-${i + 100}-done`) ? true : undefined), 300_000);
      times.push(performance.now() - t0);
    }
    return times;
  } finally {
    await raw.kill();
  }
}

async function benchFlood(log: (s: string) => void): Promise<void> {
  const kept = benchWorld();
  let plain: UmuxWorld | undefined;
  try {
    plain = benchWorld({ UMUX_KEEPER: 'off' });
    const root = kept.root({ shell: true, commands: [] });
    const file = floodFile(root);
    const size = fs.statSync(path.join(root, file)).size;
    const rawTimes = await rawFloods(kept.dir, root, file);
    const worlds = [
      { label: 'umux server + keeper, con0 a pipe (the new path)', world: kept, times: [] as number[], bytes: 0, cpu: [0, 0] },
      { label: 'umux server, UMUX_KEEPER=off (today: socketpair)', world: plain, times: [] as number[], bytes: 0, cpu: [0, 0] },
    ];
    for (const w of worlds) {
      define(w.world, 'kflood', root, '64M', 'consoles = 0\nserials = 0\nlog_max_bytes = "1G"\n');
      await w.world.ok(['start', 'kflood']);
      await w.world.waitForShell('kflood', 120_000);
    }
    const sessions = await Promise.all(worlds.map((w) => w.world.session()));
    // Alternating, so a busy moment of the host falls on both paths alike.
    for (let i = 0; i < ROUNDS; i++) {
      for (const [k, w] of worlds.entries()) {
        const pids = [w.world.serverPid()!, keeperPid(w.world.socketDir)];
        const cpu0 = pids.map((pid) => (pid ? cpuMs(pid) : 0));
        const r = await floodOnce(w.world, sessions[k]!, 'kflood', file, 100 + i);
        pids.forEach((pid, j) => (w.cpu[j]! += (pid ? cpuMs(pid) : 0) - cpu0[j]!));
        w.times.push(r.ms);
        if (i === 0) w.bytes = r.bytes;
      }
    }
    const keeperMem = memOf(keeperPid(kept.socketDir)!);
    for (const s of sessions) s.dispose();
    const best = (xs: number[]) => Math.min(...xs);
    // What reaches con0 is the file plus a \r per line (the guest's tty) and the echoed command line.
    const rate = (t: number) => (size * 1.0125) / MB / (t / 1000);
    const [k, p] = worlds.map((w) => best(w.times)) as [number, number];
    const rows = [
      ['raw: guest socketpair read directly', best(rawTimes), rawTimes],
      ...worlds.map((w) => [w.label, best(w.times), w.times] as const),
    ] as Array<readonly [string, number, number[]]>;
    log(`\n## console keeper (issue 11)\n`);
    log(`\n### guest cat of ${(size / MB).toFixed(0)} MB to con0, done when the sentinel is in the con0 log (raw: read by the bench), best of ${ROUNDS}, alternating\n`);
    log(
      table(
        ['path', 'best time', 'MB/s', 'every run (s)', 'CPU per flood: server', 'keeper'],
        rows.map(([label, t, all], i) => {
          const cpu = i === 0 ? undefined : worlds[i - 1]!.cpu;
          const c = (j: number) => (cpu === undefined || (i === 2 && j === 1) ? '-' : `${(cpu[j]! / ROUNDS / 1000).toFixed(2)} s`);
          return [label, `${(t / 1000).toFixed(2)} s`, rate(t).toFixed(1), all.map((x) => (x / 1000).toFixed(2)).join(' / '), c(0), c(1)];
        }),
      ),
    );
    const ratio = p / k; // throughput of the keeper path over today's
    log(`\nkeeper path / today's server path (throughput): ${ratio.toFixed(2)}; goal ≥ 0.90: ${ratio >= 0.9 ? 'met' : 'NOT met'}`);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const medianRatio = median(worlds[1]!.times) / median(worlds[0]!.times);
    log(`(median of ${ROUNDS}: ${medianRatio.toFixed(2)}; log bytes per flood ${(worlds[0]!.bytes / MB).toFixed(1)} MB kept / ${(worlds[1]!.bytes / MB).toFixed(1)} MB today; keeper RSS after the floods ${(keeperMem.rssKb / 1024).toFixed(0)} MB)\n`);
  } finally {
    await disposeWorld(plain);
    await disposeWorld(kept);
    await killAllGuests();
  }
}

/** Boots that panicked and were started again. */
const retries: string[] = [];

/** Starts `names`, BOOT_AT_ONCE at a time, and waits for each one's shell prompt. */
async function bootAll(world: UmuxWorld, session: ServerSession, names: string[]): Promise<number> {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const n = names[next++]!;
      await session.request(['start', n], 240_000).catch(async (err: Error) => {
        if (!/crashed while booting/.test(err.message)) throw err;
        retries.push(`${n}: ${err.message.split('\n')[0]}`); // a rare guest OOM in the kernel's boot: once more
        await session.request(['start', n], 240_000);
      });
    }
  };
  await Promise.all(Array.from({ length: BOOT_AT_ONCE }, worker));
  for (const n of names) await world.waitForShell(n, 240_000);
  return performance.now() - t0;
}

interface Ls {
  guests: Array<{ name: string; state: string; consoles: Array<{ name: string; lost: boolean }> }>;
}

/** Every guest in `names` is running and none of its consoles is lost. */
function allHeld(ls: Ls, names: string[]): boolean {
  return names.every((n) => {
    const g = ls.guests.find((x) => x.name === n);
    return g !== undefined && g.state === 'running' && g.consoles.length > 0 && g.consoles.every((c) => !c.lost);
  });
}

interface Restart {
  firstLs: number;
  allHeld: number;
  attached: number;
  echoed: number;
}

/** kill -9 of the server; then a client starts one, and the clock runs until every console works again. */
async function restartOnce(world: UmuxWorld, names: string[], round: number): Promise<Restart> {
  const old = world.serverPid()!;
  process.kill(old, 'SIGKILL');
  await waitUntil('the killed server gone', () => (!processExists(old) ? true : undefined));
  const t0 = performance.now();
  await world.ok(['ls']); // a client starts the new server, as an admin's next command would
  const firstLs = performance.now() - t0;
  const session = await world.session();
  try {
    for (;;) {
      const ls = (await session.request(['ls'])).data as Ls;
      if (allHeld(ls, names)) break;
      if (performance.now() - t0 > 300_000) throw new Error('the consoles were not all held again within 300 s');
      await sleep(20);
    }
    const allHeldAt = performance.now() - t0;
    const streams = await Promise.all(names.map((n) => session.attach(n, 'con0', { readOnly: true })));
    const attached = performance.now() - t0;
    for (const s of streams) s.dispose();
    await Promise.all(names.map((n) => session.request(['send', n, `echo back-$((${round}+1000))-${n}`])));
    const pending = new Set(names);
    while (pending.size > 0) {
      for (const n of pending) if (tailOf(logFile(world, n), 512).includes(`back-${round + 1000}-${n}\r`)) pending.delete(n);
      if (performance.now() - t0 > 300_000) throw new Error(`typing after the restart never came back from ${[...pending].join(', ')}`);
      if (pending.size > 0) await sleep(20);
    }
    return { firstLs, allHeld: allHeldAt, attached, echoed: performance.now() - t0 };
  } finally {
    session.dispose();
  }
}

async function benchMany(log: (s: string) => void): Promise<void> {
  const world = benchWorld();
  let session: ServerSession | undefined;
  try {
    const root = world.root({ shell: true, commands: [] });
    const names = Array.from({ length: GUESTS }, (_, i) => `idle${String(i).padStart(2, '0')}`);
    for (const n of names) define(world, n, root, IDLE_MEM); // consoles and serials as defined by default
    await world.ok(['ls']);
    session = await world.session();
    const figures: Array<{ guests: number; keeper: Mem; server: Mem; boot: number }> = [];
    const boot1 = await bootAll(world, session, names.slice(0, 1));
    await sleep(2000);
    const measure = (guests: number, boot: number) => figures.push({ guests, keeper: memOf(keeperPid(world.socketDir)!), server: memOf(world.serverPid()!), boot });
    measure(1, boot1);
    const bootFew = await bootAll(world, session, names.slice(1, FEW));
    await sleep(3000);
    measure(FEW, bootFew);
    const bootRest = await bootAll(world, session, names.slice(FEW));
    await sleep(3000);
    measure(GUESTS, bootRest);
    const ls = (await session.request(['ls'])).data as Ls;
    const channels = ls.guests[0]!.consoles.length + 1; // its fd consoles and UML's stderr
    session.dispose();
    session = undefined;

    const kb = (m: Mem) => `${(m.rssKb / 1024).toFixed(1)} MB`;
    const pss = (m: Mem) => (m.pssKb === undefined ? 'n/a' : `${(m.pssKb / 1024).toFixed(1)} MB`);
    log(`\n### memory with idle guests (mem ${IDLE_MEM}, ${channels} channels each: ${ls.guests[0]!.consoles.map((c) => c.name).join(', ')}, stderr)\n`);
    log(
      table(
        ['guests', 'keeper RSS', 'keeper PSS', 'server RSS', 'server PSS', 'boot of this batch'],
        figures.map((f) => [String(f.guests), kb(f.keeper), pss(f.keeper), kb(f.server), pss(f.server), `${(f.boot / 1000).toFixed(1)} s`]),
      ),
    );
    const few = figures[1]!;
    const many = figures[2]!;
    const marginal = (many.keeper.rssKb - few.keeper.rssKb) / 1024 / (many.guests - few.guests);
    const whole = many.keeper.rssKb / 1024 / many.guests;
    if (retries.length > 0) log(`\nboots started again after a panic: ${retries.join('; ')}\n`);
    log(`\nkeeper per guest, ${few.guests} → ${many.guests} guests (marginal): ${marginal.toFixed(2)} MB`);
    log(`keeper per guest at ${many.guests}, the whole keeper charged to its guests: ${whole.toFixed(2)} MB; goal ≤ 5 MB: ${whole <= 5 ? 'met' : 'NOT met'}`);
    log(`server per guest, ${few.guests} → ${many.guests} guests: ${((many.server.rssKb - few.server.rssKb) / 1024 / (many.guests - few.guests)).toFixed(2)} MB\n`);

    const restarts: Restart[] = [];
    for (let i = 0; i < 2; i++) restarts.push(await restartOnce(world, names, i));
    const s = (t: number) => `${(t / 1000).toFixed(2)} s`;
    log(`\n### server kill -9, then a client (umux ls) starts a new one: time until every console of ${GUESTS} guests is held again\n`);
    log(
      table(
        ['run', 'first ls answered', `ls: ${GUESTS} running, no console lost`, `con0 of all ${GUESTS} attached`, `typing echoed into all ${GUESTS} logs`],
        restarts.map((r, i) => [String(i + 1), s(r.firstLs), s(r.allHeld), s(r.attached), s(r.echoed)]),
      ),
    );
    log(`\n(clock from the spawn of \`umux ls\`, which starts the server; the last column: one \`send\` per guest after the attaches, done when each echo is in its con0 log)\n`);
  } finally {
    session?.dispose();
    await disposeWorld(world);
  }
}

export async function benchKeeper(log: (s: string) => void): Promise<void> {
  await benchFlood(log);
  if (GUESTS > 0) await benchMany(log);
}
