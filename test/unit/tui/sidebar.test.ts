// The sidebar's guest lines: badge colours from the theme, marks for attention, unseen events and other panes,
// the focused guest inverse, names escaped.

import { describe, expect, it } from 'vitest';
import { guestLines, hostLines } from '../../../src/tui/sidebar.js';
import type { GuestInfo } from '../../../src/protocol/wire-messages.js';
import type { HostSample } from '../../../src/protocol/host-types.js';

const guest = (name: string, state: string): GuestInfo => ({
  name, umid: name, state, pid: 1, mem: '64M', consoles: [], clients: 0, uptimeMs: 0, adopted: false, restarts: 0, panic: null,
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

describe('hostLines', () => {
  it('gives the mem= of running guests only, the figure umux host gives (one of three running: 48 MiB, not 240)', () => {
    const M = 2 ** 20;
    const host = {
      at: 0,
      host: { ramTotal: 8192 * M, ramAvailable: 4096 * M, swapTotal: 0, swapFree: 0, shmem: 0 },
      memfileDir: '/dev/shm',
      memfileFs: { path: '/dev/shm', type: 'tmpfs', typeHex: '0x1021994', size: 4096 * M, used: 0, avail: 4096 * M },
      guests: [{ name: 'on', pid: 7, mem: 48 * M }, { name: 'off', pid: null, mem: 64 * M }, { name: 'dead', pid: null, mem: 128 * M }],
      guestsMem: 48 * M,
      guestsAllocated: 0,
      warnings: [],
    } satisfies HostSample;
    expect(hostLines(host).split('\n')).toContain('mem= 48 MiB in guests');
  });
});
