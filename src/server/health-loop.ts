// The server's once-a-second look at its guests: the uml_dirs scanned for guests umux did not start (a directory
// whose mtime did not move and holds no adopted guest is skipped), running guests' /proc state read (every tick, or
// every other one beyond STATE_EVERY_TICK_MAX guests; a stopped or dead one is told at once, no ping needed), and
// MConsole pings as ping-policy.ts picks them (a booting guest every tick). Owns its timer and each /proc/PID/stat.

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
/**
 * Up to this many running guests, each one's /proc state is read every tick; beyond it, every other tick (half of
 * them each tick): a stop is seen within 2 s at 100 guests, and each read costs the kernel a /proc/PID/stat.
 */
export const STATE_EVERY_TICK_MAX = 50;

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
  /** Which half of the ticks reads this guest's state when there are many (0 or 1). */
  half: number;
  /** The host state at the last read. */
  host: HostState;
  /** This guest as a ping candidate, filled in again each tick. */
  candidate: PingCandidate;
  /** The guest, and the tick that last saw it running (a watch not seen in a tick is dropped). */
  guest: Guest;
  seenAt: number;
}

// Summed through Map.forEach and one function made once: this runs for every guest every second, in code too cold
// for V8 to optimise, where for-of allocates an iterator and a result per step.
let bytesSum = 0;
const addBytes = (hub: { bytesIn: number }): void => {
  bytesSum += hub.bytesIn;
};
const consoleBytes = (g: Guest): number => {
  bytesSum = 0;
  g.hubs.forEach(addBytes);
  return bytesSum;
};

export class HealthLoop implements Disposable {
  private readonly watches = new Map<string, Watch>();
  private readonly pinging = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private ticks = 0;
  private made = 0;
  /** Reused each tick: the ping candidates. */
  private readonly candidates: PingCandidate[] = [];

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
    const tick = ++this.ticks;
    const { candidates } = this;
    candidates.length = 0;
    // Half the states a tick when there are many: the other half was read a tick ago.
    const half = this.watches.size > STATE_EVERY_TICK_MAX ? tick % 2 : -1;
    this.deps.registry.forEach((g) => {
      if (g.pid === null) return;
      const w = this.watchOf(g, g.pid);
      w.seenAt = tick;
      if (this.pinging.has(g.name)) return;
      if (half < 0 || w.half === half || w.host !== 'live') w.host = hostStateOf(w.stat.state(), g.pid);
      if (w.host !== 'live') {
        // Stopped: unresponsive now, no ping needed; pinged as soon as it runs again, to say it answers.
        w.lastPingAt = 0;
        this.apply(g, { kind: w.host });
        return;
      }
      this.lookAtOutput(g, w, now);
      const c = w.candidate;
      c.name = g.name;
      c.state = g.state;
      c.lastPingAt = w.lastPingAt;
      c.lastLifeAt = w.lastLifeAt;
      candidates.push(c);
    });
    this.watches.forEach((w, name) => {
      if (w.seenAt === tick) return;
      w.stat.dispose();
      this.watches.delete(name);
    });
    const names = guestsToPing(candidates, now, this.deps.health.everyMs);
    for (let i = 0; i < names.length; i++) {
      const w = this.watches.get(names[i]!);
      if (w && w.guest.pid === w.pid) this.ping(w.guest, w, now);
    }
    // The scan may have found, lost or changed guests: subscribers hear it if a row changed.
    this.deps.changed();
  }

  /** Console output since the last look is a sign of life; an adopted guest alive by it has its lines looked at. */
  private lookAtOutput(g: Guest, w: Watch, now: number): void {
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
  }

  /** The watch on guest `g`'s kernel `pid`, made anew when the guest runs under another pid. */
  private watchOf(g: Guest, pid: number): Watch {
    let w = this.watches.get(g.name);
    if (w?.pid !== pid) {
      w?.stat.dispose();
      const stat = new ProcStatFile(pid);
      const candidate: PingCandidate = { name: g.name, state: 'running', lastPingAt: 0, lastLifeAt: 0 };
      // A new kernel has proved nothing yet; its console bytes so far are not news.
      w = { pid, stat, lastPingAt: 0, lastLifeAt: 0, bytesIn: -1, tickedAt: 0, half: this.made++ % 2, host: hostStateOf(stat.state(), pid), candidate, guest: g, seenAt: 0 };
      this.watches.set(g.name, w);
    }
    w.guest = g;
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
        if (h.kind === 'sigstopped' || h.kind === 'gone') w.host = h.kind;
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
