// The console lookup's errors, with a fake guest: no such guest, no such console, not running, lost, waiting, held
// elsewhere; and the hub when there is one. No UML needed: the lookup sees guests only through the Guest interface.

import { describe, expect, it } from 'vitest';
import { findConsoleLine, findHub, findTarget, noLogReason, requireHub } from '../../../src/server/console-lookup.js';
import { startCommand } from '../../../src/server/guest.js';
import { errorOf, fakeGuest, guestFinder as finder, type ConsoleLine as Line } from '../../helpers/fake-guest.js';

describe('findTarget', () => {
  it('takes con0 when no console is named, and the named one otherwise', () => {
    const g = fakeGuest({});
    expect(findTarget(finder(g), 'web1')).toEqual({ guest: g, console: 'con0' });
    expect(findTarget(finder(g), 'web1:ssl3').console).toBe('ssl3');
  });

  it('says there is no such guest, and refuses a console that is not conN or sslN', () => {
    expect(errorOf(() => findTarget(finder(fakeGuest({})), 'db1:con0')).code).toBe('no-such-guest');
    expect(errorOf(() => findTarget(finder(fakeGuest({})), 'web1:eth0')).message).toMatch(/expected a console such as con0/);
  });
});

describe('findConsoleLine', () => {
  it('names the consoles the guest has when it has not the one asked for', () => {
    const g = fakeGuest({ lines: [{ name: 'con0', clients: 0, lost: false }, { name: 'ssl0', clients: 0, lost: false }] });
    const e = errorOf(() => findConsoleLine(finder(g), 'web1:con7'));
    expect(e.code).toBe('no-such-guest');
    expect(e.message).toBe('web1 has no console con7');
    expect(e.hint).toBe('its consoles: con0, ssl0');
    expect(errorOf(() => findConsoleLine(finder(fakeGuest({ lines: [] })), 'web1')).hint).toBe('its consoles: none');
  });

  it('finds a console line that is not held (its log may be kept)', () => {
    const g = fakeGuest({ lines: [{ name: 'con1', clients: 0, lost: false, status: 'waiting' }] });
    expect(findConsoleLine(finder(g), 'web1:con1').console).toBe('con1');
  });
});

describe('findHub and requireHub', () => {
  it('returns the hub of a running guest', () => {
    const g = fakeGuest({ hubs: ['con0'] });
    expect(findHub(finder(g), 'web1').hub).toBe(g.hubs.get('con0'));
  });

  it('says a stopped guest must be started, an adopted one restarted', () => {
    const managed = errorOf(() => requireHub(fakeGuest({ state: 'stopped', pid: null, hubs: ['con0'] }), 'con0'));
    expect(managed.code).toBe('not-running');
    expect(managed.message).toBe('web1 is stopped: con0 is not open');
    expect(managed.hint).toBe('umux start web1');
    const adopted = fakeGuest({ name: 'u1', kind: 'adopted', state: 'stale', pid: null });
    expect(errorOf(() => requireHub(adopted, 'con0')).hint).toBe('umux restart u1');
    expect(startCommand(adopted)).toBe('umux restart u1');
  });

  it('says a lost console is lost, with the guest still running', () => {
    const e = errorOf(() => requireHub(fakeGuest({ lines: [{ name: 'con0', clients: 0, lost: true }] }), 'con0'));
    expect(e.message).toBe('web1:con0 is lost with the umux server or console keeper that held it; the guest is running');
    expect(e.hint).toMatch(/^its log is kept \(umux log web1:con0\); umux restart web1/);
  });

  it('says a waiting console needs a getty, and points at a held console otherwise', () => {
    const waiting: Line = { name: 'con1', clients: 0, lost: false, status: 'waiting', note: 'con1 is a bare pts: no getty yet' };
    const elsewhere: Line = { name: 'con2', clients: 0, lost: false, status: 'elsewhere' };
    const held: Line = { name: 'con0', clients: 0, lost: false, status: 'held' };
    const g = fakeGuest({ kind: 'adopted', lines: [held, waiting, elsewhere], hubs: ['con0'] });
    const w = errorOf(() => requireHub(g, 'con1'));
    expect(w.message).toBe('web1:con1 cannot be used: con1 is a bare pts: no getty yet');
    expect(w.hint).toBe('start a getty on it in the guest');
    const e = errorOf(() => requireHub(g, 'con2'));
    expect(e.message).toBe('web1:con2 cannot be used: it is elsewhere');
    expect(e.hint).toBe('umux attach web1:con0');
    expect(errorOf(() => requireHub(fakeGuest({ lines: [elsewhere] }), 'con2')).hint).toBe('umux config web1 con1=pts, then a getty on tty1 in the guest');
  });

  it('says there is no such console before it says the guest is not running', () => {
    expect(errorOf(() => requireHub(fakeGuest({ state: 'stopped', pid: null }), 'con5')).message).toBe('web1 has no console con5');
  });
});

describe('noLogReason', () => {
  it('explains only lines umux never held', () => {
    const g = fakeGuest({ lines: [{ name: 'con0', clients: 0, lost: false, status: 'held' }, { name: 'con1', clients: 0, lost: false, status: 'waiting' }] });
    expect(noLogReason(g, 'con0')).toBeUndefined();
    expect(noLogReason(g, 'con1')?.hint).toBe('it is logged from the moment a getty opens it');
  });
});
