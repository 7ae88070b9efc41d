// The TUI's parts as the key actions (actions.ts) and the input router (input.ts) see them: each part owns its
// widgets, listeners and timers; runTui (app.ts) builds them and disposes them.

import type { ServerSession } from '../client/session.js';
import type { CommandRunner } from './command-runner.js';
import type { HostSessions } from './host-sessions.js';
import type { GaugesSlot } from './gauges-slot.js';
import type { GuestList } from './guest-list.js';
import type { KeyHints } from './keys.js';
import type { Look } from './look.js';
import type { Overlays } from './overlays.js';
import type { PromptLine } from './prompt.js';
import type { ScrollMode } from './scroll-mode.js';
import type { StatusLine } from './status-line.js';
import type { TuiScreen } from './tui-screen.js';
import type { Workspace } from './workspace.js';

export interface TuiParts {
  readonly ui: TuiScreen;
  /** The local server's session (the status line's away and back). */
  readonly session: ServerSession;
  /** Every host's guests behind one face: requests and attaches go to the host a guest is on. */
  readonly hosts: HostSessions;
  readonly readOnly: boolean;
  readonly keys: KeyHints;
  readonly look: Look;
  readonly status: StatusLine;
  readonly guests: GuestList;
  readonly workspace: Workspace;
  readonly scroll: ScrollMode;
  readonly gauges: GaugesSlot;
  readonly overlays: Overlays;
  readonly prompt: PromptLine;
  readonly commands: CommandRunner;
  /** Leaves the TUI: every part disposed, the terminal given back; guests and the server keep running. */
  leave(): void;
  /** Every part draws again in the current theme. */
  restyle(): void;
}
