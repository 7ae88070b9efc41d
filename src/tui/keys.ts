// Splits what the admin types into bytes for the focused guest and prefix-key commands (tmux's prefix table): the
// prefix, then one key, runs the command line bound to it; the prefix twice sends the prefix itself to the guest.

import { UsageError } from '../core/errors.js';
import { KEYMAP, PREFIX_HINT, PREFIX_WHAT, prefixByte, type KeyBinding } from '../commands/keymap.js';

// The key map and its actions live in commands/ (pure), so tui.toml's reader can check [keys] against them.
export { applyKeyOverrides, KEYMAP, type KeyBinding } from '../commands/keymap.js';

/** A command's `end`: where what followed its key starts in the bytes fed (the : line may want the rest of a paste). */
export type KeyEvent = { kind: 'guest'; bytes: Uint8Array } | { kind: 'command'; line: string; end: number } | { kind: 'unbound'; key: string };

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
    private readonly keymap: readonly KeyBinding[] = KEYMAP,
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
        events.push(bound ? { kind: 'command', line: bound.line, end: i + 1 } : { kind: 'unbound', key });
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

/** How the TUI's messages name a key: `C-] d` (the default key when the map leaves that command unbound). */
export class KeyHints {
  constructor(
    readonly prefix: string,
    readonly keymap: readonly KeyBinding[],
  ) {}

  key(line: string): string {
    return (this.keymap.find((k) => k.line === line) ?? KEYMAP.find((k) => k.line === line))?.key ?? '?';
  }

  /** The prefix and the key bound to `line`, as the admin types them. */
  of(line: string): string {
    return `${this.prefix} ${this.key(line)}`;
  }
}
