// One health check of a running guest (DESIGN.md §4): is the main pid alive, is it SIGSTOPped on the host, does it
// answer a `version` ping within the timeout. The server runs it for every guest on a timer.

import { isUmuxError } from '../core/errors.js';
import { procState } from '../guests/proc-info.js';
import { processExists } from '../guests/process-group.js';
import type { MconsoleClient } from '../mconsole/client.js';
import type { GuestState } from '../protocol/guest-state.js';

export type Health =
  | { kind: 'ok' }
  | { kind: 'gone' }
  /** Stopped on the host (SIGSTOP, or a debugger): no MConsole request can be answered. */
  | { kind: 'sigstopped' }
  /** Alive, not stopped, but no answer in time (or the socket refuses). */
  | { kind: 'unresponsive'; why: string };

export interface HealthTimes {
  /** Between pings of one guest. */
  everyMs: number;
  /** How long a `version` ping may take. */
  timeoutMs: number;
}

export const DEFAULT_HEALTH_TIMES: HealthTimes = { everyMs: 5000, timeoutMs: 2000 };

/** What the host says of a guest's main process, without asking the guest. */
export type HostState = 'gone' | 'sigstopped' | 'live';

/**
 * A /proc/PID/stat state letter (or 'gone', or undefined where /proc hides the process: hidepid) as a HostState;
 * kill(pid, 0) only decides when /proc could not be read.
 */
export function hostStateOf(letter: string | undefined, pid: number): HostState {
  if (letter === undefined) return processExists(pid) ? 'live' : 'gone';
  if (letter === 'gone' || letter === 'Z' || letter === 'X') return 'gone';
  return letter === 'T' ? 'sigstopped' : 'live';
}

/**
 * Is the main pid alive and not stopped (`host`: one read of /proc/PID/stat by default), then does the guest answer
 * a `version` ping within the timeout; the host is asked again when it does not (stopped or gone meanwhile).
 */
export async function checkHealth(
  mc: MconsoleClient,
  guest: { umid: string; pid: number; socket: string },
  timeoutMs: number,
  host: () => HostState = () => hostStateOf(procState(guest.pid), guest.pid),
): Promise<Health> {
  const before = host();
  if (before !== 'live') return { kind: before };
  try {
    await mc.call(guest.socket, 'version', { name: guest.umid, timeoutMs });
    return { kind: 'ok' };
  } catch (err) {
    const after = host();
    if (after !== 'live') return { kind: after };
    return { kind: 'unresponsive', why: isUmuxError(err) ? err.message : String(err) };
  }
}

/** The live states a health check moves a guest between; other states (stopping, exited …) are left alone. */
export type LiveState = Extract<GuestState, 'running' | 'paused' | 'unresponsive'>;

/** The state a check result implies for a live guest, and why; undefined when it changes nothing here. */
export function stateFromHealth(h: Health, paused: boolean, pid: number, timeoutMs: number): { state: LiveState; why: string } | undefined {
  switch (h.kind) {
    case 'ok':
      return paused ? { state: 'paused', why: 'stopped with MConsole stop (umux go resumes it)' } : { state: 'running', why: 'answers MConsole again' };
    case 'sigstopped':
      return { state: 'unresponsive', why: `pid ${pid} is stopped on the host (SIGSTOP or a debugger): kill -CONT ${pid} resumes it` };
    case 'unresponsive':
      return { state: 'unresponsive', why: `no answer to a version ping within ${timeoutMs} ms (${h.why})` };
    case 'gone':
      return undefined;
  }
}
