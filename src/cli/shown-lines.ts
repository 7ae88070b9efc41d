// What a console already shows, as lines (`umux wait --recent N`): the attach snapshot rendered into a terminal
// model, rows joined where they wrapped, up to the cursor (the line being written, such as a prompt, to the cursor).

import type { ScreenSnapshotWire } from '../protocol/wire-messages.js';
import { Screen } from '../term/screen.js';

export interface ShownLines {
  /** Complete lines, oldest first, at most `count` (fewer when the partial line counts as one). */
  lines: string[];
  /** The cursor's line: what is being written now ('' when the cursor is at the start of an empty line). */
  partial: string;
}

export async function shownLines(snapshot: ScreenSnapshotWire, count: number): Promise<ShownLines> {
  const screen = new Screen({ cols: snapshot.cols, rows: snapshot.rows, scrollback: count + snapshot.rows });
  try {
    await screen.write(snapshot.data);
    const buffer = screen.buffer;
    const cursorLine = buffer.baseY + buffer.cursorY;
    const logical: string[] = [];
    for (let i = 0; i <= cursorLine; i++) {
      // The cursor's line up to the cursor, blanks kept: a prompt's last space counts ('login: ' ends with it).
      const text = i === cursorLine ? (buffer.getLine(i)?.translateToString(false, 0, buffer.cursorX) ?? '') : screen.lineText(i);
      if (buffer.getLine(i)?.isWrapped && logical.length > 0) logical[logical.length - 1] += text;
      else logical.push(text);
    }
    const partial = logical.pop() ?? '';
    const room = partial === '' ? count : count - 1;
    return { lines: room > 0 ? logical.slice(-room) : [], partial: count > 0 ? partial : '' };
  } finally {
    screen.dispose();
  }
}
