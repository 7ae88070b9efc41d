// The sidebar's model for a hundred guests: attention first, the filter (names, fuzzy, state words), groups with
// headers, the window that keeps the focused guest in view at 80x24, and goto's name lookup.

import { describe, expect, it } from 'vitest';
import { guestNamed, matchesFilter, nextGrouping, parseGrouping, shownGuests, sidebarOrder, sidebarRows, sidebarWindow } from '../../../src/tui/sidebar-model.js';
import { sidebarText } from '../../../src/tui/sidebar.js';
import type { GuestState } from '../../../src/protocol/guest-state.js';
import type { GuestInfo } from '../../../src/protocol/wire-messages.js';

const guest = (name: string, state: string, more: Partial<GuestInfo> = {}): GuestInfo => ({
  name, umid: name, state: state as GuestState, pid: 1, mem: '64M', consoles: [], clients: 0, uptimeMs: 0, adopted: false, restarts: 0, panic: null, ...more,
});
const names = (gs: readonly GuestInfo[]) => gs.map((g) => g.name);
const none = { filter: '', group: 'none' as const };

/** 100 guests as a hosting box has them: web01…web60 running, db01…db30 stopped, 10 adopted; a few in trouble. */
function hundred(): GuestInfo[] {
  const out: GuestInfo[] = [];
  for (let i = 1; i <= 60; i++) out.push(guest(`web${String(i).padStart(2, '0')}`, i === 17 ? 'crashed' : 'running', { owner: 'www', dir: '/etc/umux/guests' }));
  for (let i = 1; i <= 30; i++) out.push(guest(`db${String(i).padStart(2, '0')}`, i === 5 ? 'unresponsive' : 'stopped', { owner: 'db', dir: '/etc/umux/guests' }));
  for (let i = 1; i <= 10; i++) out.push(guest(`found${i}`, i === 3 ? 'stale' : 'running', { owner: 'alice', dir: '/home/alice/.uml', adopted: true }));
  return out;
}

describe('sidebarOrder', () => {
  it('puts the guests that need attention first (panic, hang, stale), each part in the server\'s order', () => {
    const gs = [guest('a', 'running'), guest('b', 'crashed'), guest('c', 'stopped'), guest('d', 'unresponsive'), guest('e', 'stale'), guest('f', 'paused')];
    expect(names(sidebarOrder(gs))).toEqual(['b', 'd', 'e', 'a', 'c', 'f']);
  });

  it('keeps a state from a newer server with the rest (it does not know it needs attention)', () => {
    expect(names(sidebarOrder([guest('a', 'hibernating'), guest('b', 'crashed')]))).toEqual(['b', 'a']);
  });
});

describe('matchesFilter', () => {
  const web = guest('web17', 'crashed', { owner: 'www', dir: '/etc/umux/guests' });

  it('finds a part of the name, case aside, or its letters in order', () => {
    expect(matchesFilter(web, 'WEB1')).toBe(true);
    expect(matchesFilter(web, 'w17')).toBe(false);
    expect(matchesFilter(web, 'w17', true)).toBe(true);
    expect(matchesFilter(web, '71', true)).toBe(false);
  });

  it('finds state words: the state, its badge, panic, hang; ! for those that need attention', () => {
    expect(matchesFilter(web, 'panic')).toBe(true);
    expect(matchesFilter(web, 'crash')).toBe(true);
    expect(matchesFilter(web, '!')).toBe(true);
    expect(matchesFilter(guest('x', 'unresponsive'), 'hang')).toBe(true);
    expect(matchesFilter(guest('x', 'running'), 'panic')).toBe(false);
    expect(matchesFilter(guest('x', 'running'), '!')).toBe(false);
  });

  it('finds the owner from its start and the directory by a part with a /; every word must find the guest', () => {
    expect(matchesFilter(web, 'www')).toBe(true);
    expect(matchesFilter(web, 'ww')).toBe(true);
    expect(matchesFilter(web, 'etc/umux')).toBe(true);
    expect(matchesFilter(web, '/guests')).toBe(true);
    // A letter of the directory or inside a word finds nothing: typing a name's first letters narrows at once.
    expect(matchesFilter(web, 'u')).toBe(false);
    expect(matchesFilter(web, 'anic')).toBe(false);
    expect(matchesFilter(web, 'web panic')).toBe(true);
    expect(matchesFilter(web, 'web off')).toBe(false);
    expect(matchesFilter(web, '  ')).toBe(true);
  });
});

describe('sidebarRows', () => {
  it('finds by letters in order only when nothing is found by parts (web1 is not web01)', () => {
    expect(names(shownGuests(hundred(), { filter: 'wb07', group: 'none' }))).toEqual(['web07']);
    expect(names(shownGuests(hundred(), { filter: 'web1', group: 'none' }))).not.toContain('web01');
    expect(shownGuests(hundred(), { filter: 'qqq', group: 'none' })).toEqual([]);
  });

  it('filters, then orders attention first', () => {
    expect(names(shownGuests(hundred(), { filter: 'web1', group: 'none' }))).toEqual(['web17', 'web10', 'web11', 'web12', 'web13', 'web14', 'web15', 'web16', 'web18', 'web19']);
    expect(names(shownGuests(hundred(), { filter: '!', group: 'none' }))).toEqual(['web17', 'db05', 'found3']);
  });

  it('groups by state with a header and a count each, the states that need attention first', () => {
    const rows = sidebarRows(hundred(), { filter: '', group: 'state' });
    const headers = rows.flatMap((r) => (r.kind === 'header' ? [`${r.text} ${r.count}`] : []));
    expect(headers).toEqual(['unresponsive 1', 'crashed 1', 'stale 1', 'running 68', 'stopped 29']);
    expect(rows.length).toBe(105);
  });

  it('groups by owner and by directory, alphabetically; ? where the server does not say', () => {
    const head = (by: 'owner' | 'dir', gs = hundred()) => sidebarRows(gs, { filter: '', group: by }).flatMap((r) => (r.kind === 'header' ? [r.text] : []));
    expect(head('owner')).toEqual(['alice', 'db', 'www']);
    expect(head('dir')).toEqual(['/etc/umux/guests', '/home/alice/.uml']);
    expect(head('owner', [guest('old', 'running')])).toEqual(['?']);
  });

  it('shows the guests in their group\'s order (n and p step through them so)', () => {
    expect(names(shownGuests(hundred(), { filter: 'found', group: 'state' })).slice(0, 2)).toEqual(['found3', 'found1']);
  });
});

describe('sidebarWindow', () => {
  it('shows every row when they fit', () => {
    expect(sidebarWindow(10, 17, 3)).toEqual({ top: 0, count: 10, above: 0, below: 0 });
  });

  it('keeps the focused row in view with a "more" line below, then above and below, then above alone', () => {
    // 80x24: 23 lines less the frame and the host meters leave 17 for guests.
    expect(sidebarWindow(100, 17, 0)).toEqual({ top: 0, count: 16, above: 0, below: 84 });
    const mid = sidebarWindow(100, 17, 40);
    expect(mid.count).toBe(15);
    expect(mid.top + mid.count - 1).toBe(40);
    expect(mid.above + mid.count + mid.below).toBe(100);
    expect(sidebarWindow(100, 17, 99)).toEqual({ top: 84, count: 16, above: 84, below: 0 });
  });

  it('moves as little as it can: a focus already in view leaves the window where it was', () => {
    expect(sidebarWindow(100, 17, 30, 26).top).toBe(26);
    expect(sidebarWindow(100, 17, 20, 26).top).toBe(20);
    expect(sidebarWindow(100, 17, 20, 26, true).top).toBe(19);
  });

  it('never leaves lines empty under the last row after the list shrank (a filter)', () => {
    expect(sidebarWindow(20, 17, undefined, 15)).toEqual({ top: 4, count: 16, above: 4, below: 0 });
    expect(sidebarWindow(5, 17, undefined, 50)).toEqual({ top: 0, count: 5, above: 0, below: 0 });
  });

  it('keeps three lines however small the sidebar: more, the focused row, more', () => {
    expect(sidebarWindow(100, 1, 50)).toEqual({ top: 50, count: 1, above: 50, below: 49 });
  });
});

describe('sidebarText at 80x24 with 100 guests', () => {
  it('fits the lines it has: filter line, more marks and rows, none wider than the sidebar', () => {
    const gs = hundred();
    const view = { filter: 'web', group: 'state' as const };
    const rows = sidebarRows(gs, view);
    const focus = rows.findIndex((r) => r.kind === 'guest' && r.guest.name === 'web40');
    const window = sidebarWindow(rows.length, 16, focus);
    const text = sidebarText({ rows, window, focused: 'web40', style: {}, filter: view.filter, total: gs.length, matched: 60 });
    const lines = text.split('\n');
    expect(lines.length).toBe(17);
    expect(lines[0]).toBe('{bold}/web             {/bold} 60/100');
    expect(lines[1]).toMatch(/^\{gray-fg\}↑ \d+ more · running\{\/gray-fg\}$/);
    expect(lines.at(-1)).toMatch(/^\{gray-fg\}↓ \d+ more\{\/gray-fg\}$/);
    expect(text).toContain('{inverse} {green-fg}RUN  {/green-fg} web40 64M{/inverse}');
    const plain = (l: string) => l.replace(/\{[^}]*\}/g, '');
    for (const l of lines) expect(plain(l).length).toBeLessThanOrEqual(24);
  });

  it('says when the filter finds nothing, and escapes what was typed and the group names', () => {
    const text = sidebarText({ rows: [], window: sidebarWindow(0, 16, undefined), focused: undefined, style: {}, filter: '{red-fg}', total: 3, matched: 0 });
    expect(text).toBe('{bold}/{open}red-fg{close}           {/bold} 0/3\nno guest matches');
    const rows = sidebarRows([guest('a', 'running', { owner: 'x{bold}\x1b[2J' })], { filter: '', group: 'owner' });
    const grouped = sidebarText({ rows, window: sidebarWindow(rows.length, 16, 1), focused: 'a', style: {}, filter: '', total: 1, matched: 1 });
    expect(grouped.split('\n')[0]).toBe('{bold}── x{open}bold{close}^[[2J 1 ──────{/bold}');
  });

  it('cuts a long directory at the left so its end shows', () => {
    const rows = sidebarRows([guest('a', 'running', { dir: '/srv/hosting/customers/acme/guests' })], { filter: '', group: 'dir' });
    const text = sidebarText({ rows, window: sidebarWindow(rows.length, 16, 1), focused: undefined, style: {}, filter: '', total: 1, matched: 1 });
    expect(text.split('\n')[0]).toBe('{bold}── …omers/acme/guests 1 {/bold}');
  });
});

describe('groupings and goto', () => {
  it('steps none, state, owner, dir and round again; reads only those words', () => {
    expect([nextGrouping('none'), nextGrouping('state'), nextGrouping('owner'), nextGrouping('dir')]).toEqual(['state', 'owner', 'dir', 'none']);
    expect(parseGrouping('owner')).toBe('owner');
    expect(parseGrouping('user')).toBeUndefined();
  });

  it('finds a guest by its name, the start of it, or its letters in order, when that names one', () => {
    const all = names(hundred());
    expect(guestNamed(all, 'web07')).toEqual({ name: 'web07' });
    expect(guestNamed(all, 'DB05')).toEqual({ name: 'db05' });
    expect(guestNamed(all, 'found1')).toEqual({ name: 'found1' });
    expect(guestNamed(all, 'fnd3')).toEqual({ name: 'found3' });
    expect(guestNamed(all, 'web1')).toEqual({ problem: '10 guests match "web1": web10, web11, web12, web13, … (type more, or Tab)' });
    expect(guestNamed(all, 'zzz')).toEqual({ problem: 'no guest matches "zzz" (100 guests; Tab at :goto lists them)' });
  });
});

describe('the "more" line above a group', () => {
  it('names the group of the first guest shown when its header scrolled away, cut at the left to fit', () => {
    const gs = hundred();
    const rows = sidebarRows(gs, { filter: '', group: 'dir' });
    const at = rows.findIndex((r) => r.kind === 'guest' && r.guest.name === 'web40');
    const text = sidebarText({ rows, window: sidebarWindow(rows.length, 17, at), focused: 'web40', style: {}, filter: '', total: 100, matched: 100 });
    expect(text.split('\n')[0]).toMatch(/^\{gray-fg\}↑ \d+ more · …umux\/guests\{\/gray-fg\}$/);
    const plain = sidebarText({ rows: sidebarRows(gs, none), window: sidebarWindow(100, 17, 50), focused: 'web40', style: {}, filter: '', total: 100, matched: 100 });
    expect(plain.split('\n')[0]).toMatch(/^\{gray-fg\}↑ \d+ more\{\/gray-fg\}$/);
  });
});
