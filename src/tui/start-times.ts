// Where the TUI's first frame went (the scale bench's first-paint profile): ms since the process started
// (performance.now()), the first time each step was reached; written with UMUX_TUI_STATS on leaving.

/** In order: main() running, the TUI's modules loaded, the server's hello, the screen made, the first guest list
 * drawn, the first pane frame drawn into cells, and the first frame on the terminal with a pane in it. */
export type StartStep = 'main' | 'loaded' | 'connected' | 'screen' | 'listed' | 'pane' | 'painted';

const times: Partial<Record<StartStep, number>> = {};
let afterPaint: (() => void) | undefined;

export function startStep(step: StartStep): void {
  if (times[step] !== undefined) return;
  times[step] = Math.round(performance.now() * 10) / 10;
  if (step === 'painted' && afterPaint) setImmediate(afterPaint);
}

/** `done` runs once, on the turn after the first frame with a pane reached the terminal (the launcher's code cache). */
export function afterFirstPaint(done: () => void): void {
  afterPaint = done;
}

export function reachedStep(step: StartStep): boolean {
  return times[step] !== undefined;
}

export function startTimes(): Partial<Record<StartStep, number>> {
  return { ...times };
}
