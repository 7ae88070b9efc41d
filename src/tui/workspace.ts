// The workspace of console panes: the PaneViews in the main area, their layout, the focus and the zoom, and which
// guest and console each shows (attaching again when the guest list says a shown guest runs once more).

import type { Disposable } from '../core/disposable.js';
import type { GuestSession } from '../client/session.js';
import type { GuestInfo } from '../protocol/wire-messages.js';
import type { Rect } from './layout.js';
import type { FlashLevel, Look } from './look.js';
import { PaneSlots, splitTarget } from './pane-slots.js';
import { PaneView } from './pane-view.js';
import { SIDEBAR_WIDTH } from './sidebar.js';
import type { TuiScreen } from './tui-screen.js';

export interface WorkspaceDeps {
  ui: TuiScreen;
  session: GuestSession;
  readOnly: boolean;
  look: Look;
  flash: (text: string, level?: FlashLevel) => void;
  /** The guests the server lists now. */
  guests: () => readonly GuestInfo[];
  /** After the panes moved: what shows the focus elsewhere (the sidebar, the status line) draws again. */
  laidOut: () => void;
}

export class Workspace implements Disposable {
  private readonly slots = new PaneSlots<PaneView>();
  private disposed = false;

  constructor(private readonly deps: WorkspaceDeps) {}

  get panes(): readonly PaneView[] {
    return this.slots.all;
  }

  get active(): PaneView | undefined {
    return this.slots.active;
  }

  get activeIndex(): number {
    return this.slots.activeIndex;
  }

  get zoomed(): boolean {
    return this.slots.zoomed !== undefined;
  }

  get full(): boolean {
    return this.slots.full;
  }

  /** The guest the focused pane shows, as the server lists it. */
  focusedGuest(): GuestInfo | undefined {
    const name = this.active?.guest;
    return this.deps.guests().find((g) => g.name === name);
  }

  /** Shows guest `name` (its console number `consoleIndex`) in pane `p`; the layout is drawn before and after attaching. */
  async show(p: PaneView, name: string | undefined, consoleIndex = 0): Promise<void> {
    const pending = p.show(this.deps.guests().find((x) => x.name === name), consoleIndex);
    this.layout();
    await pending;
    p.box.style = this.deps.look.paneStyle();
    this.layout();
  }

  /** After a new guest list: a first pane once there is a guest, and panes attach again to guests that run again. */
  async attachAll(): Promise<void> {
    const guests = this.deps.guests();
    if (this.disposed) return;
    if (this.slots.count === 0 && guests.length > 0) {
      const first = this.newPane();
      this.slots.insert(first);
      await this.show(first, guests[0]!.name);
    }
    for (const p of this.slots.all) {
      const g = guests.find((x) => x.name === p.guest);
      if (p.wantsAttach(g)) await this.show(p, p.guest, p.consoleIndex);
    }
  }

  /** Opens a pane after the focused one on the next guest not shown yet (see splitTarget); false when none to show. */
  async split(): Promise<boolean> {
    const p = this.active;
    const target = splitTarget(this.deps.guests().map((g) => g.name), new Set(this.slots.all.map((x) => x.guest)), p);
    if (!target) return false;
    const q = this.newPane();
    this.slots.insert(q);
    await this.show(q, target.guest, target.consoleIndex);
    return true;
  }

  /** Closes the focused pane (its guest keeps running). */
  close(): void {
    this.slots.removeActive()?.dispose();
    this.layout();
  }

  toggleZoom(): void {
    this.slots.toggleZoom();
    this.layout();
  }

  nextPane(): void {
    this.slots.next();
    this.layout();
  }

  /** The pane at screen cell (x, y), if any. */
  paneAt(x: number, y: number): number {
    return this.slots.all.findIndex(({ box: b }) => b.visible && x >= Number(b.aleft) && x < Number(b.aleft) + Number(b.width) && y >= Number(b.atop) && y < Number(b.atop) + Number(b.height));
  }

  focusOn(i: number): void {
    if (i === this.slots.activeIndex) return;
    this.slots.focusOn(i);
    this.layout();
  }

  /** The main area, right of the sidebar and above the status line (the panes share the sidebar's right border). */
  private area(): Rect {
    const width = Math.max(1, this.deps.ui.width - SIDEBAR_WIDTH + 1);
    const height = Math.max(1, this.deps.ui.height - 1);
    return { left: SIDEBAR_WIDTH - 1, top: 0, width, height };
  }

  /** Places every pane and marks the focused one (in colour only when there are several, always under NO_COLOR). */
  layout(): void {
    const rects = this.slots.rects(this.area());
    const t = this.deps.look.theme;
    const style = { border: t.border, focus: t.borderFocus, mono: this.deps.look.noColor };
    const several = this.slots.count > 1 || this.deps.look.noColor;
    this.slots.all.forEach((p, i) => {
      p.background = rects[i] === undefined || i !== this.slots.activeIndex;
      p.place(rects[i], i === this.slots.activeIndex && several, style);
    });
    this.deps.laidOut();
  }

  /** A new theme: every pane's box, and the consoles painted again (their colours may be on or off now). */
  restyle(): void {
    for (const p of this.slots.all) p.box.style = this.deps.look.paneStyle();
    this.layout();
    for (const p of this.slots.all) p.live?.schedule();
  }

  private newPane(): PaneView {
    const { ui, session, readOnly, look, flash } = this.deps;
    return new PaneView(ui.blessed, { session, readOnly, colors: () => look.theme.paneColors, repaint: ui.repaint, repaintCells: ui.repaintCells, flash });
  }

  dispose(): void {
    this.disposed = true;
    for (const p of this.slots.clear()) p.dispose();
  }
}
