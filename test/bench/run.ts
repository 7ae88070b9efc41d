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
const parts: Array<[string, (log: (s: string) => void) => Promise<void>]> = [
  ['mconsole', benchMconsole],
  ['server', benchServer],
  ['tui', benchTui],
  ['idle-tui', benchIdleTui],
  ['consoles', benchConsoles],
  ['keeper', benchKeeper],
  ['scale', benchScale],
  ['remote', benchRemote],
];
if (only && !parts.some(([name]) => name === only)) {
  process.stderr.write(`bench: expected one of ${parts.map(([name]) => name).join(', ')}, got "${only}"\n`);
  process.exitCode = 2;
}
// A part that fails says why and the others still run: one flaky wait must not cost the whole table.
for (const [name, bench] of parts) {
  if (only && only !== name) continue;
  try {
    await bench(log);
  } catch (err) {
    log(`\n(bench part "${name}" failed: ${(err as Error).message}; the other parts go on)`);
    process.exitCode = 1;
  }
}
