// How a client session reaches a umux server: a transport opens a byte stream (a Duplex) that carries the framed
// wire, and opens it again when a riding session lost it. The local one is the unix socket (connect.ts, ride.ts);
// ssh-transport.ts runs `umux server --stdio` on another host. The session owns the stream and disposes it.

import type { Duplex } from 'node:stream';
import type { ServerStop } from '../protocol/wire-messages.js';
import { connectServer } from './connect.js';
import { waitForServer, type RideTimes } from './ride.js';

export interface ReopenOptions {
  env: NodeJS.ProcessEnv;
  stop?: ServerStop;
  times: RideTimes;
  signal: AbortSignal;
  status?: (text: string) => void;
}

export interface Transport {
  /** Where it leads, for messages: `local`, or a host's name. */
  readonly where: string;
  /** How long the first hello may take (connecting included). */
  readonly helloTimeoutMs: number;
  /** The longest a request may wait for its reply, when the caller does not say (undefined: the session's own). */
  readonly requestTimeoutMs?: number;
  open(opts: { env: NodeJS.ProcessEnv; autostart?: boolean }): Promise<Duplex>;
  /** Waits for a server again after the stream was lost; undefined when cancelled; throws when giving up. */
  reopen(opts: ReopenOptions): Promise<Duplex | undefined>;
  /** Why `stream` ended, in one line, when the transport knows better than "closed" (ssh's own words). */
  whyClosed?(stream: Duplex): string | undefined;
  /** The server greeted: the next loss waits from the start again. */
  reached?(): void;
  /** The error for a first connection that never got a greeting (undefined: the session's own). */
  failed?(err: unknown): Error | undefined;
}

/** This user's own server on this host, through its unix socket (started when missing). */
export const localTransport: Transport = {
  where: 'local',
  helloTimeoutMs: 5000,
  open: (opts) => connectServer(opts),
  reopen: (opts) => waitForServer(opts),
};
