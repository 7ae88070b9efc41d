// The server's once-a-second look at its guests: the uml_dirs scanned for guests umux did not start (a directory
// whose mtime did not move and holds no adopted guest is skipped), every running guest's /proc state read (a stopped
// or dead one is told at once, no ping needed), and MConsole pings as ping-policy.ts picks them (a booting guest every
// tick, so it shows as running once it answers). Owns its timer and each guest's open /proc/PID/stat.

import fs from 'node:fs';
import type { Disposable } from '../core/disposable.js';
import { ProcStatFile } from '../guests/proc-info.js';
import type { MconsoleClient } from '../mconsole/client.js';
import { checkHealth, hostStateOf, type Health, type HealthTimes, type HostState } from './health.js';
import type { Guest } from './guest.js';
import { guestsToPing, type PingCandidate } from './ping-policy.js';
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

/** What the loop keeps for one running guest (one kernel pid). */
interface Watch {
  pid: number;
  stat: ProcStatFile;
  lastPingAt: number;
  lastLifeAt: number;
  /** Console bytes the guest had written at the last look: more since is output, a sign of life. */
  bytesIn: number;
  /** When an adopted guest's lines were last looked at again (AdoptedGuest.tick: after an answer, or output). */
  tickedAt: number;
}

const consoleBytes = (g: Guest): number => {
  let n = 0;
  for (const hub of g.hubs.values()) n += hub.bytesIn;
  return n;
};

export class HealthLoop implements Disposable {
  private readonly watches = new Map<string, Watch>();
  private readonly pinging = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: HealthLoopDeps) {}

  /** Looks now, then every SCAN_MS. */
  start(): void {
    this.tick();
    this.timer ??= setInterval(() => this.tick(), SCAN_MS);
  }

  /** Looks for new guests in the uml_dirs (all of them when `all`: after a relaunch, a notification). */
  scanNow(all = true): void {
    try {
      for (const g of this.deps.registry.scan(all)) {
        this.deps.log(`${g.name}: adopted pid ${g.pid} from ${g.dir}`);
        void g.probeConsoles(true);
      }
    } catch (err) {
      this.deps.log(`scan failed: ${(err as Error).message}`);
    }
  }

  private tick(): void {
    this.scanNow(false);
    const now = Date.now();
    const candidates: PingCandidate[] = [];
    const live = new Map<string, Guest>();
    for (const g of this.deps.registry.all()) {
      if (g.pid === null) continue;
      live.set(g.name, g);
      const w = this.watchOf(g.name, g.pid);
      if (this.pinging.has(g.name)) continue;
      const host = hostStateOf(w.stat.state(), g.pid);
      if (host !== 'live') {
        // Stopped: unresponsive now, no ping needed; pinged as soon as it runs again, to say it answers.
        w.lastPingAt = 0;
        this.apply(g, { kind: host });
        continue;
      }
      const bytes = consoleBytes(g);
      if (bytes !== w.bytesIn) {
        if (w.bytesIn >= 0) w.lastLifeAt = now; // the first look only notes what was written before it
        w.bytesIn = bytes;
      }
      // An adopted guest alive by its output is not pinged: its lines are looked at again on the ping's schedule.
      if (g.adopted && w.lastLifeAt > w.tickedAt && now - w.tickedAt >= this.deps.health.everyMs) {
        w.tickedAt = now;
        g.adopted.tick();
      }
      candidates.push({ name: g.name, state: g.state, lastPingAt: w.lastPingAt, lastLifeAt: w.lastLifeAt });
    }
    for (const [name, w] of this.watches) {
      if (live.has(name)) continue;
      w.stat.dispose();
      this.watches.delete(name);
    }
    for (const name of guestsToPing(candidates, now, this.deps.health.everyMs)) {
      const g = live.get(name);
      const w = this.watches.get(name);
      if (g && w && g.pid === w.pid) this.ping(g, w, now);
    }
    // The scan may have found, lost or changed guests: subscribers hear it if a row changed.
    this.deps.changed();
  }

  /** The watch on guest `name`'s kernel `pid`, made anew when the guest runs under another pid. */
  private watchOf(name: string, pid: number): Watch {
    let w = this.watches.get(name);
    if (w?.pid !== pid) {
      w?.stat.dispose();
      // A new kernel has proved nothing yet; its console bytes so far are not news.
      w = { pid, stat: new ProcStatFile(pid), lastPingAt: 0, lastLifeAt: 0, bytesIn: -1, tickedAt: 0 };
      this.watches.set(name, w);
    }
    return w;
  }

  /** A look's result: an adopted guest that is gone is marked so (a managed one's exit comes from its process). */
  private apply(g: Guest, h: Health, w?: Watch): void {
    const adopted = g.adopted;
    if (h.kind === 'gone' && adopted) adopted.markGone(fs.existsSync(adopted.dir));
    else g.applyHealth(h, this.deps.health.timeoutMs);
    if (h.kind === 'ok' && adopted) {
      if (w) w.tickedAt = Date.now();
      adopted.tick();
    }
  }

  private ping(g: Guest, w: Watch, now: number): void {
    const { mconsole, health, log } = this.deps;
    const name = g.name;
    const pid = w.pid;
    w.lastPingAt = now;
    this.pinging.add(name);
    const host = (): HostState => hostStateOf(w.stat.state(), pid);
    void checkHealth(mconsole, { umid: g.umid, pid, socket: g.socket }, health.timeoutMs, host)
      .then((h) => {
        if (g.pid !== pid) return;
        if (h.kind === 'ok') w.lastLifeAt = Date.now();
        this.apply(g, h, w);
      })
      .catch((err: Error) => log(`${name}: health check failed: ${err.message}`))
      .finally(() => this.pinging.delete(name));
  }

  dispose(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    for (const w of this.watches.values()) w.stat.dispose();
    this.watches.clear();
  }
}
