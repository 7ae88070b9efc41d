// The smallest context the server's dispatch runs with, over fake guests (no UML): a registry, MConsole, event log
// and server actions that record what they were asked. Shared by the dispatch and server-client tests.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UmuxError } from '../../src/core/errors.js';
import type { MconsoleClient } from '../../src/mconsole/client.js';
import type { Reply } from '../../src/protocol/mconsole-codec.js';
import type { HostSample } from '../../src/protocol/host-types.js';
import { dispatch, type DispatchContext } from '../../src/server/dispatch.js';
import type { EventLog, GuestEvent } from '../../src/server/event-log.js';
import type { Guest } from '../../src/server/guest.js';
import { GuestRegistry } from '../../src/server/registry.js';
import { fakeGuest, guestFinder, type FakeGuestOptions } from './fake-guest.js';

/** A temporary log root for dispatch worlds; the caller removes it. */
export function tempLogRoot(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'umux-dispatch-'));
}

export interface WorldOptions {
  logRoot?: string;
  mc?: (command: string) => Reply;
  events?: GuestEvent[];
  /** The guests a rescan finds. */
  after?: () => Guest[];
}

/** A canned MConsole reply. */
export function reply(text: string, ok = true): Reply {
  return { ok, err: ok ? 0 : 1, errSigned: ok ? 0 : 1, text, bytes: new Uint8Array(), packets: 1 } as Reply;
}

/** What the fakes heard: MConsole commands, registry calls, server actions. */
export interface Heard {
  mconsole: string[];
  forgot: string[];
  rescans: number;
  killed: number;
  samples: Array<boolean | undefined>;
}

/**
 * The smallest context dispatch runs with. The registry is a GuestRegistry (dispatch takes the class, not an
 * interface) whose lookups are replaced by a finder over fake guests; its real `managed` (the wrong-kind refusal) stays.
 */
export function world(guests: Guest[], o: WorldOptions = {}) {
  const heard: Heard = { mconsole: [], forgot: [], rescans: 0, killed: 0, samples: [] };
  let current = guests;
  const registry = Object.assign(Object.create(GuestRegistry.prototype) as GuestRegistry, {
    problems: [],
    reload: () => undefined,
    get: (name: string) => guestFinder(...current).get(name),
    all: () => current,
    forget: (name: string) => heard.forgot.push(name),
  });
  const answer = o.mc ?? (() => reply(''));
  const mconsole = {
    call: async (_socket: string, command: string) => (heard.mconsole.push(command), answer(command)),
    callOk: async (_socket: string, command: string) => {
      heard.mconsole.push(command);
      const r = answer(command);
      if (!r.ok) throw new UmuxError('guest-error', `ERR ${r.text}`);
      return r;
    },
  } as unknown as MconsoleClient;
  const events = { list: () => o.events ?? [], lastAt: () => null } as unknown as EventLog;
  const sample = { at: 1 } as unknown as HostSample;
  const ctx: DispatchContext = {
    registry,
    events,
    mconsole,
    logRoot: o.logRoot ?? os.tmpdir(),
    backupRoot: path.join(o.logRoot ?? os.tmpdir(), 'umux-backups'),
    hostSample: (recent) => (heard.samples.push(recent), { sample, history: [sample] }),
    rescan: () => {
      heard.rescans++;
      if (o.after) current = o.after();
    },
    killServer: () => heard.killed++,
  };
  return { ctx, heard, run: (...argv: string[]) => dispatch(ctx, argv) };
}

/** A running guest whose pid is this process (so checks that the process lives pass; nothing signals it here). */
export function live(o: FakeGuestOptions = {}): Guest {
  return fakeGuest({ pid: process.pid, ...o });
}

