// Desktop notifications through the admin's terminal (tui.toml `notify`): when a guest that no pane shows comes to
// need attention (panic, hang, stale), an OSC 9 or OSC 777 sequence, wrapped for tmux or screen when inside one.
// Guest names are stripped of control characters: nothing a guest controls reaches the terminal raw.

import type { GuestInfo } from '../protocol/wire-messages.js';
import { parseGuestState, type GuestState } from '../protocol/guest-state.js';
import { NEEDS_ATTENTION } from './sidebar.js';

import type { NotifyMode } from '../protocol/notify-modes.js';
export type { NotifyMode } from '../protocol/notify-modes.js';
/** Which multiplexer the TUI runs inside: its passthrough wrapping is needed for the sequence to leave it. */
export type Outer = 'tmux' | 'screen' | undefined;

const MAX_TEXT = 200;

/** Text fit for an OSC string: controls (C0, DEL, C1) and, in a field, the `;` separator become spaces; cut short. */
export function oscText(text: string, field = false): string {
  const clean = text.replace(field ? /[\x00-\x1f\x7f-\x9f;]/g : /[\x00-\x1f\x7f-\x9f]/g, ' ');
  return [...clean].length > MAX_TEXT ? `${[...clean].slice(0, MAX_TEXT - 1).join('')}…` : clean;
}

/** The bytes that ask the terminal for a notification; '' for mode none. */
export function notificationSequence(mode: NotifyMode, title: string, body: string, outer: Outer): string {
  let seq: string;
  if (mode === 'osc9') seq = `\x1b]9;${oscText(`${title}: ${body}`)}\x07`;
  else if (mode === 'osc777') seq = `\x1b]777;notify;${oscText(title, true)};${oscText(body)}\x07`;
  else return '';
  // tmux passes a DCS "tmux;" string through (allow-passthrough on) with its ESCs doubled; screen passes any DCS.
  if (outer === 'tmux') return `\x1bPtmux;${seq.replaceAll('\x1b', '\x1b\x1b')}\x1b\\`;
  if (outer === 'screen') return `\x1bP${seq}\x1b\\`;
  return seq;
}

/** What a notification says of a guest in this state. */
export function attentionText(name: string, state: GuestState): string {
  const what: Partial<Record<GuestState, string>> = { crashed: 'kernel panic', unresponsive: 'not answering (hung)', stale: 'gone, its directory left behind' };
  return `${name}: ${what[state] ?? state}`;
}

export function outerOf(env: NodeJS.ProcessEnv): Outer {
  if (env['TMUX']) return 'tmux';
  if (env['STY']) return 'screen';
  return undefined;
}

/** Fed each guest list; writes one notification per guest that newly needs attention and is not on screen. */
export class TerminalNotifier {
  /** The guests that needed attention in the last list; undefined before the first (what needs it at start is known). */
  private attention: Set<string> | undefined;

  private readonly outer: Outer;

  constructor(
    private readonly mode: NotifyMode,
    private readonly write: (bytes: string) => void,
    env: NodeJS.ProcessEnv,
  ) {
    this.outer = outerOf(env);
  }

  update(guests: readonly GuestInfo[], onScreen: ReadonlySet<string | undefined>): void {
    const now = new Set<string>();
    for (const g of guests) {
      const state = parseGuestState(g.state);
      if (!state || !NEEDS_ATTENTION[state]) continue;
      now.add(g.name);
      if (!this.attention || this.attention.has(g.name) || onScreen.has(g.name) || this.mode === 'none') continue;
      this.write(notificationSequence(this.mode, 'umux', attentionText(g.name, state), this.outer));
    }
    this.attention = now;
  }
}
