// The server's once-a-second look at its guests: the uml_dirs scanned for guests umux did not start (and ones that
// died or went away), and each running guest pinged over MConsole every health.everyMs (a booting one every tick,
// so it shows as running once it answers). Owns its timer.

import fs from 'node:fs';
import type { Disposable } from '../core/disposable.js';
import type { MconsoleClient } from '../mconsole/client.js';
import { checkHealth, type HealthTimes } from './health.js';
import type { Guest } from './guest.js';
import type { GuestRegistry } from './registry.js';

/** How often the uml_dirs are scanned for new, dead and removed guests. */
export const SCAN_MS = 1000;

export interface HealthLoopDeps {
  registry: GuestRegistry;
  mconsole: MconsoleClient;
  health: HealthTimes;
  /** After each look: the guest rows may have changed. */
  changed: () => void;
  log: (line: string) => void;
}

export class HealthLoop implements Disposable {
  private readonly lastPing = new Map<string, number>();
  private readonly pinging = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: HealthLoopDeps) {}

  /** Looks now, then every SCAN_MS. */
  start(): void {
    this.tick();
    this.timer ??= setInterval(() => this.tick(), SCAN_MS);
  }

  /** Looks for new guests in the uml_dirs at once (after a relaunch, a notification). */
  scanNow(): void {
    try {
      for (const g of this.deps.registry.scan()) {
        this.deps.log(`${g.name}: adopted pid ${g.pid} from ${g.dir}`);
        void g.probeConsoles(true);
      }
    } catch (err) {
      this.deps.log(`scan failed: ${(err as Error).message}`);
    }
  }

  private tick(): void {
    this.scanNow();
    const now = Date.now();
    for (const g of this.deps.registry.all()) {
      const every = g.state === 'starting' ? 0 : this.deps.health.everyMs;
      if (g.pid === null || this.pinging.has(g.name) || now - (this.lastPing.get(g.name) ?? 0) < every) continue;
      this.ping(g, g.pid, now);
    }
    // The scan may have found, lost or changed guests: subscribers hear it if a row changed.
    this.deps.changed();
  }

  private ping(g: Guest, pid: number, now: number): void {
    const { mconsole, health, log } = this.deps;
    const name = g.name;
    this.lastPing.set(name, now);
    this.pinging.add(name);
    void checkHealth(mconsole, { umid: g.umid, pid, socket: g.socket }, health.timeoutMs)
      .then((h) => {
        if (g.pid !== pid) return;
        // A managed guest's exit is reported by its child process; an adopted one's only by looking.
        const adopted = g.adopted;
        if (h.kind === 'gone' && adopted) adopted.markGone(fs.existsSync(adopted.dir));
        else g.applyHealth(h, health.timeoutMs);
        if (h.kind === 'ok') adopted?.tick();
      })
      .catch((err: Error) => log(`${name}: health check failed: ${err.message}`))
      .finally(() => this.pinging.delete(name));
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
