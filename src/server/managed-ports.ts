// The port lines of a managed guest (`lines = { ssl0 = "port:9123" }`): one PortHolder each while the guest runs,
// their entries in `umux ls`, and the leftover port-helpers of a dead run ended before the next boot.

import type { Disposable } from '../core/disposable.js';
import { UmuxError } from '../core/errors.js';
import type { GuestDef } from '../config/guest-def.js';
import { findBusybox } from '../guests/rootfs.js';
import { describeLeftovers, killLeftovers, leftoverPortHelpers, portBound, portListeners } from '../guests/port-helpers.js';
import type { ConsoleHub } from './console-hub.js';
import { PortHolder } from './held-console.js';

export interface PortLinesHost {
  def: GuestDef;
  ownerUid: number;
  logRoot: string;
  /** The consoles by name: a held port line's hub comes and goes here. */
  hubs: Map<string, ConsoleHub>;
  event(text: string): void;
  nudge(): void;
  guestPid(): number | null;
}

export interface PortLineInfo {
  name: string;
  clients: number;
  lost: false;
  spec: string;
  status?: 'held' | 'waiting' | 'unusable' | 'elsewhere';
  note?: string;
}

export class ManagedPortLines implements Disposable {
  private readonly holders = new Map<string, PortHolder>();

  constructor(private readonly host: PortLinesHost) {}

  /** Holds each port line (again): a PortHolder connects, reconnects, and keeps the host's hubs up to date. */
  hold(): void {
    this.release('the guest started again');
    const h = this.host;
    for (const { name, port } of h.def.ports) {
      const holder: PortHolder = new PortHolder({
        guest: h.def.name,
        umid: h.def.umid,
        name,
        port,
        ownerUid: h.ownerUid,
        logRoot: h.logRoot,
        settings: h.def,
        event: (t) => h.event(t),
        nudge: () => h.nudge(),
        guestPid: () => h.guestPid(),
        onChange: () => {
          if (this.holders.get(name) !== holder) return;
          if (holder.hub) h.hubs.set(name, holder.hub);
          else h.hubs.delete(name);
        },
      });
      this.holders.set(name, holder);
    }
  }

  /** Lets go of the connections (the guest keeps its ports). */
  release(why: string): void {
    for (const [name, holder] of this.holders) {
      holder.dispose(why);
      this.host.hubs.delete(name);
    }
    this.holders.clear();
  }

  /** The lines as `umux ls` lists them; a status only while the guest runs. */
  info(running: boolean): PortLineInfo[] {
    return this.host.def.ports.map(({ name, port }) => {
      const holder = this.holders.get(name);
      return {
        name,
        clients: this.host.hubs.get(name)?.clients().length ?? 0,
        lost: false as const,
        spec: `port:${port}`,
        ...(running ? { status: holder?.status ?? ('waiting' as const), note: holder?.note ?? `${name} is port:${port}: not connected yet` } : {}),
      };
    });
  }

  /**
   * Before a boot and after an exit: ends the port-helpers (and winch helpers) a dead run of this guest left holding
   * its ports (UML's port-helpers inherit the listener and outlive the guest); refuses a port someone else holds.
   */
  async free(): Promise<string[]> {
    const def = this.host.def;
    if (def.ports.length === 0) return [];
    if (!findBusybox()) {
      throw new UmuxError('io', `${def.name}: its port lines need busybox for umux's in.telnetd (Debian 12 has no in.telnetd -L)`, { hint: 'apt-get install busybox-static' });
    }
    const left = leftoverPortHelpers(def.ports.map((p) => p.port), this.host.ownerUid, def.umid);
    if (left.length > 0) {
      await killLeftovers(left);
      this.host.event(`ended what a dead run left holding its ports: ${describeLeftovers(left)}`);
    }
    for (const { name, port } of def.ports) {
      if (!portBound(port)) continue;
      const who = portListeners(port).map((l) => `pid ${l.pid} (${l.exe})`).join(', ') || 'a process of another user';
      throw new UmuxError('busy', `${def.name}: port ${port} for ${name} is already in use on this host, by ${who}`, {
        hint: `give ${name} another port in ${def.file}, or stop what listens there`,
      });
    }
    return left.map((l) => `${l.what} pid ${l.pid}`);
  }

  dispose(): void {
    this.release('umux server stopping');
  }
}
