// The stop ladder shared by managed and adopted guests: cad, halt, SIGTERM to the main pid, SIGKILL to the process
// group; each step logged and timed, the next taken only when the guest outlived the last (DESIGN.md §4).

import { processExists, requireGroupGone } from '../guests/process-group.js';
import { killGuestGroup } from '../guests/winch-helpers.js';
import type { MconsoleClient } from '../mconsole/client.js';
import { requireGuestPid } from '../guests/uml-process.js';

export interface StopTimes {
  cadMs: number;
  haltMs: number;
  termMs: number;
  killMs: number;
}

export const DEFAULT_STOP_TIMES: StopTimes = { cadMs: 10_000, haltMs: 5_000, termMs: 5_000, killMs: 5_000 };

export interface LadderTarget {
  name: string;
  umid: string;
  pid: number;
  socket: string;
  mconsole: MconsoleClient;
  times: StopTimes;
  event: (text: string) => void;
  /** The guest's user, for checking the pid once its umid directory is gone. */
  ownerUid?: number;
}

/** Walks the ladder until the guest's main pid is gone; `force` goes straight to SIGKILL. Returns what each step did. */
export async function walkStopLadder(t: LadderTarget, opts: { force?: boolean } = {}): Promise<string[]> {
  const steps: string[] = [];
  const gone = () => !processExists(t.pid);
  const waitGone = async (ms: number) => {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline && !gone()) await new Promise((r) => setTimeout(r, 50));
    return gone();
  };
  const step = async (what: string, act: () => Promise<void> | void, ms: number): Promise<boolean> => {
    t.event(`stop: ${what} (waiting up to ${ms} ms)`);
    try {
      await act();
    } catch (err) {
      t.event(`stop: ${what} failed: ${(err as Error).message}`);
    }
    const ok = await waitGone(ms);
    steps.push(`${what}: ${ok ? 'guest exited' : `still running after ${ms} ms`}`);
    return ok;
  };
  const mc = (verb: string) => async () => {
    await t.mconsole.callOk(t.socket, verb, { name: t.umid, timeoutMs: 2000 });
  };
  if (!opts.force) {
    if (await step('cad (Ctrl-Alt-Del, the clean shutdown)', mc('cad'), t.times.cadMs)) return steps;
    if (await step('halt', mc('halt'), t.times.haltMs)) return steps;
    if (!gone()) requireGuestPid(t);
    if (await step('SIGTERM to pid', () => void process.kill(t.pid, 'SIGTERM'), t.times.termMs)) return steps;
  }
  // Never signal what a pid file names without checking it is this guest (issue 9: planted umid directories).
  if (!gone()) requireGuestPid(t);
  await step('SIGKILL to the process group', () => void killGuestGroup(t.pid), t.times.killMs);
  // SIGKILL of the main pid alone leaks helpers holding the memory file: make sure the group is empty.
  await requireGroupGone(t.pid, t.times.killMs, t.name);
  return steps;
}
