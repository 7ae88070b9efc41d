// What each client connection reaches of the server (ServerContext, server-client.ts): its requests dispatched
// against the server's scope, log follows and console lookups by name, the guest feed to subscribe to.

import path from 'node:path';
import type { UmuxError } from '../core/errors.js';
import { followLog } from '../consoles/logfile.js';
import { UMUX_VERSION } from '../core/version.js';
import type { ConsoleHub } from './console-hub.js';
import { findConsoleLine, findHub } from './console-lookup.js';
import { dispatch, type DispatchContext } from './dispatch.js';
import type { GuestFeed } from './guest-feed.js';
import type { ServerContext } from './server-client.js';
import { followLogWithTimes } from './timed-log.js';

export interface ServerContextParts {
  dispatch: DispatchContext;
  feed: GuestFeed;
  frameTimeoutMs: number;
  log: (line: string) => void;
}

export function serverContext(parts: ServerContextParts): ServerContext {
  const { feed, log } = parts;
  const registry = parts.dispatch.registry;
  const logRoot = parts.dispatch.logRoot;
  return {
    version: UMUX_VERSION,
    frameTimeoutMs: parts.frameTimeoutMs,
    log,
    subscribe: (sink) => feed.add(sink),
    changed: () => feed.changed(),
    handleRequest: (_client, argv, progress) => dispatch(parts.dispatch, argv, progress).finally(() => feed.changed()),
    followLog: (guest, name, lines, onData, opts = {}) => {
      registry.reload();
      const t = findConsoleLine(registry, `${guest}:${name}`);
      const g = t.guest;
      const onError = (e: UmuxError) => log(`follow ${g.name}:${t.console}: ${e.message}`);
      const more = { ...(opts.from ? { from: opts.from } : {}), ...(opts.onNotice ? { onNotice: opts.onNotice } : {}) };
      if (opts.times) return followLogWithTimes(g, t.console, logRoot, lines, onData, onError, more);
      return followLog(path.join(logRoot, g.umid), t.console, onData, { lines, onError, ...more });
    },
    findConsole: (guest: string, name: string): ConsoleHub => {
      registry.reload();
      return findHub(registry, `${guest}:${name}`).hub;
    },
  };
}
