// The host memory gauges over the main area (prefix g, again to close): the GaugesView's frame, shown or hidden,
// drawn again on every host sample and resize while it is shown.

import blessed from './blessed-lite.js';
import type { Widgets } from 'blessed';
import type { HostSample } from '../protocol/host-types.js';
import { GaugesView } from './gauges.js';
import type { Look } from './look.js';
import { SIDEBAR_WIDTH } from './sidebar.js';
import type { TuiScreen } from './tui-screen.js';

export class GaugesPanel {
  private readonly box: Widgets.BoxElement;
  private readonly view: GaugesView;
  private open = false;

  /** `closeKey` is how the label says to close it (`C-] g`). */
  constructor(
    private readonly ui: TuiScreen,
    private readonly look: Look,
    closeKey: string,
  ) {
    this.box = blessed.box({
      parent: ui.blessed, top: 0, left: SIDEBAR_WIDTH - 1, width: `100%-${SIDEBAR_WIDTH - 1}`, height: '100%-1', border: 'line', hidden: true, tags: true,
      label: ` host memory (${closeKey} closes) `,
    });
    this.view = new GaugesView(this.box);
  }

  get shown(): boolean {
    return this.open;
  }

  /** Opens or closes the panel. */
  toggle(host: HostSample | undefined, samples: readonly HostSample[]): void {
    this.open = !this.open;
    if (this.open) {
      this.box.show();
      this.box.setFront();
      this.draw(host, samples);
    } else {
      this.view.clear();
      this.box.hide();
      this.ui.repaint();
    }
  }

  /** Draws the newest sample and the history, while shown. */
  draw(host: HostSample | undefined, samples: readonly HostSample[]): void {
    if (!this.open || this.ui.closed || !host) return;
    this.view.show(host, [...samples], this.look.gaugesStyle());
    this.ui.repaint();
  }

  applyStyle(): void {
    const t = this.look.theme;
    this.box.style = { fg: t.fg, bg: t.bg, border: { fg: t.border } };
  }
}
