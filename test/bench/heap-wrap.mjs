// Profiling aid: runs umux (dist/main.js) with V8's sampling heap profiler driven by SIGUSR2: the first signal starts
// sampling (every allocation counted, collected or not), the next writes PROF_DIR/umux.PID.heapprofile. UMUX_BIN=this.
import fs from 'node:fs';
import inspector from 'node:inspector';

const session = new inspector.Session();
session.connect();
let on = false;
process.on('SIGUSR2', () => {
  if (!on) {
    on = true;
    session.post('HeapProfiler.startSampling', { samplingInterval: Number(process.env['PROF_HEAP_BYTES'] ?? 512), includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
    return;
  }
  on = false;
  session.post('HeapProfiler.stopSampling', (err, r) => {
    if (!err) fs.writeFileSync(`${process.env['PROF_DIR'] ?? '/tmp'}/umux.${process.pid}.heapprofile`, JSON.stringify(r.profile));
  });
});
const { main } = await import(new URL('../../dist/main.js', import.meta.url).href);
await main(process.argv.slice(2));
