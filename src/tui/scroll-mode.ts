// Scroll mode of a pane: its console's history (scrollback.ts) moved through with less/vi keys (scroll-keys.ts),
// searched as the admin types at a `/` or `?` prompt, { and } between boots, scrolled by the mouse wheel; q goes back
// to the live console.

import type { FlashLevel } from './look.js';
import type { PaneView } from './pane-view.js';
import type { PromptLine } from './prompt.js';
import type { Scrollback, ScrollbackStyle } from './scrollback.js';
import { scrollActions, type ScrollAction } from './scroll-keys.js';

export interface ScrollModeDeps {
  prompt: PromptLine;
  flash: (text: string, level?: FlashLevel) => void;
  /** The status line shows the scroll position: drawn again after every move. */
  drawStatus: () => void;
  style: () => ScrollbackStyle;
}

/** Moves that only change the view (the rest need a prompt, a message, or end the mode). */
const MOVES: Partial<Record<ScrollAction, (s: Scrollback) => void>> = {
  up: (s) => s.scroll(-1),
  down: (s) => s.scroll(1),
  'page-up': (s) => s.scroll(-(s.height - 1)),
  'page-down': (s) => s.scroll(s.height - 1),
  top: (s) => s.toTop(),
  bottom: (s) => s.toBottom(),
  times: (s) => (s.showTimes = !s.showTimes),
};

export class ScrollMode {
  constructor(private readonly deps: ScrollModeDeps) {}

  /** Puts pane `p` in scroll mode (fetching its history); undefined when there is nothing to scroll. */
  async enter(p: PaneView | undefined): Promise<Scrollback | undefined> {
    if (!p) return undefined;
    const s = await p.enterScrollback(this.deps.style);
    this.deps.drawStatus();
    return s;
  }

  /** The wheel: scrolls `p` by `delta` lines; scrolling up enters scroll mode. */
  async scrollBy(p: PaneView, delta: number): Promise<void> {
    const s = p.scroll ?? (delta < 0 ? await this.enter(p) : undefined);
    if (!s) return;
    s.scroll(delta);
    this.redraw(p);
  }

  /** Reads a search at the prompt, moving to the first match as it is typed; Esc puts the view back where it was. */
  async search(p: PaneView, backward: boolean): Promise<void> {
    const s = p.scroll;
    if (!s) return;
    const before = { top: s.top, query: s.query };
    s.beginSearch();
    const query = await this.deps.prompt.read({
      label: backward ? '?' : '/',
      onChange: (q) => {
        s.search(q, backward);
        this.redraw(p);
      },
    });
    if (query === undefined) {
      s.search(before.query, backward);
      s.top = before.top;
    } else if (query !== '' && !s.search(query, backward)) this.deps.flash(`"${query}" is not in the last ${s.lines.length} lines`, 'error');
    s.lastBackward = backward;
    this.redraw(p);
  }

  /** Keys typed while `p` is in scroll mode. */
  async keys(p: PaneView, chunk: string): Promise<void> {
    const s = p.scroll!;
    for (const action of scrollActions(chunk)) {
      const move = MOVES[action];
      if (move) move(s);
      else if (action === 'search' || action === 'search-back') return this.search(p, action === 'search-back');
      else if (action === 'boot-prev' || action === 'boot-next') {
        const why = s.jumpBoot(action === 'boot-prev');
        if (why) this.deps.flash(why);
      } else if (action === 'next' || action === 'prev') {
        if (!s.query) this.deps.flash('no search yet: / searches', 'error');
        else if (s.step(action === 'prev' ? !s.lastBackward : s.lastBackward)) this.deps.flash('search wrapped around');
      } else if (action === 'quit') {
        p.leaveScrollback();
        this.deps.drawStatus();
        return;
      }
    }
    this.redraw(p);
  }

  private redraw(p: PaneView): void {
    p.paintScroll();
    this.deps.drawStatus();
  }
}
