// Where the console panes go (pure): 1 to 4 panes tiled over the main area like tmux's tiled layout, neighbours
// sharing a border line, or one zoomed pane filling it all.

export interface Rect {
  left: number;
  top: number;
  width: number;
  height: number;
}

export const MAX_PANES = 4;
/** Below this width two panes stack rather than stand side by side (a guest console is 80 columns). */
export const SIDE_BY_SIDE_MIN_WIDTH = 120;

/** Splits [start, start+size) into `parts` spans that overlap by one cell (the shared border). */
function spans(start: number, size: number, parts: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  // n spans sharing n-1 border cells cover size + (n-1) cells in all.
  const total = size + parts - 1;
  let at = start;
  for (let i = 0; i < parts; i++) {
    const len = Math.floor(total / parts) + (i < total % parts ? 1 : 0);
    out.push([at, Math.max(1, len)]);
    at += len - 1;
  }
  return out;
}

/**
 * The rectangle of each of `count` panes in `area`; with `zoomed` set, that pane gets the whole area and the others
 * none (undefined: hidden). Two panes stand side by side on a wide area and stack on a narrow one; three put the
 * first on one side and the other two on the other; four make a 2×2 grid.
 */
export function paneRects(count: number, area: Rect, zoomed?: number): Array<Rect | undefined> {
  const n = Math.max(1, Math.min(MAX_PANES, count));
  if (zoomed !== undefined && zoomed >= 0 && zoomed < n) return Array.from({ length: n }, (_, i) => (i === zoomed ? { ...area } : undefined));
  const cols = (parts: number) => spans(area.left, area.width, parts);
  const rows = (parts: number) => spans(area.top, area.height, parts);
  const rect = ([left, width]: [number, number], [top, height]: [number, number]): Rect => ({ left, top, width, height });
  const whole: [number, number] = [area.left, area.width];
  const tall: [number, number] = [area.top, area.height];
  const wide = area.width >= SIDE_BY_SIDE_MIN_WIDTH;
  switch (n) {
    case 1:
      return [{ ...area }];
    case 2:
      return wide ? cols(2).map((c) => rect(c, tall)) : rows(2).map((r) => rect(whole, r));
    case 3: {
      if (wide) {
        const [a, b] = cols(2) as [[number, number], [number, number]];
        const [r1, r2] = rows(2) as [[number, number], [number, number]];
        return [rect(a, tall), rect(b, r1), rect(b, r2)];
      }
      const [r1, r2] = rows(2) as [[number, number], [number, number]];
      const [a, b] = cols(2) as [[number, number], [number, number]];
      return [rect(whole, r1), rect(a, r2), rect(b, r2)];
    }
    default: {
      const [a, b] = cols(2) as [[number, number], [number, number]];
      const [r1, r2] = rows(2) as [[number, number], [number, number]];
      return [rect(a, r1), rect(b, r1), rect(a, r2), rect(b, r2)];
    }
  }
}
