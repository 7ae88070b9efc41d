// The workspace's bookkeeping (pure): the panes in order, which one has the focus, which one is zoomed, where each
// goes, and which guest a new pane or prefix n/p shows. The Workspace keeps its PaneViews here.

import { MAX_PANES, paneRects, type Rect } from './layout.js';

export class PaneSlots<T> {
  private items: T[] = [];
  private focus = 0;
  private zoom: number | undefined;

  get all(): readonly T[] {
    return this.items;
  }

  get count(): number {
    return this.items.length;
  }

  get full(): boolean {
    return this.items.length >= MAX_PANES;
  }

  /** The focused pane's index. */
  get activeIndex(): number {
    return this.focus;
  }

  get active(): T | undefined {
    return this.items[this.focus];
  }

  get zoomed(): number | undefined {
    return this.zoom;
  }

  /** Adds a pane right after the focused one (the first pane: the only one) and focuses it; a zoom ends. */
  insert(item: T): void {
    if (this.items.length === 0) {
      this.items.push(item);
      this.focus = 0;
    } else {
      this.items.splice(this.focus + 1, 0, item);
      this.focus += 1;
    }
    this.zoom = undefined;
  }

  /** Takes the focused pane out (the focus goes to the one after it, or the new last); a zoom ends. */
  removeActive(): T | undefined {
    const [gone] = this.items.splice(this.focus, 1);
    this.focus = Math.max(0, Math.min(this.focus, this.items.length - 1));
    this.zoom = undefined;
    return gone;
  }

  /** Zooms the focused pane, or ends the zoom. */
  toggleZoom(): void {
    this.zoom = this.zoom === undefined ? this.focus : undefined;
  }

  /** The focus to the next pane (the zoom follows it). */
  next(): void {
    this.focus = (this.focus + 1) % Math.max(1, this.items.length);
    if (this.zoom !== undefined) this.zoom = this.focus;
  }

  /** The focus to pane `i` (a click). */
  focusOn(i: number): void {
    if (i >= 0 && i < this.items.length) this.focus = i;
  }

  /** Each pane's rectangle in `area` (undefined: hidden behind a zoomed one). */
  rects(area: Rect): Array<Rect | undefined> {
    return paneRects(this.items.length, area, this.zoom);
  }

  /** Empties the slots, handing back what they held (to be disposed). */
  clear(): T[] {
    const all = this.items;
    this.items = [];
    this.focus = 0;
    this.zoom = undefined;
    return all;
  }
}

/** The guest `step` places from `current` in the sidebar's order, wrapping around (from none: as from before the first). */
export function stepGuest(guests: readonly string[], current: string | undefined, step: number): string | undefined {
  if (guests.length === 0) return undefined;
  const at = guests.indexOf(current as string);
  return guests[(((at + step) % guests.length) + guests.length) % guests.length];
}

/**
 * What a new pane shows: the first guest after the focused pane's in the sidebar that no pane shows, else the
 * focused pane's guest again on its next console.
 */
export function splitTarget(guests: readonly string[], shown: ReadonlySet<string | undefined>, focused: { guest: string | undefined; consoleIndex: number } | undefined): { guest: string; consoleIndex: number } | undefined {
  if (guests.length === 0) return undefined;
  const from = Math.max(0, guests.indexOf(focused?.guest as string));
  const pick = guests.map((_, k) => guests[(from + 1 + k) % guests.length]!).find((g) => !shown.has(g)) ?? guests[from]!;
  return { guest: pick, consoleIndex: focused && pick === focused.guest ? focused.consoleIndex + 1 : 0 };
}
