// Overlays over the main area: a scrollable text view (replies, help, events; q closes) and a pick list (the
// recovery menu). Each is modal while shown and hands the keyboard back when closed.

import blessed from './blessed-lite.js';
import type { Widgets } from 'blessed';
import type { Disposable } from '../core/disposable.js';
import { escapeTags } from './cells.js';

export interface OverlayStyle {
  fg: string;
  bg: string;
  border: string;
  selected: { fg: string; bg: string };
}

export class Overlays implements Disposable {
  private readonly text: Widgets.BoxElement;
  private readonly list: Widgets.ListElement;
  private closeList: ((index: number | undefined) => void) | undefined;
  /** An overlay has the keyboard (blessed's key handlers): from showing one until it is closed. */
  modal = false;

  constructor(
    private readonly screen: Widgets.Screen,
    private readonly repaint: () => void,
  ) {
    this.text = blessed.box({
      parent: screen, top: 'center', left: 'center', width: '80%', height: '70%', border: 'line', hidden: true, scrollable: true,
      alwaysScroll: true, keys: true, vi: true, tags: true, label: ' reply (q closes) ',
    });
    this.text.key(['q', 'escape', 'enter'], () => this.closeText());
    this.list = blessed.list({
      parent: screen, top: 'center', left: 'center', width: '70%', height: 14, border: 'line', hidden: true, keys: true, vi: true,
      tags: true, label: ' ', items: [],
    });
    this.list.on('select', (_item, index) => this.pickDone(index));
    this.list.key(['q', 'escape'], () => this.pickDone(undefined));
  }

  get open(): boolean {
    return this.text.visible || this.list.visible;
  }

  setStyle(s: OverlayStyle): void {
    this.text.style = { fg: s.fg, bg: s.bg, border: { fg: s.border } };
    this.list.style = { fg: s.fg, bg: s.bg, border: { fg: s.border }, item: { fg: s.fg, bg: s.bg }, selected: { fg: s.selected.fg, bg: s.selected.bg, bold: true } };
  }

  /** Shows text (escaped: it may hold guest output) with a label; `end` scrolls to the bottom. */
  showText(text: string, label = ' reply (q closes) ', end = false): void {
    this.modal = true;
    this.text.setLabel(escapeTags(label));
    this.text.setContent(escapeTags(text));
    this.text.show();
    this.text.setFront();
    this.text.focus();
    this.text.setScrollPerc(end ? 100 : 0);
    this.repaint();
  }

  closeText(): void {
    if (!this.text.visible) return;
    this.text.hide();
    this.modal = false;
    this.repaint();
  }

  /** A pick list; resolves with the chosen index, or undefined on q/Esc. */
  pick(label: string, items: readonly string[]): Promise<number | undefined> {
    this.pickDone(undefined);
    this.modal = true;
    this.list.setLabel(escapeTags(` ${label} (Enter runs, q closes) `));
    this.list.setItems(items.map(escapeTags) as unknown as Widgets.BlessedElement[]);
    this.list.height = Math.min(items.length + 2, Math.max(3, Number(this.screen.height) - 2));
    this.list.select(0);
    this.list.show();
    this.list.setFront();
    this.list.focus();
    this.repaint();
    return new Promise((resolve) => (this.closeList = resolve));
  }

  private pickDone(index: number | undefined): void {
    const resolve = this.closeList;
    this.closeList = undefined;
    if (this.list.visible) {
      this.list.hide();
      this.modal = false;
      this.repaint();
    }
    resolve?.(index);
  }

  dispose(): void {
    this.pickDone(undefined);
    this.text.destroy();
    this.list.destroy();
  }
}
