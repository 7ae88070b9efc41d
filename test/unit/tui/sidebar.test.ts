// The sidebar's guest lines: badge colours from the theme, marks for attention, unseen events and other panes,
// the focused guest inverse, names escaped.

import { describe, expect, it } from 'vitest';
import { BADGE, guestLines, hostLines, NEEDS_ATTENTION, SeenEvents } from '../../../src/tui/sidebar.js';
import { GUEST_STATES, type GuestState } from '../../../src/protocol/guest-state.js';
import type { HostSample } from '../../../src/protocol/host-types.js';
import type { GuestInfo } from '../../../src/protocol/wire-messages.js';

// A string, not a GuestState: a newer server may send a state this client does not know.
const guest = (name: string, state: string): GuestInfo => ({
  name, umid: name, state: state as GuestState, pid: 1, mem: '64M', consoles: [], clients: 0, uptimeMs: 0, adopted: false, restarts: 0, panic: null,
});

describe('guestLines', () => {
  it('colours the badge from the theme and inverts the focused guest', () => {
    const out = guestLines([guest('web1', 'running'), guest('db1', 'crashed')], 'db1', { states: { running: '#00ff00', crashed: 'light-red' } }).split('\n');
    expect(out[0]).toBe(' {#00ff00-fg}RUN  {/#00ff00-fg} web1 64M');
    expect(out[1]).toBe('{inverse}!{light-red-fg}PANIC{/light-red-fg} db1 64M{/inverse}');
  });

  it('marks unseen events with a star and guests in other panes with a dot; attention wins', () => {
    const out = guestLines([guest('a', 'running'), guest('b', 'running'), guest('c', 'unresponsive')], undefined, {
      unseen: new Set(['a', 'c']),
      shown: new Set(['a', 'b']),
    }).split('\n');
    expect(out.map((l) => l[0])).toEqual(['*', '•', '!']);
  });

  it('leaves a badge uncoloured for the colour default (NO_COLOR) and escapes names', () => {
    expect(guestLines([guest('x{red-fg}', 'stopped')], undefined, { states: { stopped: 'default' } })).toBe(' OFF   x{open}red-fg{close} 64M');
  });

  it('shows control characters in a name (a umid directory anyone could create) and cuts the name after that', () => {
    const line = guestLines([guest('e\x1b]2;T\x07\u009bZZZZZZZZZZZZZZZZ', 'stale')], undefined, { states: { stale: 'default' } });
    expect(line).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    // SIDEBAR_WIDTH leaves 13 columns for the name: counted as shown, so the Zs are cut, not the visible forms.
    expect(line).toBe('!STALE e^[]2;T^G\\x9b 64M');
  });
});

describe('state badges', () => {
  it('gives every state a badge of at most 5 columns, distinct text, and an attention entry', () => {
    for (const s of GUEST_STATES) {
      expect(BADGE[s][1].length, s).toBeGreaterThan(0);
      expect(BADGE[s][1].length, s).toBeLessThanOrEqual(5);
      expect(typeof NEEDS_ATTENTION[s], s).toBe('boolean');
    }
    expect(Object.keys(BADGE).sort()).toEqual([...GUEST_STATES].sort());
    expect(Object.keys(NEEDS_ATTENTION).sort()).toEqual([...GUEST_STATES].sort());
    expect(new Set(GUEST_STATES.map((s) => BADGE[s][1])).size).toBe(GUEST_STATES.length);
  });

  it('draws each state with its own badge and marks exactly the states that need attention', () => {
    const out = guestLines(GUEST_STATES.map((s) => guest(s, s)), undefined).split('\n');
    expect(out.map((l) => l[0] === '!')).toEqual(GUEST_STATES.map((s) => NEEDS_ATTENTION[s]));
    GUEST_STATES.forEach((s, i) => expect(out[i]).toContain(`${BADGE[s][1].padEnd(5)}{/`));
  });

  it('shows a state from a newer server as its text, uncoloured by the theme, without a mark', () => {
    const line = guestLines([guest('web1', 'migrating')], undefined, { states: { running: 'green' } });
    expect(line).toBe(' {white-fg}MIGRATING{/white-fg} web1 64M');
  });

  it('keeps tags and control characters of an unknown state out of the markup', () => {
    const line = guestLines([guest('web1', '{red-fg}\x1b[2J')], undefined);
    expect(line).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(line).toContain('{open}RED-FG{close}^[[2J');
  });
});

describe('hostLines', () => {
  const M = 2 ** 20;
  const G = 2 ** 30;
  const style = { ok: 'cyan', warn: 'yellow', danger: 'red', track: 'gray', mark: 'magenta', levels: { warn: 75, danger: 90 } };
  const host = (over: Partial<HostSample> = {}): HostSample => ({
    at: 0,
    host: { ramTotal: 16 * G, ramAvailable: 12 * G, swapTotal: 0, swapFree: 0, shmem: 0 },
    memfileDir: '/dev/shm',
    memfileFs: { path: '/dev/shm', type: 'tmpfs', typeHex: '0x1021994', size: 1000 * M, used: 370 * M, avail: 630 * M },
    guests: [],
    guestsMem: 550 * M,
    guestsAllocated: 0,
    warnings: [],
    ...over,
  });
  const plain = (s: string) => s.replace(/\{[^}]*\}/g, '');

  it('draws RAM, swap and the memory-file filesystem as meters of 24 columns, the mem= mark where the total falls', () => {
    const lines = hostLines(host(), style).split('\n');
    expect(lines.map(plain)).toEqual(['RAM ██▌·······    4G/16G', 'Swp ··········      none', 'Shm ███▊░┃····   370M/1G']);
    expect(lines[2]).toBe('Shm {cyan-fg}███▊{/}{magenta-fg}░┃{/}{gray-fg}····{/}   370M/1G');
  });

  it('turns the bar and figure to the theme\'s levels, and flags and explains mem= past the end', () => {
    const warn = hostLines(host({ memfileFs: { path: '/dev/shm', type: 'tmpfs', typeHex: '0x1021994', size: 1000 * M, used: 800 * M, avail: 200 * M } }), style).split('\n');
    // The mark inside the used bar keeps its glyph, in the mark's colour.
    expect(warn[2]).toBe('Shm {yellow-fg}█████{/}{magenta-fg}█{/}{yellow-fg}██{/}{gray-fg}··{/}{yellow-fg}   800M/1G{/}');
    const over = hostLines(host({ guestsMem: 2000 * M }), style).split('\n').map(plain);
    expect(over[2]).toBe('Shm!█▉░░░▓▓▓▓┃   370M/1G');
    expect(over[3]).toBe('mem= 2G > 1G: SIGBUS');
  });

  it('names a TMPDIR Tmp and says when its directory is missing; NO_COLOR leaves glyphs only', () => {
    const missing = host({ memfileDir: '/srv/tmp' });
    delete missing.memfileFs;
    expect(plain(hostLines(missing, style).split('\n')[2]!)).toBe('Tmp!··········   missing');
    const mono = { ...style, ok: 'default', warn: 'default', danger: 'default', track: 'default', mark: 'default' };
    expect(hostLines(host(), mono)).not.toMatch(/-fg\}/);
  });
});

describe('SeenEvents', () => {
  it('stars guests with events newer than the admin saw; a guest in a pane, or marked, is seen', () => {
    const seen = new SeenEvents('2026-01-01T00:00:00.000Z');
    const at = (name: string, lastEventAt: string) => ({ ...guest(name, 'running'), lastEventAt });
    const guests = [at('a', '2026-01-01T00:00:05.000Z'), at('b', '2026-01-01T00:00:05.000Z'), at('c', '2025-12-31T00:00:00.000Z')];
    expect([...seen.unseen(guests, new Set(['a']))]).toEqual(['b']);
    seen.mark('b', '2026-01-01T00:00:05.000Z');
    expect([...seen.unseen(guests, new Set())]).toEqual([]);
    expect([...seen.unseen([at('a', '2026-01-01T00:00:09.000Z')], new Set())]).toEqual(['a']);
  });
});
