// The guest states listed once: parsing what a server sent, known or from a newer server.

import { describe, expect, it } from 'vitest';
import { GUEST_STATES, hasEnded, isUp, parseGuestState, PROCESS_IN } from '../../../src/protocol/guest-state.js';

describe('parseGuestState', () => {
  it('knows every listed state, once each', () => {
    for (const s of GUEST_STATES) expect(parseGuestState(s)).toBe(s);
    expect(new Set(GUEST_STATES).size).toBe(GUEST_STATES.length);
  });

  it('returns undefined for a state a newer server added, or for near misses', () => {
    for (const s of ['migrating', '', 'Running', 'running ', 'toString', 'constructor']) expect(parseGuestState(s)).toBeUndefined();
  });
});

describe('PROCESS_IN', () => {
  it('says of every state whether its process is up, ending or ended', () => {
    expect(Object.keys(PROCESS_IN).sort()).toEqual([...GUEST_STATES].sort());
    expect(GUEST_STATES.filter(hasEnded)).toEqual(['stopped', 'crashed', 'exited', 'stale']);
    expect(GUEST_STATES.filter(isUp)).toEqual(['running', 'starting', 'paused', 'unresponsive']);
  });

  it('counts a state from a newer server as not up', () => {
    expect(isUp('migrating')).toBe(false);
  });
});
