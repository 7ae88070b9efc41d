// The server's guests: definitions read from the config directory (re-read on each command, so a new file is
// seen at once), one ManagedGuest per definition, and the definition errors to show instead of starting anything.

import { UmuxError } from '../core/errors.js';
import { loadGuestDefs } from '../config/load.js';
import type { ConfigError } from '../config/config-error.js';
import type { GuestEnv } from './managed-guest.js';
import { ManagedGuest } from './managed-guest.js';

export class GuestRegistry {
  private readonly guests = new Map<string, ManagedGuest>();
  problems: ConfigError[] = [];

  constructor(
    private readonly configDir: string,
    private readonly home: string,
    private readonly env: GuestEnv,
  ) {}

  /** Re-reads the definitions. A running guest keeps the definition it was started with until it stops. */
  reload(): void {
    const { defs, errors } = loadGuestDefs(this.configDir, { home: this.home });
    this.problems = errors;
    for (const def of defs) {
      const g = this.guests.get(def.name);
      if (!g) this.guests.set(def.name, new ManagedGuest(def, this.env));
      else if (g.state === 'stopped' || g.state === 'exited' || g.state === 'crashed') g.def = def;
    }
    for (const [name, g] of this.guests) {
      if (!defs.some((d) => d.name === name) && g.pid === null) {
        g.dispose();
        this.guests.delete(name);
      }
    }
  }

  all(): ManagedGuest[] {
    return [...this.guests.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): ManagedGuest {
    const g = this.guests.get(name) ?? this.all().find((x) => x.def.umid === name);
    if (g) return g;
    const problem = this.problems.find((p) => p.file.endsWith(`/${name}.toml`));
    if (problem) throw problem;
    const known = this.all().map((x) => x.name);
    throw new UmuxError('no-such-guest', `can't find guest: ${name}`, {
      hint: known.length ? `known guests: ${known.join(', ')}` : `define one in ${this.configDir}/${name}.toml`,
    });
  }

  dispose(): void {
    for (const g of this.guests.values()) g.dispose();
    this.guests.clear();
  }
}
