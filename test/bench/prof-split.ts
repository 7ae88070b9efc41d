// Profiling aid (not a test): the TUI in a tmux terminal with two panes, the lower one's guest flooding, keys typed
// into the upper one; the TUI runs with NODE_OPTIONS from UMUX_PROF_NODE_OPTIONS (e.g. --cpu-prof --cpu-prof-dir=DIR).
// `npx tsx test/bench/prof-split.ts [seconds]`.
import fs from 'node:fs';
import path from 'node:path';
import { UmuxWorld } from '../helpers/server.js';
import { TmuxTerminal } from '../helpers/tmux.js';
import { UMUX_BIN } from '../helpers/run-tool.js';

const secs = Number(process.argv[2] ?? 15);
const world = new UmuxWorld();
let term: TmuxTerminal | undefined;
try {
  const rootOpts = { shell: true, commands: [] as string[] };
  const root = world.root(rootOpts);
  const line = 'abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789ab';
  fs.writeFileSync(path.join(root, 'flood.txt'), Array.from({ length: 60_000 }, (_, i) => `${String(i).padStart(5, '0')} ${line.slice(i % 30)}\n`).join(''));
  for (const n of ['g00', 'g01']) world.define(n, 'consoles = 0\nserials = 0\n', { root: rootOpts });
  await Promise.all(['g00', 'g01'].map((n) => world.ok(['start', n])));
  for (const n of ['g00', 'g01']) await world.waitForShell(n, 60_000);
  const session = await world.session();
  const env: Record<string, string> = {};
  if (process.env['PROF_DIR']) env['PROF_DIR'] = process.env['PROF_DIR'];
  for (const k of ['UMUX_SOCKET_DIR', 'UMUX_STATE_DIR', 'UMUX_CONFIG_DIR', 'UMUX_UML_DIRS', 'UMUX_TUI_STATS']) if (world.env[k]) env[k] = world.env[k]!;
  env['UMUX_TUI_STATS'] = '/tmp/render/prof-stats.json';
  if (process.env['UMUX_PROF_NODE_OPTIONS']) env['NODE_OPTIONS'] = process.env['UMUX_PROF_NODE_OPTIONS'];
  term = new TmuxTerminal(`${process.execPath} ${UMUX_BIN}`, { width: 140, height: 40, env });
  await term.waitFor('g00:con0', 30_000);
  term.type('\x1ds');
  await term.waitFor('g01:con0', 10_000);
  term.type('\x1do');
  await term.waitFor('pane 1/2', 10_000);
  await session.request(['send', 'g01', 'while true; do cat /flood.txt; done']);
  const end = Date.now() + secs * 1000;
  let n = 0;
  while (Date.now() < end) {
    term.type(n % 20 === 19 ? '' : 'X', ...(n % 20 === 19 ? ['Enter'] : []));
    n++;
    await new Promise((r) => setTimeout(r, 60));
  }
  term.type('\x1dd');
  await new Promise((r) => setTimeout(r, 3000));
  process.stdout.write(`${fs.existsSync('/tmp/render/prof-stats.json') ? fs.readFileSync('/tmp/render/prof-stats.json', 'utf8') : 'no stats'}\n`);
  session.dispose();
} finally {
  term?.dispose();
  await world.dispose();
}
