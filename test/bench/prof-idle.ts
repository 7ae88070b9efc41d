// Profiling aid (not a test): N small guests under a private server started with --cpu-prof, left idle, then the
// server's profile over the idle window only, by self time. `npx tsx test/bench/prof-idle.ts [guests] [idle seconds]`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UmuxWorld } from '../helpers/server.js';
import { shellQuote } from '../helpers/tmux.js';
import { OuterTerminal } from './tui.bench.js';

const guests = Number(process.argv[2] ?? 20);
const idleS = Number(process.argv[3] ?? 30);
const profDir = fs.mkdtempSync('/tmp/umux-prof-');
const wrap = fileURLToPath(new URL('./prof-wrap.mjs', import.meta.url));
const world = new UmuxWorld({ UMUX_BIN: wrap, PROF_DIR: profDir });
let t0 = 0;
let t1 = 0;
try {
  const root = world.root({ shell: true, commands: [] });
  const names = Array.from({ length: guests }, (_, i) => `p${String(i).padStart(3, '0')}`);
  for (const n of names) fs.writeFileSync(path.join(world.configDir, `${n}.toml`), `mem = "64M"\numl_dir = "${world.umlDir}"\nhostfs_root = "${root}"\nconsoles = 0\nserials = 0\n`);
  await world.ok(['ls']);
  const pid = world.serverPid()!;
  for (let i = 0; i < names.length; i += 10) {
    const some = names.slice(i, i + 10);
    await Promise.all(some.map(async (n) => { await world.ok(['start', n]); await world.waitForShell(n, 120_000); }));
  }
  await new Promise((r) => setTimeout(r, 15_000));
  t0 = Date.now();
  const cpu = () => { const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').slice(fs.readFileSync(`/proc/${pid}/stat`, 'utf8').lastIndexOf(')') + 2).split(' '); return (Number(f[11]) + Number(f[12])) * 10; };
  const c0 = cpu();
  await new Promise((r) => setTimeout(r, idleS * 1000));
  t1 = Date.now();
  process.stdout.write(`server ${pid}: ${((cpu() - c0) / (t1 - t0) * 100).toFixed(2)} % of a core over ${idleS} s idle with ${guests} guests\n`);
  // The TUI's first paint, profiled the same way (its own profile file).
  const before = new Set(fs.readdirSync(profDir));
  const env: NodeJS.ProcessEnv = { ...world.env, TERM: 'xterm-256color', LANG: 'C.UTF-8' };
  delete env['TMUX'];
  const tp0 = performance.now();
  const term = new OuterTerminal('umux TUI', `${shellQuote(process.execPath)} ${shellQuote(wrap)}`, env);
  const paint = (await term.waitFor('first console', (rows) => rows.some((r) => r.includes(`${names[0]}:con0`)) && rows.some((r) => r.includes('/ #')), 60_000)) - tp0;
  process.stdout.write(`TUI first paint ${paint.toFixed(0)} ms (first byte at ${(term.firstByteAt - tp0).toFixed(0)} ms)\n`);
  term.type('\x1dd');
  await term.closed(10_000);
  term.dispose();
  const fresh = fs.readdirSync(profDir).filter((f) => !before.has(f)).sort((a, b) => fs.statSync(path.join(profDir, b)).size - fs.statSync(path.join(profDir, a)).size);
  if (fresh[0]) fs.copyFileSync(path.join(profDir, fresh[0]), '/tmp/mem/tui-paint.cpuprofile');
  await world.ok(['kill-server']).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 3000));
  const file = `umux.${pid}.cpuprofile`;
  if (fs.existsSync(path.join(profDir, file))) fs.copyFileSync(path.join(profDir, file), '/tmp/mem/server-idle.cpuprofile');
  process.stdout.write(`profile: /tmp/mem/server-idle.cpuprofile window ${t0} ${t1}\n`);
  fs.writeFileSync('/tmp/mem/server-idle.window', `${t0} ${t1}\n`);
} finally {
  await world.dispose();
}
