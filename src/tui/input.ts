// Where what the admin types goes: the prompt while it reads, nowhere while an overlay has the keyboard, scroll keys
// in scroll mode, else the focused guest, except prefix + key (an action, actions.ts). Mouse reports are read here.

import type { Disposable } from '../core/disposable.js';
import { runLine } from './actions.js';
import { PrefixKeys, type KeyEvent } from './keys.js';
import { mouseReports, stripMouse, type MouseReport } from './mouse.js';
import type { PaneView } from './pane-view.js';
import { SIDEBAR_WIDTH } from './sidebar.js';
import { takeSyncReply } from './sync-output.js';
import type { TuiParts } from './tui-parts.js';

/** The key that closes an overlay (blessed's key handler in overlays.ts). */
const CLOSE_KEY = 0x71; // q

export class InputRouter implements Disposable {
  private readonly prefixKeys: PrefixKeys;

  /** `prefix` is the prefix key's byte; with `mouse`, clicks focus and the wheel scrolls. */
  constructor(
    private readonly tui: TuiParts,
    prefix: number,
    private readonly mouse: boolean,
  ) {
    this.prefixKeys = new PrefixKeys(prefix, tui.keys.keymap);
    // Before blessed's own listener: a key that closes an overlay (q, Esc) is seen while the overlay is still open,
    // so it never reaches the guest too.
    process.stdin.prependListener('data', this.onInput);
    if (mouse) tui.ui.blessed.program.enableMouse();
    tui.ui.querySync();
  }

  private readonly onInput = (chunk: Buffer): void => {
    const { prompt, overlays, workspace, scroll, status } = this.tui;
    let bytes: Uint8Array = new Uint8Array(chunk);
    // The terminal's answer about synchronized output is never typed: it goes to the screen, never to a guest.
    const sync = takeSyncReply(bytes);
    if (sync.supported !== undefined) {
      this.tui.ui.syncReply(sync.supported);
      bytes = sync.rest;
    }
    if (this.mouse) {
      // Read here: blessed misses reports that arrive together.
      if (!overlays.modal && !prompt.active) for (const m of mouseReports(bytes)) this.onMouse(m);
      bytes = stripMouse(bytes);
    }
    if (bytes.length === 0) return;
    if (prompt.active) return prompt.feed(bytes);
    if (overlays.modal) return this.afterOverlay(bytes); // an overlay has the keyboard (blessed's key handlers)
    const p = workspace.active;
    if (p?.scroll) {
      scroll.keys(p, Buffer.from(bytes).toString('latin1')).catch((err: unknown) => status.flashError(err));
      return;
    }
    for (const ev of this.prefixKeys.feed(bytes)) {
      this.onKey(ev, p);
      // A key that opened the : line (or an overlay) takes what was typed after it in the same read (typing fast, a
      // paste): that goes to the line, not to the guest (or is dropped, read-only).
      if (ev.kind === 'command' && ev.end < bytes.length && (prompt.active || overlays.modal)) return this.onInput(Buffer.from(bytes.subarray(ev.end)));
    }
  };

  /**
   * An overlay has the keys, and blessed's own listener closes it on q. What came after that q in the same read
   * (typing fast, or a paste) is for what is under the overlay: it is fed again once the overlay has gone.
   */
  private afterOverlay(bytes: Uint8Array): void {
    const at = bytes.indexOf(CLOSE_KEY);
    if (at < 0 || at === bytes.length - 1) return;
    const rest = Buffer.from(bytes.subarray(at + 1));
    setImmediate(() => {
      if (!this.tui.overlays.modal) this.onInput(rest);
    });
  }

  private onKey(ev: KeyEvent, p: PaneView | undefined): void {
    const { status, keys, session } = this.tui;
    if (ev.kind === 'command') void runLine(this.tui, ev.line);
    else if (ev.kind === 'unbound') status.flash(`${keys.prefix} ${ev.key} is not bound (${keys.of('help')} lists the keys)`, 'error');
    else if (this.tui.readOnly) status.flash('read-only: typing is not sent to the guest', 'error');
    else if (session.away) status.flash(`not sent: no umux server (${keys.of('detach')} leaves)`, 'error');
    else if (p?.live) p.live.stream.write(ev.bytes);
    else if (p?.guest) status.flash(`${p.guest} is not running: nothing to type into (${keys.of('recover')}: recovery)`, 'error');
  }

  /** A click on a sidebar line shows that guest in the focused pane; on a pane, focuses it; the wheel scrolls. */
  private onMouse(m: MouseReport): void {
    if (m.release) return;
    const { workspace, guests, scroll } = this.tui;
    if (m.x < SIDEBAR_WIDTH - 1 && m.button === 0) {
      const name = guests.guestOnLine(m.y - 1);
      const p = workspace.active;
      if (name !== undefined && p) void workspace.show(p, name);
      return;
    }
    const i = workspace.paneAt(m.x, m.y);
    const p = workspace.panes[i];
    if (!p) return;
    if (m.button === 0) workspace.focusOn(i);
    else if (m.button === 64 || m.button === 65) void scroll.scrollBy(p, m.button === 64 ? -3 : 3);
  }

  dispose(): void {
    process.stdin.off('data', this.onInput);
  }
}
