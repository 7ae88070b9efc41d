// `npm run bench`: prints every benchmark table with the machine it ran on. Benchmarks are not tests.
import os from 'node:os';
import { benchConsoles } from './consoles.bench.js';
import { benchKeeper } from './keeper.bench.js';
import { benchMconsole } from './mconsole.bench.js';
import { benchServer } from './server.bench.js';
import { benchTui } from './tui.bench.js';
import { benchIdleTui } from './idle-tui.bench.js';
import { benchScale } from './scale.bench.js';
import { benchRemote } from './remote.bench.js';

const log = (s: string) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
log(`# umux benchmarks\n`);
log(`machine: ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}, Node ${process.version}`);
const only = process.argv[2];
try {
  if (!only || only === 'mconsole') await benchMconsole(log);
  if (!only || only === 'server') await benchServer(log);
  if (!only || only === 'tui') await benchTui(log);
  if (!only || only === 'idle-tui') await benchIdleTui(log);
  if (!only || only === 'consoles') await benchConsoles(log);
  if (!only || only === 'keeper') await benchKeeper(log);
  if (!only || only === 'scale') await benchScale(log);
  if (!only || only === 'remote') await benchRemote(log);
} catch (err) {
  process.stderr.write(`bench failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
