// The server's host memory sampler: every SAMPLE_MS a sample read in slices (sampleHostSpread through one
// GuestMemoryReader), never two at once, so a hundred guests' /proc never holds the event loop.

import type { Disposable } from '../core/disposable.js';
import type { GuestMemoryReader } from '../host/memory-reader.js';
import { sampleHostSpread, type GuestInput, type HostSample } from '../host/sample.js';
import type { ServerStats } from './server-stats.js';

export interface HostSamplerOptions {
  env: NodeJS.ProcessEnv;
  everyMs: number;
  guests: () => readonly GuestInput[];
  reader: GuestMemoryReader;
  /** UMUX_SERVER_STATS: the loop's delay during each sample is measured apart. */
  stats?: ServerStats | undefined;
  onSample: (sample: HostSample) => void;
  log: (line: string) => void;
}

export class HostSampler implements Disposable {
  private readonly timer: NodeJS.Timeout;
  private sampling = false;

  constructor(private readonly o: HostSamplerOptions) {
    this.timer = setInterval(() => this.tick(), o.everyMs);
  }

  private tick(): void {
    if (this.sampling) return;
    this.sampling = true;
    const { env, guests, reader, stats } = this.o;
    const take = () => sampleHostSpread(env, guests, reader);
    (stats ? stats.whileSampling(take) : take())
      .then((sample) => this.o.onSample(sample))
      .catch((err: Error) => this.o.log(`host sample failed: ${err.message}`))
      .finally(() => (this.sampling = false));
  }

  dispose(): void {
    clearInterval(this.timer);
    this.o.stats?.dispose();
  }
}
