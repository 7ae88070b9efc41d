// Profiling aid (not a test): N small guests, then the server's idle CPU over a window per configuration (restarted
// with other env, guests kept; a CONFIG named keep… measures the server that booted them, without a restart).
// `npx tsx test/bench/idle-split.ts [guests] [window seconds] [CONFIG=ENV,ENV ...]`, e.g. `50 20 base= noping=UMUX_PING_MS=999999999`.
import fs from 'node:fs';
import path from 'node:path';
import { UmuxWorld } from '../helpers/server.js';

const guests = Number(process.argv[2] ?? 20);
const windowS = Number(process.argv[3] ?? 20);
const configs = (process.argv.slice(4).length ? process.argv.slice(4) : ['base=']).map((c) => {
  const [name, envs] = [c.slice(0, c.indexOf('=')), c.slice(c.indexOf('=') + 1)];
  return { name, env: Object.fromEntries(envs.split(',').filter(Boolean).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)])) };
});
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
const world = new UmuxWorld();
const ticks = (pid: number) => {
  const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return { user: Number(f[11]) * 10, sys: Number(f[12]) * 10 };
};
// Every thread's CPU in ns (schedstat, not the 10 ms tick) and its context switches (wakes), summed, and each
// thread's ns by its tid's offset from the pid (node 20 names them all "node": 0 is the main thread, 1-5 V8's
// platform workers and their delayed-task thread, later ones libuv's pool).
const threads = (pid: number) => {
  let ns = 0;
  let wakes = 0;
  const each = new Map<number, number>();
  for (const t of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const n = Number(fs.readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]);
      ns += n;
      each.set(Number(t) - pid, n);
      const st = fs.readFileSync(`/proc/${pid}/task/${t}/status`, 'utf8');
      for (const m of st.matchAll(/ctxt_switches:\s+(\d+)/g)) wakes += Number(m[1]);
    } catch {
      // the thread ended
    }
  }
  return { ns, wakes, each };
};
/** The server's --trace-gc lines so far (a server run with that flag writes them to its start log). */
const gcLines = (pid: number): string[] => {
  try {
    return fs.readFileSync(path.join(world.socketDir, 'server.start.log'), 'utf8').split('\n').filter((l) => l.startsWith(`[${pid}:`));
  } catch {
    return [];
  }
};
/** Each thread's share of a core over `s` seconds (%, only those that ran), main thread first. */
const split = (a: Map<number, number>, b: Map<number, number>, s: number): string =>
  [...b].map(([t, n]) => [t, (n - (a.get(t) ?? 0)) / s / 1e7] as const).filter(([, p]) => p >= 0.001).sort((x, y) => x[0] - y[0]).map(([t, p]) => `${t}:${p.toFixed(3)}`).join(' ');
try {
  const root = world.root({ shell: true, commands: [] });
  const names = Array.from({ length: guests }, (_, i) => `q${String(i).padStart(3, '0')}`);
  for (const n of names) fs.writeFileSync(path.join(world.configDir, `${n}.toml`), `mem = "64M"\numl_dir = "${world.umlDir}"\nhostfs_root = "${root}"\nconsoles = 0\nserials = 0\n`);
  await world.ok(['ls']);
  for (let i = 0; i < names.length; i += 10) {
    await Promise.all(names.slice(i, i + 10).map(async (n) => { await world.ok(['start', n]); await world.waitForShell(n, 120_000); }));
  }
  process.stdout.write(`uml_dir holds: ${fs.readdirSync(world.umlDir).slice(0, 8).join(' ')} …\n`);
  for (const c of configs) {
    // A config named keep… measures the server that booted the guests, as the scale bench does (no restart).
    const before = Object.fromEntries(Object.keys(c.env).map((k) => [k, world.env[k]]));
    if (!c.name.startsWith('keep')) {
      await world.ok(['kill-server']).catch(() => undefined);
      await sleep(1000);
      Object.assign(world.env, c.env);
      await world.ok(['ls']);
    }
    await sleep(Number(process.env['IDLE_SETTLE_S'] ?? 12) * 1000);
    const pid = world.serverPid()!;
    const a = ticks(pid);
    const ta = threads(pid);
    // A server under heap-wrap.mjs (UMUX_BIN) samples its allocations over the window: SIGUSR2 at each end.
    const heap = (world.env['UMUX_BIN'] ?? '').endsWith('heap-wrap.mjs');
    if (heap) process.kill(pid, 'SIGUSR2');
    const gcs0 = gcLines(pid);
    const t0 = Date.now();
    await sleep(windowS * 1000);
    if (heap) process.kill(pid, 'SIGUSR2');
    const gcs = gcLines(pid).slice(gcs0.length);
    const b = ticks(pid);
    const tb = threads(pid);
    const s = (Date.now() - t0) / 1000;
    process.stdout.write(`${c.name.padEnd(10)} user ${((b.user - a.user) / s / 10).toFixed(2)} %  sys ${((b.sys - a.sys) / s / 10).toFixed(2)} %  total ${((b.user + b.sys - a.user - a.sys) / s / 10).toFixed(2)} %  run ${((tb.ns - ta.ns) / s / 1e7).toFixed(3)} % [${split(ta.each, tb.each, s)}]  wakes ${((tb.wakes - ta.wakes) / s).toFixed(1)}/s  rss ${(Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024).toFixed(1)} MB (load ${fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0]})\n`);
    if (gcs.length > 0) process.stdout.write(`           GCs in the window: ${gcs.map((l) => l.replace(/^.*?ms: /, '').slice(0, 60)).join(' | ')}\n`);
    Object.assign(world.env, before);
    for (const k of Object.keys(c.env)) if (before[k] === undefined) delete world.env[k];
  }
  // IDLE_HOLD=FILE: the world's env written there as JSON, the guests kept running until FILE is removed.
  const hold = process.env['IDLE_HOLD'];
  if (hold) {
    fs.writeFileSync(hold, JSON.stringify(world.env));
    while (fs.existsSync(hold)) await sleep(1000);
  }
} finally {
  await world.dispose();
}
