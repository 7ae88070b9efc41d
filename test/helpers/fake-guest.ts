// A guest for unit tests, seen only through the Guest interface (no UML, no process), a finder over such guests,
// and the UmuxError a call throws: shared by the console lookup and dispatch tests.

import { expect } from 'vitest';
import { isUmuxError, UmuxError } from '../../src/core/errors.js';
import type { GuestState } from '../../src/protocol/guest-state.js';
import type { GuestInfo } from '../../src/protocol/wire-messages.js';
import type { ConsoleHub } from '../../src/server/console-hub.js';
import type { GuestFinder } from '../../src/server/console-lookup.js';
import type { Guest, GuestKind } from '../../src/server/guest.js';

export type ConsoleLine = GuestInfo['consoles'][number];

export interface FakeGuestOptions {
  name?: string;
  kind?: GuestKind;
  state?: GuestState;
  pid?: number | null;
  lines?: ConsoleLine[];
  /** Lines with a hub (a stand-in naming its console; give `hub` for more). */
  hubs?: string[];
  hub?: Partial<ConsoleHub>;
  /** Replaces any member, e.g. stop, managed or adopted. */
  with?: Partial<Guest>;
}

export function fakeGuest(o: FakeGuestOptions): Guest {
  const name = o.name ?? 'web1';
  const lines = o.lines ?? [{ name: 'con0', clients: 0, lost: false }];
  const hubs = new Map((o.hubs ?? []).map((h) => [h, { console: h, ...o.hub } as unknown as ConsoleHub]));
  const pid = o.pid === undefined ? 4242 : o.pid;
  return {
    kind: o.kind ?? 'managed',
    name,
    umid: name,
    state: o.state ?? 'running',
    pid,
    socket: `/tmp/${name}/mconsole`,
    ownerUid: 1000,
    mem: '64M',
    paused: false,
    memUnplugged: 0,
    hubs,
    info: () => ({ name, umid: name, state: o.state ?? 'running', pid, mem: '64M', consoles: lines, clients: 0, uptimeMs: 0, adopted: o.kind === 'adopted', restarts: 0, panic: null }),
    event: () => undefined,
    setState: () => undefined,
    applyHealth: () => undefined,
    stop: async () => [],
    consoleAdded: () => undefined,
    dispose: () => undefined,
    managed: undefined,
    adopted: undefined,
    ...o.with,
  };
}

/** Finds the guests given by name, else no-such-guest as the registry says it. */
export function guestFinder(...guests: Guest[]): GuestFinder {
  return {
    get: (name) => {
      const g = guests.find((x) => x.name === name);
      if (!g) throw new UmuxError('no-such-guest', `can't find guest: ${name}`);
      return g;
    },
  };
}

/** The UmuxError `f` throws; fails the test when it throws nothing or something else. */
export function errorOf(f: () => unknown): UmuxError {
  try {
    f();
  } catch (err) {
    if (isUmuxError(err)) return err;
    throw err;
  }
  throw new Error('no error thrown');
}

/** The UmuxError the promise `f` returns rejects with. */
export async function rejectionOf(f: () => Promise<unknown>): Promise<UmuxError> {
  const err = await f().then(
    () => new Error('no error thrown'),
    (e: unknown) => e,
  );
  expect(isUmuxError(err), String(err)).toBe(true);
  return err as UmuxError;
}
