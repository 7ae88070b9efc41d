// Keys of scrollback mode (pure): less/vi-like movement, / and ? to search, n/N between matches, { and } between
// boots, t for the time column, q or Esc to go back to the live console. The table is the help text too.

export type ScrollAction = 'up' | 'down' | 'page-up' | 'page-down' | 'top' | 'bottom' | 'search' | 'search-back' | 'next' | 'prev' | 'boot-prev' | 'boot-next' | 'times' | 'quit';

export const SCROLL_KEYS: ReadonlyArray<{ keys: string; action: ScrollAction; summary: string; seqs: readonly string[] }> = [
  { keys: 'Up k', action: 'up', summary: 'one line up', seqs: ['\x1b[A', '\x1bOA', 'k'] },
  { keys: 'Down j Enter', action: 'down', summary: 'one line down', seqs: ['\x1b[B', '\x1bOB', 'j', '\r'] },
  { keys: 'PgUp b C-b', action: 'page-up', summary: 'one page up', seqs: ['\x1b[5~', 'b', '\x02'] },
  { keys: 'PgDn Space C-f', action: 'page-down', summary: 'one page down', seqs: ['\x1b[6~', ' ', '\x06'] },
  { keys: 'g Home', action: 'top', summary: 'the oldest line', seqs: ['g', '\x1b[H', '\x1b[1~', '\x1bOH'] },
  { keys: 'G End', action: 'bottom', summary: 'the newest line', seqs: ['G', '\x1b[F', '\x1b[4~', '\x1bOF'] },
  { keys: '/', action: 'search', summary: 'search forward as you type (no capital letter: any case)', seqs: ['/'] },
  { keys: '?', action: 'search-back', summary: 'search backward', seqs: ['?'] },
  { keys: 'n', action: 'next', summary: 'the next match', seqs: ['n'] },
  { keys: 'N', action: 'prev', summary: 'the previous match', seqs: ['N'] },
  { keys: '{', action: 'boot-prev', summary: 'the start of this boot, then of the one before', seqs: ['{'] },
  { keys: '}', action: 'boot-next', summary: 'the start of the next boot', seqs: ['}'] },
  { keys: 't', action: 'times', summary: 'show or hide when each line arrived', seqs: ['t'] },
  { keys: 'q Esc', action: 'quit', summary: 'back to the live console', seqs: ['q', '\x1b', '\x03'] },
];

const BY_SEQ: ReadonlyMap<string, ScrollAction> = new Map(SCROLL_KEYS.flatMap((k) => k.seqs.map((s) => [s, k.action] as const)));

/** The actions in a chunk of input: whole escape sequences first, then single characters; anything else is dropped. */
export function scrollActions(chunk: string): ScrollAction[] {
  const out: ScrollAction[] = [];
  let i = 0;
  while (i < chunk.length) {
    const seq = /^\x1b(\[[0-9;]*[~A-Za-z]|O[A-Za-z])/.exec(chunk.slice(i));
    const key = seq ? seq[0] : chunk[i]!;
    const action = BY_SEQ.get(key);
    if (action) out.push(action);
    i += key.length;
  }
  return out;
}
