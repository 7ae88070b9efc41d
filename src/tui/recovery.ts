// The recovery menu (pure): for the focused guest's state, the steps from gentlest to hardest (the ladder an
// on-call admin walks by hand: resume, sync, remount read-only, Ctrl-Alt-Del, halt, the timed stop ladder,
// SIGTERM, SIGKILL), then restart; for a dead guest, restart and the records that say why it died.

import type { GuestInfo } from '../protocol/wire-messages.js';
import { isUp } from '../protocol/guest-state.js';
import { changesSomething } from '../commands/read-only.js';

export interface RecoveryStep {
  /** What the menu line says. */
  label: string;
  /** Server argv (the TUI asks first where the command table says so). */
  argv: string[];
  /** Instead of argv: a view the TUI opens. */
  view?: 'events' | 'log';
}

/** The steps a read-only client may take: the views, and commands that only look (the server refuses the rest). */
export function lookingSteps(steps: readonly RecoveryStep[]): RecoveryStep[] {
  return steps.filter((s) => s.view !== undefined || !changesSomething(s.argv));
}

export function recoverySteps(g: GuestInfo): RecoveryStep[] {
  const n = g.name;
  const steps: RecoveryStep[] = [];
  if (isUp(g.state) && g.pid !== null) {
    if (g.state === 'paused') steps.push({ label: 'go: resume the paused guest', argv: ['go', n] });
    if (g.state === 'unresponsive') steps.push({ label: 'events: why umux calls it unresponsive (MConsole pings)', argv: [], view: 'events' });
    steps.push(
      { label: 'sysrq s: sync every filesystem to disk', argv: ['sysrq', n, 's'] },
      { label: 'sysrq u: remount every filesystem read-only', argv: ['sysrq', n, 'u'] },
      { label: 'cad: Ctrl-Alt-Del, init shuts the guest down cleanly', argv: ['cad', n] },
      { label: 'halt: the kernel halts at once (no init, no sync)', argv: ['halt', n] },
      { label: 'stop: the timed ladder cad, halt, SIGTERM, SIGKILL', argv: ['stop', n] },
      { label: 'kill: SIGTERM to the guest (UML shuts down quickly)', argv: ['kill', n] },
      { label: 'kill --hard: SIGKILL its whole process group (pulls the plug)', argv: ['kill', n, '--hard'] },
      { label: 'restart: stop (the whole ladder if needed), then boot again', argv: ['restart', n] },
    );
    return steps;
  }
  if (g.state === 'stale') {
    steps.push({ label: 'clean: remove the dead guest\'s umid directory (stale socket, pid file)', argv: ['clean', n] });
  } else if (g.state !== 'stopping') {
    steps.push({ label: `${g.adopted ? 'restart: boot it again from the command line it ran with' : 'restart: boot it again from its definition'}`, argv: ['restart', n] });
  }
  steps.push(
    { label: 'log: the end of con0 (a panic and what led to it)', argv: [], view: 'log' },
    { label: 'events: state changes, stop steps and notifications', argv: [], view: 'events' },
  );
  return steps;
}
