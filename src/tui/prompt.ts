// The line at the foot of the screen that reads a command, a search or an answer: a question label, a LineEditor
// fed the admin's keystrokes, Tab completion with the candidates listed above it, and history walked with Up/Down.

import blessed from './blessed-lite.js';
import type { Widgets } from 'blessed';
import type { Disposable } from '../core/disposable.js';
import { showControls } from '../core/terminal-text.js';
import { escapeTags } from './cells.js';
import type { Completion } from './complete.js';
import { LineEditor } from './line-editor.js';
import { textWidth } from './text-width.js';

export interface PromptOptions {
  label: string;
  history?: readonly string[];
  initial?: string;
  complete?: (line: string, cursor: number) => Completion;
  /** Called on every edit (incremental search). */
  onChange?: (line: string) => void;
  /** A line shown above the prompt until the first edit: why the last answer was refused. */
  note?: string;
}

export interface PromptStyle {
  label: { fg: string; bg: string };
  input: { fg: string; bg: string };
}

const MAX_CANDIDATE_ROWS = 8;

export class PromptLine implements Disposable {
  private readonly question: Widgets.BoxElement;
  private readonly input: Widgets.BoxElement;
  private readonly candidates: Widgets.BoxElement;
  private editor: LineEditor | undefined;
  private opts: PromptOptions | undefined;
  private resolve: ((value: string | undefined) => void) | undefined;

  constructor(
    private readonly screen: Widgets.Screen,
    private readonly repaint: () => void,
  ) {
    this.question = blessed.box({ parent: screen, bottom: 0, left: 0, width: 1, height: 1, hidden: true, tags: false });
    this.input = blessed.box({ parent: screen, bottom: 0, left: 1, width: 1, height: 1, hidden: true, tags: true });
    this.candidates = blessed.box({ parent: screen, bottom: 1, left: 0, width: '100%', height: 1, hidden: true, tags: true, border: 'line' });
  }

  get active(): boolean {
    return this.editor !== undefined;
  }

  get line(): string {
    return this.editor?.line ?? '';
  }

  setStyle(style: PromptStyle): void {
    this.question.style = { fg: style.label.fg, bg: style.label.bg };
    this.input.style = { fg: style.input.fg, bg: style.input.bg };
    this.candidates.style = { fg: style.input.fg, bg: style.input.bg, border: { fg: style.label.fg } };
  }

  /** Reads one line; undefined when the admin cancels (Esc, C-c, C-g). A prompt already open is cancelled. */
  read(opts: PromptOptions): Promise<string | undefined> {
    this.finish(undefined);
    this.opts = opts;
    this.editor = new LineEditor({ history: opts.history ?? [], ...(opts.initial !== undefined ? { initial: opts.initial } : {}) });
    return new Promise((resolve) => {
      this.resolve = resolve;
      if (opts.note) this.showCandidates([`{red-fg}${escapeTags(opts.note)}{/red-fg}`]);
      this.draw();
    });
  }

  /** Takes the admin's keystrokes while open. */
  feed(bytes: Uint8Array): void {
    const editor = this.editor;
    if (!editor) return;
    for (const ev of editor.feed(bytes)) {
      if (ev.kind === 'submit') return this.finish(ev.line);
      if (ev.kind === 'cancel') return this.finish(undefined);
      if (ev.kind === 'complete') {
        this.completeWord(editor);
        // What was typed after the Tab in the same chunk goes on after the completion.
        if (ev.rest?.length) return this.feed(ev.rest);
      } else {
        this.candidates.hide();
        this.opts?.onChange?.(editor.line);
      }
    }
    this.draw();
  }

  private completeWord(editor: LineEditor): void {
    const c = this.opts?.complete?.(editor.line, editor.cursor);
    if (!c || c.candidates.length === 0) {
      this.showCandidates(['{red-fg}no completion here{/red-fg}']);
      return;
    }
    const word = editor.line.slice(c.start, c.end);
    if (c.candidates.length === 1) {
      const v = c.candidates[0]!.value;
      editor.replace(c.start, c.end, /[=:]$/.test(v) ? v : `${v} `);
      this.candidates.hide();
      this.opts?.onChange?.(editor.line);
      return;
    }
    if (c.common.length > word.length) {
      editor.replace(c.start, c.end, c.common);
      this.opts?.onChange?.(editor.line);
    }
    const width = Math.max(...c.candidates.map((x) => x.value.length));
    this.showCandidates(c.candidates.map((x) => `${escapeTags(x.value.padEnd(width))}${x.note ? `  {gray-fg}${escapeTags(x.note)}{/gray-fg}` : ''}`));
  }

  private showCandidates(rows: string[]): void {
    const shown = rows.slice(0, MAX_CANDIDATE_ROWS);
    if (rows.length > shown.length) shown.push(`… ${rows.length - shown.length} more: type more letters`);
    this.candidates.height = shown.length + 2;
    this.candidates.setContent(shown.join('\n'));
    this.candidates.show();
    this.candidates.setFront();
  }

  private draw(): void {
    const editor = this.editor;
    if (!editor || !this.opts) return;
    const total = Number(this.screen.width);
    // The question may name guests (tags are off here): control characters shown, never passed to the terminal.
    const label = showControls(this.opts.label);
    const labelWidth = Math.min(textWidth(label), Math.max(1, total - 10));
    this.question.setContent(label);
    this.question.width = labelWidth;
    this.input.left = labelWidth;
    this.input.width = Math.max(1, total - labelWidth);
    const view = editor.view(Math.max(1, total - labelWidth - 1));
    const chars = [...view.text];
    // The cursor cell is drawn inverse; the text is the admin's own, escaped like everything else.
    let col = 0;
    let out = '';
    let placed = false;
    for (const ch of chars) {
      if (!placed && col >= view.cursorCol) {
        out += `{inverse}${escapeTags(ch)}{/inverse}`;
        placed = true;
      } else out += escapeTags(ch);
      col += textWidth(ch);
    }
    if (!placed) out += '{inverse} {/inverse}';
    this.input.setContent(out);
    this.question.show();
    this.input.show();
    this.question.setFront();
    this.input.setFront();
    this.repaint();
  }

  private finish(value: string | undefined): void {
    const resolve = this.resolve;
    this.editor = undefined;
    this.opts = undefined;
    this.resolve = undefined;
    this.question.hide();
    this.input.hide();
    this.candidates.hide();
    this.repaint();
    resolve?.(value);
  }

  dispose(): void {
    this.finish(undefined);
    this.question.destroy();
    this.input.destroy();
    this.candidates.destroy();
  }
}
