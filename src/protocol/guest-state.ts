// The guest states, listed once: the server sets them, the wire carries them, the CLI and the TUI show them. Tables
// keyed by GuestState (Record<GuestState, …>) make the compiler name every table a new state is missing from.

/** Every state a guest can be in; adopted guests alone can be `stale` (dead, umid directory left behind). */
export const GUEST_STATES = ['running', 'starting', 'paused', 'unresponsive', 'stopping', 'stopped', 'crashed', 'exited', 'stale'] as const;
export type GuestState = (typeof GUEST_STATES)[number];

/** The state a client received, or undefined for one a newer server added: show that one as its text. */
export function parseGuestState(text: string): GuestState | undefined {
  return (GUEST_STATES as readonly string[]).includes(text) ? (text as GuestState) : undefined;
}

/** What a state says of the guest's process: up (it runs, answering or not), ending (a stop under way), ended (none). */
export const PROCESS_IN: Readonly<Record<GuestState, 'up' | 'ending' | 'ended'>> = {
  running: 'up',
  starting: 'up',
  paused: 'up',
  unresponsive: 'up',
  stopping: 'ending',
  stopped: 'ended',
  crashed: 'ended',
  exited: 'ended',
  stale: 'ended',
};

/** The guest's process has ended (stopped, crashed, exited, stale): nothing to stop, a new definition may apply. */
export function hasEnded(state: GuestState): boolean {
  return PROCESS_IN[state] === 'ended';
}

/** The guest's process runs: the text of a state this client does not know counts as not. */
export function isUp(text: string): boolean {
  const state = parseGuestState(text);
  return state !== undefined && PROCESS_IN[state] === 'up';
}
