// The server's guests: managed ones from the definitions in the config directory (looked at on each command, so a new
// file is seen at once, but read and parsed again only when it changed) and adopted ones found in the watched
// uml_dirs; definition errors are kept to show.

import fs from 'node:fs';
import path from 'node:path';
import { UmuxError } from '../core/errors.js';
import { loadGuestDefs, type DefinitionCache } from '../config/load.js';
import type { ConfigError } from '../config/config-error.js';
import { scanUmlDir } from '../guests/discover.js';
import { ScanGate } from './scan-gate.js';
import type { GuestEnv } from './managed-guest.js';
import { ManagedGuest } from './managed-guest.js';
import { AdoptedGuest } from './adopted-guest.js';
import type { Guest } from './guest.js';
import { hasEnded } from '../protocol/guest-state.js';

/** How long an adopted guest that exited and removed its directory stays listed. */
const FORGET_EXITED_MS = 5 * 60_000;

export class GuestRegistry {
  private readonly guests = new Map<string, ManagedGuest>();
  private readonly adopted = new Map<string, AdoptedGuest>();
  private readonly goneSince = new Map<string, number>();
  problems: ConfigError[] = [];
  /** Parsed definition files, kept while unchanged (path, inode, size, times). */
  private readonly defCache: DefinitionCache = new Map();
  /** What the scan needs from the definitions (the dirs to look at, managed guests' umid dirs), kept until they change. */
  private scanPlan: { dirs: string[]; managed: Set<string> } | undefined;

  constructor(
    private readonly configDir: string,
    private readonly home: string,
    private readonly env: GuestEnv,
    /** uml_dirs watched for guests umux did not start. */
    private readonly umlDirs: readonly string[] = [],
  ) {}

  /** Re-reads the definitions. A running guest keeps the definition it was started with until it stops. */
  reload(): void {
    const { defs, errors } = loadGuestDefs(this.configDir, { home: this.home }, this.defCache);
    this.problems = errors;
    for (const def of defs) {
      const g = this.guests.get(def.name);
      if (!g) this.guests.set(def.name, new ManagedGuest(def, this.env));
      else if (hasEnded(g.state) && g.def !== def) g.def = def;
      else continue;
      this.scanPlan = undefined;
    }
    for (const [name, g] of this.guests) {
      if (!defs.some((d) => d.name === name) && g.pid === null) {
        g.dispose();
        this.guests.delete(name);
        this.scanPlan = undefined;
      }
    }
  }

  /** The directories scanned for umid directories: the configured uml_dirs and those of the definitions. */
  scanDirs(): string[] {
    return this.plan().dirs;
  }

  /** scanDirs and the managed guests' umid directories, made again only after reload changed a definition. */
  private plan(): { dirs: string[]; managed: Set<string> } {
    this.scanPlan ??= {
      dirs: [...new Set([...this.umlDirs, ...[...this.guests.values()].map((g) => g.def.umlDir)].map((d) => path.resolve(d)))],
      managed: new Set([...this.guests.values()].map((g) => path.join(path.resolve(g.def.umlDir), g.def.umid))),
    };
    return this.scanPlan;
  }

  /**
   * Looks for guests umux did not start, and notices adopted guests that died or went away. Returns the new ones.
   * Unless `all`, a uml_dir is skipped when its mtime has not moved since it was last read, it holds no adopted guest
   * and it was read less than FULL_SCAN_MS ago (scan-gate.ts): a hundred managed guests' directory costs one stat a
   * second.
   */
  scan(all = true): AdoptedGuest[] {
    const { dirs, managed } = this.plan();
    const seen = new Set<string>();
    const fresh: AdoptedGuest[] = [];
    const holding = new Set<string>();
    for (const g of this.adopted.values()) holding.add(path.dirname(g.dir));
    for (const dir of dirs) {
      if (!this.dirChanged(dir, all || holding.has(dir))) continue;
      for (const found of scanUmlDir(dir, managed)) {
        seen.add(found.umid);
        const known = this.adopted.get(found.umid);
        if (known && known.dir === found.dir && (known.pid === found.pid || (!found.alive && known.pid === null))) continue;
        if (known && known.dir === found.dir && known.pid !== null && !found.alive) {
          known.markGone(true);
          continue;
        }
        if (known && known.dir !== found.dir) continue; // the same umid in two uml_dirs: the first one found keeps it
        if (known && !found.alive) continue;
        // New, or started again under the same umid: a fresh adoption (the event log continues).
        known?.dispose();
        const g = new AdoptedGuest(found, this.env);
        this.adopted.set(found.umid, g);
        this.goneSince.delete(found.umid);
        if (g.pid !== null) fresh.push(g);
      }
    }
    const now = Date.now();
    for (const [umid, g] of this.adopted) {
      if (seen.has(umid)) continue;
      g.markGone(false);
      const since = this.goneSince.get(umid) ?? now;
      this.goneSince.set(umid, since);
      if (now - since > FORGET_EXITED_MS) {
        g.dispose();
        this.adopted.delete(umid);
        this.goneSince.delete(umid);
      }
    }
    return fresh;
  }

  private readonly gate = new ScanGate();

  /** Whether uml_dir `dir` is to be read now (scan-gate.ts). */
  private dirChanged(dir: string, anyway: boolean): boolean {
    let mtimeMs = -1;
    try {
      mtimeMs = fs.statSync(dir).mtimeMs;
    } catch {
      // missing: scanUmlDir finds nothing there either
    }
    return this.gate.due(dir, mtimeMs, Date.now(), anyway);
  }

  /** Forgets an adopted guest (after its stale directory was cleaned up). */
  forget(umid: string): void {
    this.adopted.get(umid)?.dispose();
    this.adopted.delete(umid);
  }

  all(): Guest[] {
    return [...this.guests.values(), ...this.adopted.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Every guest, in no order (the health loop's once-a-second walk: no array, no sort). */
  forEach(visit: (g: Guest) => void): void {
    this.guests.forEach((g) => visit(g));
    this.adopted.forEach((g) => visit(g));
  }

  adoptedGuests(): AdoptedGuest[] {
    return [...this.adopted.values()];
  }

  /** The guests umux starts from a definition, by name like all(). */
  managedGuests(): ManagedGuest[] {
    return [...this.guests.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  managed(name: string): ManagedGuest {
    const g = this.get(name);
    if (g.managed) return g.managed;
    throw new UmuxError('usage', `${name} was not started by umux (adopted from ${g.adopted?.dir ?? 'a uml_dir'})`, { hint: 'umux restart, stop and kill work on it; start needs a definition' });
  }

  get(name: string): Guest {
    const g = this.guests.get(name) ?? [...this.guests.values()].find((x) => x.def.umid === name) ?? this.adopted.get(name);
    if (g) return g;
    const problem = this.problems.find((p) => p.file.endsWith(`/${name}.toml`));
    if (problem) throw problem;
    const known = this.all().map((x) => x.name);
    throw new UmuxError('no-such-guest', `can't find guest: ${name}`, {
      hint: known.length ? `known guests: ${known.join(', ')}` : `define one in ${this.configDir}/${name}.toml, or start one in ${this.scanDirs()[0] ?? '~/.uml'}`,
    });
  }

  dispose(): void {
    for (const g of this.all()) g.dispose();
    this.guests.clear();
    this.adopted.clear();
  }
}
