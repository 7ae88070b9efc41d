// Splits what the admin types into bytes for the focused guest and prefix-key actions (tmux's prefix table): the
// prefix, then one key, names an action; the prefix twice sends the prefix itself to the guest.

import { UsageError } from '../core/errors.js';
import { KEYMAP, PREFIX_HINT, PREFIX_WHAT, prefixByte, type ActionName, type KeyAction } from '../commands/keymap.js';

// The key map and its actions live in commands/ (pure), so tui.toml's reader can check [keys] against them.
export { ACTIONS, applyKeyOverrides, KEYMAP, type ActionName, type KeyAction } from '../commands/keymap.js';

export type KeyEvent = { kind: 'guest'; bytes: Uint8Array } | { kind: 'action'; action: string } | { kind: 'unbound'; key: string };

/** `C-]` → 0x1d, `C-g` → 0x07: the byte of a Control-letter key name; `source` names where it came from. */
export function parsePrefix(name: string, source = 'UMUX_PREFIX'): number {
  const byte = prefixByte(name);
  if (byte !== undefined) return byte;
  throw new UsageError(`${source}: expected ${PREFIX_WHAT}, got ${JSON.stringify(name)}`, { hint: PREFIX_HINT });
}

export class PrefixKeys {
  private armed = false;

  constructor(
    readonly prefix: number,
    private readonly keymap: readonly KeyAction[] = KEYMAP,
  ) {}

  get waitingForKey(): boolean {
    return this.armed;
  }

  feed(bytes: Uint8Array): KeyEvent[] {
    const events: KeyEvent[] = [];
    let start = 0;
    const flush = (end: number) => {
      if (end > start) events.push({ kind: 'guest', bytes: bytes.slice(start, end) });
    };
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (this.armed) {
        this.armed = false;
        start = i + 1;
        if (b === this.prefix) {
          events.push({ kind: 'guest', bytes: Uint8Array.of(b) });
          continue;
        }
        const key = String.fromCharCode(b);
        const bound = this.keymap.find((k) => k.key === key);
        events.push(bound ? { kind: 'action', action: bound.action } : { kind: 'unbound', key });
        continue;
      }
      if (b === this.prefix) {
        flush(i);
        this.armed = true;
        start = i + 1;
      }
    }
    if (!this.armed) flush(bytes.length);
    return events;
  }
}

/** How the TUI's messages name a key: `C-] d` (the default key when the map leaves that action unbound). */
export class KeyHints {
  constructor(
    readonly prefix: string,
    readonly keymap: readonly KeyAction[],
  ) {}

  key(action: ActionName): string {
    return (this.keymap.find((k) => k.action === action) ?? KEYMAP.find((k) => k.action === action))?.key ?? '?';
  }

  /** The prefix and the key of `action`, as the admin types them. */
  of(action: ActionName): string {
    return `${this.prefix} ${this.key(action)}`;
  }
}
