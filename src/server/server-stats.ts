// For the bench (UMUX_SERVER_STATS=FILE): the server's event-loop delay while idle and while it samples host memory
// (Node's monitorEventLoopDelay, one histogram for each), its memory and its host samples, written to FILE as JSON
// every 5 s. Removing FILE starts new histograms. Off (nothing runs) when the variable is unset.

import fs from 'node:fs';
import { createHistogram, monitorEventLoopDelay, type IntervalHistogram, type RecordableHistogram } from 'node:perf_hooks';

/** The histogram's timer: 10 ms costs ~0.4 ms of CPU a second; every figure includes the 10 ms it waits. */
export const LOOP_RESOLUTION_MS = 10;
/** A sample's blocking shows as delay on the loop's next timer, after the sample: the sampling phase lasts this longer. */
const SAMPLE_TAIL_MS = 2 * LOOP_RESOLUTION_MS + 20;
const WRITE_MS = 5000;

export interface LoopFigures {
  /** Timer firings measured. */
  count: number;
  /** Delays past the timer's due time, in ms (the resolution taken off). */
  p50: number;
  p99: number;
  max: number;
}

export interface ServerStatsFile {
  at: number;
  pid: number;
  rssKb: number;
  heapUsedKb: number;
  loopIdle: LoopFigures;
  loopSampling: LoopFigures;
  /** Host memory samples finished since the file was removed, and the longest one (wall time, ms). */
  samples: number;
  sampleMaxMs: number;
}

function figures(h: RecordableHistogram): LoopFigures {
  const late = (ns: number) => (h.count === 0 ? 0 : Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS));
  return { count: h.count, p50: late(h.percentile(50)), p99: late(h.percentile(99)), max: late(h.max) };
}

/**
 * Adds a finished phase's delays to `into`, from its percentile steps (HdrHistogram's own precision). The monitor
 * is never disabled between phases: enabled again, its first figure would span the whole pause.
 */
function addPhase(into: RecordableHistogram, phase: IntervalHistogram): void {
  let below = 0;
  for (const [p, ns] of phase.percentiles) {
    const n = Math.round((phase.count * (p - below)) / 100);
    for (let i = 0; i < n; i++) into.record(Math.max(1, Math.round(ns)));
    below = p;
  }
}

type Phase = 'idle' | 'sampling';

export class ServerStats {
  private readonly loop: Record<Phase, RecordableHistogram> = { idle: createHistogram(), sampling: createHistogram() };
  private phase: Phase = 'idle';
  private readonly monitor = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  private readonly timer: NodeJS.Timeout;
  private tail: NodeJS.Timeout | undefined;
  private samples = 0;
  private sampleMaxMs = 0;

  /** Undefined unless UMUX_SERVER_STATS names a file. */
  static fromEnv(env: NodeJS.ProcessEnv): ServerStats | undefined {
    const file = env['UMUX_SERVER_STATS'];
    return file ? new ServerStats(file) : undefined;
  }

  private constructor(private readonly file: string) {
    this.monitor.enable();
    this.timer = setInterval(() => this.write(), WRITE_MS);
    this.timer.unref();
  }

  /** Wraps one host sample: the loop's delay from its start to a little after its end counts as sampling. */
  async whileSampling<T>(sample: () => Promise<T>): Promise<T> {
    clearTimeout(this.tail);
    this.enter('sampling');
    // The monitor's first turn after a switch is not measured: the sample starts after it, or its block would be lost.
    await new Promise((r) => setTimeout(r, 2 * LOOP_RESOLUTION_MS));
    const t0 = performance.now();
    try {
      return await sample();
    } finally {
      this.sampleEnded(t0);
    }
  }

  private sampleEnded(t0: number): void {
    this.samples++;
    this.sampleMaxMs = Math.max(this.sampleMaxMs, performance.now() - t0);
    this.tail = setTimeout(() => this.enter('idle'), SAMPLE_TAIL_MS);
  }

  /**
   * Closes the phase measured so far into its histogram and goes on with `next`, the monitor reset (which leaves the
   * turn that spans the switch unmeasured).
   */
  private enter(next: Phase): void {
    addPhase(this.loop[this.phase], this.monitor);
    this.monitor.reset();
    this.phase = next;
  }

  private write(): void {
    this.enter(this.phase);
    if (!fs.existsSync(this.file)) {
      this.loop.idle.reset();
      this.loop.sampling.reset();
      this.samples = 0;
      this.sampleMaxMs = 0;
    }
    const mem = process.memoryUsage();
    const stats: ServerStatsFile = {
      at: Date.now(),
      pid: process.pid,
      rssKb: Math.round(mem.rss / 1024),
      heapUsedKb: Math.round(mem.heapUsed / 1024),
      loopIdle: figures(this.loop.idle),
      loopSampling: figures(this.loop.sampling),
      samples: this.samples,
      sampleMaxMs: this.sampleMaxMs,
    };
    try {
      fs.writeFileSync(`${this.file}.tmp`, JSON.stringify(stats));
      fs.renameSync(`${this.file}.tmp`, this.file);
    } catch {
      // the bench's directory went away: nothing to report to
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    clearTimeout(this.tail);
    this.monitor.disable();
  }
}
