// Where the TUI's first frame went (the scale bench's first-paint profile): ms since the process started
// (performance.now()), the first time each step was reached; written with UMUX_TUI_STATS on leaving.

/** In order: main() running, the TUI's modules loaded, the server's hello, the screen made, the first guest list
 * drawn, the first pane frame drawn into cells, and the first frame on the terminal with a pane in it. */
export type StartStep = 'main' | 'loaded' | 'connected' | 'screen' | 'listed' | 'pane' | 'painted';

const times: Partial<Record<StartStep, number>> = {};

export function startStep(step: StartStep): void {
  times[step] ??= Math.round(performance.now() * 10) / 10;
}

export function reachedStep(step: StartStep): boolean {
  return times[step] !== undefined;
}

export function startTimes(): Partial<Record<StartStep, number>> {
  return { ...times };
}
