// Splits what the admin types into bytes for the focused guest and prefix-key actions (tmux's prefix table): the
// prefix, then one key, names an action; the prefix twice sends the prefix itself to the guest.

import { UsageError } from '../core/errors.js';

export interface KeyAction {
  key: string;
  /** Action name from the key map. */
  action: string;
  summary: string;
}

/** The TUI's prefix-key map; help is generated from it. */
export const KEYMAP: readonly KeyAction[] = [
  { key: 'n', action: 'next-guest', summary: 'focus the next guest in the sidebar' },
  { key: 'p', action: 'prev-guest', summary: 'focus the previous guest' },
  { key: 'c', action: 'next-console', summary: "show the focused guest's next console" },
  { key: 'g', action: 'gauges', summary: 'host memory gauges and history (again to close)' },
  { key: 'e', action: 'events', summary: "the focused guest's event log: states, stop steps, notifications" },
  { key: ':', action: 'command', summary: 'umux command or MConsole verb on the focused guest (:sysrq m, :config ubdb=/x)' },
  { key: 'd', action: 'detach', summary: 'leave the TUI; guests and the server keep running' },
  { key: '?', action: 'help', summary: 'this help' },
];

export type KeyEvent = { kind: 'guest'; bytes: Uint8Array } | { kind: 'action'; action: string } | { kind: 'unbound'; key: string };

/** `C-]` → 0x1d, `C-g` → 0x07: the byte of a Control-letter key name. */
export function parsePrefix(name: string): number {
  const m = /^C-(.)$/.exec(name);
  if (m) {
    const c = m[1]!.toLowerCase().charCodeAt(0);
    if (c >= 0x61 && c <= 0x7a) return c - 0x60;
    const special: Record<string, number> = { '[': 0x1b, '\\': 0x1c, ']': 0x1d, '^': 0x1e, _: 0x1f, '@': 0 };
    if (m[1]! in special) return special[m[1]!]!;
  }
  throw new UsageError(`UMUX_PREFIX: expected a prefix key like C-] or C-g, got "${name}"`, { hint: 'pick one that screen (C-a) and tmux (C-b) leave alone, e.g. C-g' });
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
