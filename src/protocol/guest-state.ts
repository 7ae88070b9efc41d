// The guest states, listed once: the server sets them, the wire carries them, the CLI and the TUI show them. Tables
// keyed by GuestState (Record<GuestState, …>) make the compiler name every table a new state is missing from.

/** Every state a guest can be in; adopted guests alone can be `stale` (dead, umid directory left behind). */
export const GUEST_STATES = ['running', 'starting', 'paused', 'unresponsive', 'stopping', 'stopped', 'crashed', 'exited', 'stale'] as const;
export type GuestState = (typeof GUEST_STATES)[number];

/** The state a client received, or undefined for one a newer server added: show that one as its text. */
export function parseGuestState(text: string): GuestState | undefined {
  return (GUEST_STATES as readonly string[]).includes(text) ? (text as GuestState) : undefined;
}
