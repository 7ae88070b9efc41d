// The sidebar's markup (pure): one line per guest with a coloured state badge and an attention mark, and the host
// memory summary at its foot. Guest names and warnings are escaped: only umux's own tags reach blessed.

import type { GuestInfo } from '../protocol/wire-messages.js';
import type { HostSample } from '../protocol/host-types.js';
import { formatBytes } from '../protocol/host-types.js';
import { escapeTags } from './cells.js';
import { showControls } from '../core/terminal-text.js';

export const SIDEBAR_WIDTH = 26;

const BADGE: Readonly<Record<string, readonly [string, string]>> = {
  running: ['green', 'RUN'],
  starting: ['cyan', 'BOOT'],
  paused: ['yellow', 'PAUSE'],
  unresponsive: ['red', 'HUNG'],
  crashed: ['red', 'PANIC'],
  stale: ['magenta', 'STALE'],
  stopping: ['yellow', 'STOP…'],
  stopped: ['gray', 'OFF'],
  exited: ['gray', 'EXIT'],
};

const ATTENTION = new Set(['crashed', 'unresponsive', 'stale']);

export interface SidebarStyle {
  /** Colour of each state's badge (a blessed colour name or #rrggbb; 'default' leaves it uncoloured). */
  states?: Readonly<Record<string, string>>;
  /** Guests shown in a pane other than the focused one: marked with a dot. */
  shown?: ReadonlySet<string>;
  /** Guests with events the admin has not looked at: marked with a star. */
  unseen?: ReadonlySet<string>;
}

/** One line per guest: attention mark, state badge, name, mem=; the focused guest's line inverse. */
export function guestLines(guests: readonly GuestInfo[], focused: string | undefined, style: SidebarStyle = {}): string {
  if (guests.length === 0) return 'no guests yet:\numux start NAME';
  return guests
    .map((g) => {
      const [fallback, badge] = BADGE[g.state] ?? ['white', g.state.toUpperCase()];
      const color = style.states?.[g.state] ?? fallback;
      const badgeText = color === 'default' ? badge.padEnd(5) : `{${color}-fg}${badge.padEnd(5)}{/${color}-fg}`;
      const mark = ATTENTION.has(g.state) ? '!' : style.unseen?.has(g.name) ? '*' : style.shown?.has(g.name) ? '•' : ' ';
      const line = `${mark}${badgeText} ${escapeTags(showControls(g.name).slice(0, SIDEBAR_WIDTH - 13))} ${escapeTags(g.mem)}`;
      return g.name === focused ? `{inverse}${line}{/inverse}` : line;
    })
    .join('\n');
}

export function hostLines(host: HostSample): string {
  const h = host.host;
  const fs = host.memfileFs;
  return [
    `RAM  ${formatBytes(h.ramAvailable)} free`,
    `swap ${h.swapTotal ? `${formatBytes(h.swapFree)} free` : 'none'}`,
    fs ? `shm  ${formatBytes(fs.avail)} free` : 'shm  ?',
    `mem= ${formatBytes(host.guestsMem)} in guests`,
    ...host.warnings.slice(0, 1).map((w) => `{red-fg}${escapeTags(w.text.slice(0, SIDEBAR_WIDTH - 3))}{/red-fg}`),
  ].join('\n');
}
