// Where the host memory gauges panel goes before it is first opened: gauges-panel.ts and its charts are loaded by
// the first prefix g, not at start (the first frame never shows them); until then drawing and styling do nothing.

import type { HostSample } from '../protocol/host-types.js';
import type { GaugesPanel } from './gauges-panel.js';

export class GaugesSlot {
  private panel: GaugesPanel | undefined;
  private loading: Promise<void> | undefined;

  /** `make` loads and builds the panel; `current` gives the newest sample and history when it is ready. */
  constructor(
    private readonly make: () => Promise<GaugesPanel>,
    private readonly current: () => { host: HostSample | undefined; samples: readonly HostSample[] },
    private readonly failed: (why: string) => void,
    /** The panel was opened (the history behind its charts is wanted now). */
    private readonly opened: () => void = () => undefined,
  ) {}

  get shown(): boolean {
    return this.panel?.shown ?? false;
  }

  /** Opens or closes the panel; the first time, once its code is loaded. */
  toggle(): void {
    if (this.panel) {
      const { host, samples } = this.current();
      this.panel.toggle(host, samples);
      if (this.panel.shown) this.opened();
      return;
    }
    this.loading ??= this.make().then(
      (panel) => {
        this.panel = panel;
        panel.applyStyle();
        const { host, samples } = this.current();
        panel.toggle(host, samples);
        if (panel.shown) this.opened();
      },
      (err: Error) => {
        this.loading = undefined;
        this.failed(`cannot show the gauges: ${err.message}`);
      },
    );
  }

  draw(): void {
    const { host, samples } = this.current();
    this.panel?.draw(host, samples);
  }

  applyStyle(): void {
    this.panel?.applyStyle();
  }
}
