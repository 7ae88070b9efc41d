// What every guest is to the rest of the server, whether umux started it (ManagedGuest) or found it running
// (AdoptedGuest): its name, state, process, consoles and the actions both kinds have. What only one kind can do is
// reached through `managed` / `adopted`, which name that part or are undefined. The two classes do not name this
// interface (guest.ts names them: that would be an import cycle); the registry holds them as Guest, and the compiler
// checks them there (registry.ts, all() and get()).

import type { GuestState } from '../protocol/guest-state.js';
import type { GuestInfo } from '../protocol/wire-messages.js';
import type { AdoptedGuest } from './adopted-guest.js';
import type { ConsoleHub } from './console-hub.js';
import type { Health, LiveState } from './health.js';
import type { ManagedGuest } from './managed-guest.js';

export type GuestKind = 'managed' | 'adopted';

export interface Guest {
  readonly kind: GuestKind;
  readonly name: string;
  readonly umid: string;
  readonly state: GuestState;
  readonly pid: number | null;
  /** The guest's MConsole socket. */
  readonly socket: string;
  /** The host user the guest runs as. */
  readonly ownerUid: number;
  readonly mem: string;
  /** Set by umux's pause/go (MConsole stop/go). */
  paused: boolean;
  /** Memory umux has unplugged with config mem-= (UML cannot be asked). */
  memUnplugged: number;
  /** The consoles umux holds open, by line name (console-lookup.ts says why one is missing). */
  readonly hubs: ReadonlyMap<string, ConsoleHub>;
  /** The guest as `umux ls` and subscribers see it. */
  info(): GuestInfo;
  /** Records an event in the guest's event log and the server log. */
  event(text: string): void;
  /** Moves to a live state (pause and go) and records why as an event. */
  setState(state: LiveState, why: string): void;
  /** Moves between the live states after a health check. */
  applyHealth(h: Health, timeoutMs: number): void;
  /** Stops it (MConsole halt, then signals); returns the steps taken. */
  stop(opts?: { force?: boolean }): Promise<string[]>;
  /** A console line was hot-plugged through umux: follow it if this kind finds its consoles by looking. */
  consoleAdded(line: string): void;
  dispose(): void;
  /** The part only a guest umux started has (definition, start, keeper); undefined for an adopted guest. */
  readonly managed: ManagedGuest | undefined;
  /** The part only a guest umux found has (umid directory, recorded command line); undefined for a managed guest. */
  readonly adopted: AdoptedGuest | undefined;
}

/** The command that brings a guest that is not running back: start for a definition, restart for a recorded command line. */
export function startCommand(g: Guest): string {
  return `umux ${g.kind === 'adopted' ? 'restart' : 'start'} ${g.name}`;
}
