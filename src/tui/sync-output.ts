// Synchronized output (DECSET 2026): a terminal that has it shows a frame whole, not half drawn. Asked with DECRQM
// (`ESC [ ? 2026 $ p`); the reply `ESC [ ? 2026 ; Ps $ y` says 1 or 2 where it is known (set or reset), 0 or 4 where not.
// No reply within the wait (tmux 3.3a answers none) means no.

export const SYNC_QUERY = '\x1b[?2026$p';
export const SYNC_BEGIN = '\x1b[?2026h';
export const SYNC_END = '\x1b[?2026l';
/** How long the TUI waits for the terminal's reply before it draws without synchronized output. */
export const SYNC_REPLY_MS = 500;

const REPLY = /\x1b\[\?2026;(\d+)\$y/g;

/**
 * The replies to the query in `bytes`, and the bytes without them (a reply is the terminal's, never typed: it must not
 * reach a guest). `supported` is undefined when no reply is there.
 */
export function takeSyncReply(bytes: Uint8Array): { rest: Uint8Array; supported?: boolean } {
  // Fast path: a reply starts with ESC [ ? 2.
  if (!bytes.includes(0x24)) return { rest: bytes };
  const text = Buffer.from(bytes).toString('latin1');
  let supported: boolean | undefined;
  const rest = text.replace(REPLY, (_all, ps: string) => {
    supported = ps === '1' || ps === '2';
    return '';
  });
  if (supported === undefined) return { rest: bytes };
  return { rest: new Uint8Array(Buffer.from(rest, 'latin1')), supported };
}
