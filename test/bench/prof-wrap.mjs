// Profiling aid: runs umux (dist/main.js) under V8's sampling profiler and writes PROF_DIR/umux.PID.cpuprofile on
// exit. --cpu-prof is refused in NODE_OPTIONS, so a server started by a client is profiled with UMUX_BIN=this file.
import fs from 'node:fs';
import inspector from 'node:inspector';

const session = new inspector.Session();
session.connect();
session.post('Profiler.enable');
session.post('Profiler.setSamplingInterval', { interval: Number(process.env['PROF_INTERVAL_US'] ?? 500) });
session.post('Profiler.start');
process.on('exit', () => {
  session.post('Profiler.stop', (err, r) => {
    if (!err) fs.writeFileSync(`${process.env['PROF_DIR'] ?? '/tmp'}/umux.${process.pid}.cpuprofile`, JSON.stringify(r.profile));
  });
});
const { main } = await import(new URL('../../dist/main.js', import.meta.url).href);
await main(process.argv.slice(2));
