// The messages between the server and the keeper (DECISIONS.md "Consoles outlive the server"), framed as the client
// wire is (wire-framing.ts): JSON frames for control, data frames for console bytes (stream = channel id).
// Stable on purpose: a keeper started by an older umux must go on working with a newer server (KEEPER_PROTOCOL).

/** Bumped only for a change an older keeper cannot follow; a server refuses a keeper of another protocol. */
export const KEEPER_PROTOCOL = 1;

/** The keeper's socket, in the server's private socket directory. */
export const KEEPER_SOCKET = 'keeper.sock';

/** Console bytes a keeper holds per channel that the server has not yet logged; past this it stops reading. */
export const KEEPER_CHANNEL_BOUND = 1024 * 1024;

export type ChannelKind = 'pipe' | 'pty' | 'tty' | 'port';

/** A console fd the keeper holds. Offsets count the bytes read from the fd since the keeper took it. */
export interface KeptChannelInfo {
  id: number;
  /** Who it belongs to: `managed:UMID` for a guest the keeper started, `held:UMID` for an adopted guest's lines. */
  key: string;
  /** con0, ssl1, … or `stderr` (UML's host-side messages, not a console). */
  name: string;
  kind: ChannelKind;
  /** The device (pty, tty) or `port:N`. */
  where: string;
  /** Bytes read from the fd so far. */
  read: number;
  /** Bytes the server has said it logged; the keeper still has every byte from here to `read`. */
  acked: number;
  /** Why the fd ended (the guest closed the line, exited), once it has; the bytes before it are still there. */
  ended?: string;
  /** A port channel's local TCP port (it names the connection in /proc/net/tcp). */
  localPort?: number;
}

export interface KeptExit {
  code: number | null;
  signal: string | null;
}

/** A guest the keeper started (it is the guest's parent, so it alone sees the exit status). */
export interface KeptGuestInfo {
  key: string;
  pid: number;
  /** The consoles' channels in console order (con0 first), and UML's stderr. */
  consoles: Array<{ name: string; id: number }>;
  stderr: number;
  /** The ptys' paths, with the pty transport (UML's winch helpers are found by them). */
  ttys: string[];
  exit?: KeptExit;
}

export interface SpawnRequest {
  key: string;
  file: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  uid?: number;
  gid?: number;
  /** Console names in fd order: con0 on fds 0 and 1, the rest on fds 3, 4, … */
  consoles: string[];
  transport: 'socketpair' | 'pty';
  size?: { cols: number; rows: number };
}

export type ServerToKeeper =
  | { t: 'hello'; protocol: number; build: string }
  | ({ t: 'spawn'; req: number } & SpawnRequest)
  /** Hold a pts or tty the guest opened; it must belong to uid. */
  | { t: 'open'; req: number; key: string; name: string; path: string; uid: number }
  /** Hold a TCP connection to 127.0.0.1:port (a UML port console). */
  | { t: 'connect'; req: number; key: string; name: string; port: number }
  /** Send the channel's bytes from offset `from` on (everything before it is logged: dropped). */
  | { t: 'stream'; channel: number; from: number }
  | { t: 'ack'; channel: number; upTo: number }
  | { t: 'resize'; channel: number; cols: number; rows: number }
  /** Close one channel for good. */
  | { t: 'close'; channel: number }
  /** Forget everything of a key: its channels are closed, its guest's exit record dropped. */
  | { t: 'release'; key: string };

export type KeeperToServer =
  | { t: 'welcome'; protocol: number; build: string; pid: number; startedAt: number; guests: KeptGuestInfo[]; channels: KeptChannelInfo[] }
  | { t: 'spawned'; req: number; guest: KeptGuestInfo }
  | { t: 'opened'; req: number; channel: KeptChannelInfo }
  | { t: 'failed'; req: number; code: string; message: string; hint?: string }
  /** The fd ended; every byte before it has been sent. */
  | { t: 'ended'; channel: number; why: string }
  | { t: 'exit'; key: string; pid: number; exit: KeptExit }
  /** A message the keeper could not take (an older keeper meets a newer server's request). */
  | { t: 'unknown'; what: string };

/** The type tag of a JSON frame, or undefined for something that is no message at all. */
export function messageType(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const t = (value as { t?: unknown }).t;
  return typeof t === 'string' ? t : undefined;
}

/** `managed:UMID` */
export function managedKey(umid: string): string {
  return `managed:${umid}`;
}

/** `held:UMID` */
export function heldKey(umid: string): string {
  return `held:${umid}`;
}
