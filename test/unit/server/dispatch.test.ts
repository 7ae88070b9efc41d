// The server's dispatch with fakes (no UML): each command it serves on its happy path and its refusals (unknown
// command, argument counts, no such guest, a guest of the wrong kind, unconfirmed danger, a guest not running).
// The refusal cases are generated from the command table, so a new server command is covered without a new test.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/commands/table.js';
import type { AdoptedGuest } from '../../../src/server/adopted-guest.js';
import type { Guest } from '../../../src/server/guest.js';
import type { ManagedGuest } from '../../../src/server/managed-guest.js';
import { live, reply, tempLogRoot, world as worldOf, type WorldOptions } from '../../helpers/dispatch-world.js';
import { fakeGuest, rejectionOf, type FakeGuestOptions } from '../../helpers/fake-guest.js';

/** The commands a client may send the server (log: its tail comes from the server's files). */
const SERVED = COMMANDS.filter((c) => c.runsIn === 'server' || c.name === 'log');
/** The served commands whose first argument names a guest (NAME or NAME[:CONSOLE]). */
const ON_A_GUEST = SERVED.filter((c) => /^NAME/.test(c.usage));

const logRoot = tempLogRoot();
const world = (guests: Guest[], o: WorldOptions = {}) => worldOf(guests, { logRoot, ...o });
afterAll(() => fs.rmSync(logRoot, { recursive: true, force: true }));

/** A managed guest with the managed part dispatch uses (start); `did` hears start and stop in order. */
function managed(did: string[], o: FakeGuestOptions & { warning?: string } = {}): Guest {
  const g = live(o);
  const part = { name: g.name, pid: g.pid, info: () => g.info(), start: async () => (did.push('start'), o.warning), stop: async () => (did.push('stop'), ['halt: ok']) };
  return fakeGuest({ pid: process.pid, ...o, with: { managed: part as unknown as ManagedGuest, stop: part.stop, ...o.with } });
}

/** Fills a command's positional arguments after the guest, enough for its least count. */
function argvFor(name: string, guest: string): string[] {
  const spec = SERVED.find((c) => c.name === name)!;
  const rest = Array.from({ length: Math.max(spec.minArgs - 1, 0) }, () => 'x');
  return [name, guest, ...rest, ...(spec.options.some((o) => o.name === 'yes') ? ['--yes'] : [])];
}

describe('dispatch refuses what it does not serve', () => {
  it('an unknown or empty command line, with a hint to the list', async () => {
    const { run } = world([]);
    for (const argv of [['frobnicate'], []]) {
      const e = await rejectionOf(() => run(...argv));
      expect(e.code).toBe('usage');
      expect(e.message).toBe(`the server does not run "${argv[0] ?? ''}"`);
      expect(e.hint).toBe('umux help lists the commands');
    }
  });

  it('every command that runs in the client or directly (but log, whose tail the server reads)', async () => {
    const { run } = world([]);
    const notServed = COMMANDS.filter((c) => !SERVED.includes(c));
    expect(notServed.length).toBeGreaterThan(0);
    for (const c of notServed) expect((await rejectionOf(() => run(c.name))).message, c.name).toBe(`the server does not run "${c.name}"`);
  });
});

describe('dispatch checks argument counts against the table', () => {
  it('too few arguments for each served command, before looking up anything', async () => {
    const { run, heard } = world([live()]);
    for (const c of SERVED.filter((s) => s.minArgs > 0)) {
      const e = await rejectionOf(() => run(c.name, ...Array.from({ length: c.minArgs - 1 }, () => 'web1')));
      expect(e.code, c.name).toBe('usage');
      expect(e.message, c.name).toMatch(new RegExp(`^${c.name}: expected .*, got ${c.minArgs - 1}$`));
      expect(e.hint, c.name).toMatch(new RegExp(`^usage: umux ${c.name} `));
    }
    expect(heard.mconsole).toEqual([]);
  });

  it('too many arguments for each served command with a most', async () => {
    const { run } = world([live()]);
    for (const c of SERVED) {
      const most = c.maxArgs;
      if (most === 'rest') continue;
      const e = await rejectionOf(() => run(c.name, ...Array.from({ length: most + 1 }, () => 'web1')));
      expect(e.message, c.name).toBe(`${c.name}: expected ${c.minArgs === most ? most : `${c.minArgs} to ${most}`} argument${most === 1 && c.minArgs === 1 ? '' : 's'}, got ${most + 1}`);
    }
  });

  it('an option the command does not have', async () => {
    const e = await rejectionOf(() => world([live()]).run('stop', 'web1', '--hard'));
    expect(e.message).toBe('stop: unknown option --hard (options: --force, --json)');
  });
});

describe('dispatch looks the guest up first', () => {
  it('says there is no such guest for every command on a guest, and sends it nothing', async () => {
    const { run, heard } = world([live()]);
    expect(ON_A_GUEST.length).toBeGreaterThanOrEqual(15);
    for (const c of ON_A_GUEST) {
      const e = await rejectionOf(() => run(...argvFor(c.name, 'db9')));
      expect(e.code, c.name).toBe('no-such-guest');
      expect(e.message, c.name).toBe("can't find guest: db9");
    }
    expect(heard.mconsole).toEqual([]);
  });

  it('refuses start on a guest umux did not start (the wrong kind), naming what works on it', async () => {
    const adopted = live({ name: 'u1', kind: 'adopted', with: { adopted: { dir: '/home/a/.uml/u1' } as AdoptedGuest } });
    const e = await rejectionOf(() => world([adopted]).run('start', 'u1'));
    expect(e.code).toBe('usage');
    expect(e.message).toBe('u1 was not started by umux (adopted from /home/a/.uml/u1)');
    expect(e.hint).toBe('umux restart, stop and kill work on it; start needs a definition');
  });

  it('refuses each command that talks to the guest when it is not running, with the command that brings it back', async () => {
    const stopped = fakeGuest({ state: 'stopped', pid: null });
    const { run, heard } = world([stopped]);
    for (const name of ['cad', 'halt', 'reboot', 'pause', 'go', 'kill', 'backup', 'mc', 'config', 'remove', 'sysrq']) {
      const argv = name === 'mc' ? ['mc', 'web1', 'version'] : name === 'sysrq' ? ['sysrq', 'web1', 'm'] : name === 'config' ? ['config', 'web1', 'con2=pts', '--yes'] : argvFor(name, 'web1');
      const e = await rejectionOf(() => run(...argv));
      expect(e.code, name).toBe('not-running');
      expect(e.message, name).toMatch(/^web1 is stopped: no (process|MConsole) to talk to$/);
    }
    expect(heard.mconsole).toEqual([]);
  });
});

describe('dispatch asks for --yes before dangerous commands', () => {
  it('refuses every command that has a question for its arguments until confirmed, with the line to confirm it', async () => {
    const asking = SERVED.filter((c) => c.confirm !== undefined);
    expect(asking.map((c) => c.name).sort()).toEqual(['cad', 'config', 'halt', 'kill', 'reboot', 'remove', 'sysrq']);
    const { run, heard } = world([live()]);
    const dangerous: Record<string, string[]> = { sysrq: ['web1', 'b'], config: ['web1', 'ssl2=port:9000'], remove: ['web1', 'ubdb'] };
    for (const c of asking) {
      const args = dangerous[c.name] ?? ['web1'];
      const e = await rejectionOf(() => run(c.name, ...args));
      expect(e.code, c.name).toBe('usage');
      expect(e.message, c.name).toBe(`not confirmed: ${c.confirm!(args)}`);
      expect(e.hint, c.name).toBe(`umux ${c.name} ${args.join(' ')} --yes`);
    }
    expect(heard.mconsole).toEqual([]);
  });

  it('runs a sysrq letter that asks nothing without --yes', async () => {
    const { run, heard } = world([live()], { mc: () => reply('SysRq : Show Memory\nmore') });
    expect(await run('sysrq', 'web1', 'm')).toEqual({ data: { reply: 'SysRq : Show Memory\nmore' }, text: 'OK SysRq : Show Memory\nmore' });
    expect(heard.mconsole).toEqual(['sysrq m']);
  });
});

describe('dispatch runs each served command', () => {
  it('ls: the rows of every guest and the definition problems', async () => {
    const r = await world([live(), live({ name: 'web2' })]).run('ls');
    const data = r.data as { guests: Array<{ name: string; lastEventAt: string | null }>; problems: unknown[] };
    expect(data.guests.map((g) => g.name)).toEqual(['web1', 'web2']);
    expect(data.guests[0]).toMatchObject({ state: 'running', consoleGroups: expect.any(Array), lastEventAt: null });
    expect(data.problems).toEqual([]);
    expect(r.text).toBeUndefined();
  });

  it('start: the guest as ls shows it, and a warning in data and text when there is one', async () => {
    const did: string[] = [];
    expect(await world([managed(did)]).run('start', 'web1')).toEqual({ data: expect.objectContaining({ name: 'web1', state: 'running' }), text: `web1: running, pid ${process.pid}` });
    const warned = await world([managed(did, { warning: 'mem=64M may not fit' })]).run('start', 'web1');
    expect(warned.data).toMatchObject({ warning: 'mem=64M may not fit' });
    expect(warned.text).toBe(`web1: running, pid ${process.pid}\nwarning: mem=64M may not fit`);
    expect(did).toEqual(['start', 'start']);
  });

  it('stop: the steps taken, and --force passed on', async () => {
    const forces: boolean[] = [];
    const g = live({ with: { stop: async (o) => (forces.push(o?.force === true), ['cad: no answer', 'SIGKILL']) } });
    const { run } = world([g]);
    expect(await run('stop', 'web1')).toEqual({ data: { steps: ['cad: no answer', 'SIGKILL'] }, text: 'web1: running\n  cad: no answer\n  SIGKILL' });
    await run('stop', 'web1', '--force');
    expect(forces).toEqual([false, true]);
  });

  it('restart of a managed guest: stop, then start', async () => {
    const did: string[] = [];
    expect(await world([managed(did)]).run('restart', 'web1')).toEqual({ data: { steps: ['halt: ok'] }, text: `web1: restarted, pid ${process.pid}` });
    expect(did).toEqual(['stop', 'start']);
  });

  it('restart of an adopted guest: relaunched from its command line and waited for until the scan finds it running', async () => {
    let relaunched = 0;
    const part = { name: 'u1', umid: 'u1', pid: null, relaunch: () => relaunched++, stop: async () => [] } as unknown as AdoptedGuest;
    const before = fakeGuest({ name: 'u1', kind: 'adopted', state: 'stale', pid: null, with: { adopted: part } });
    const after = fakeGuest({ name: 'u1', kind: 'adopted', state: 'running', pid: 777 });
    const { run, heard } = world([before], { after: () => [after] });
    expect(await run('restart', 'u1')).toEqual({ data: { steps: ['not running'], pid: 777 }, text: 'u1: restarted from its recorded command line, pid 777' });
    expect(relaunched).toBe(1);
    expect(heard.rescans).toBeGreaterThanOrEqual(1);
  });

  it('send: the text and Enter typed into the console, or without Enter; busy when the console is not read', async () => {
    const typed: string[] = [];
    let reading = true;
    const hub = { writeFromServer: (b: Uint8Array) => (reading && typed.push(new TextDecoder().decode(b)), reading) };
    const { run } = world([live({ hubs: ['con0', 'con1'], lines: [{ name: 'con0', clients: 0, lost: false }, { name: 'con1', clients: 0, lost: false }], hub })]);
    expect(await run('send', 'web1', 'echo', 'hi')).toEqual({ data: { bytes: 8 } });
    expect(await run('send', 'web1:con1', '-n', 'ls')).toEqual({ data: { bytes: 2 } });
    expect(typed).toEqual(['echo hi\r', 'ls']);
    reading = false;
    const e = await rejectionOf(() => run('send', 'web1', 'x'));
    expect(e.code).toBe('busy');
    expect(e.message).toBe('web1:con0 is not reading its console (over 1 MiB of typing waits): nothing sent');
    expect(e.hint).toBe('is it paused? umux go web1');
  });

  it('send to a console that is not open says why (the console lookup)', async () => {
    const e = await rejectionOf(() => world([live()]).run('send', 'web1:con3', 'x'));
    expect(e.message).toBe('web1 has no console con3');
  });

  it('events: the guest event log', async () => {
    const events = [{ at: '2026-01-01T00:00:00.000Z', text: 'started' }];
    expect(await world([live()], { events }).run('events', 'web1')).toEqual({ data: events });
  });

  it('log: the last lines of the console log file, at most --lines; refused outside its bounds', async () => {
    fs.mkdirSync(path.join(logRoot, 'web1'), { recursive: true });
    fs.writeFileSync(path.join(logRoot, 'web1', 'con0.log'), 'one\ntwo\nthree\n');
    const { run } = world([live()]);
    expect((await run('log', 'web1', '-n', '2')).text).toBe('two\nthree\n');
    expect((await run('log', 'web1')).text).toBe('one\ntwo\nthree\n');
    const e = await rejectionOf(() => run('log', 'web1', '--lines', 'lots'));
    expect(e.message).toMatch(/^log: --lines expects a whole number from 0 to \d+, got "lots"$/);
  });

  it('log --times: each line with its time (unknown here), in data and text', async () => {
    fs.mkdirSync(path.join(logRoot, 'web1'), { recursive: true });
    fs.writeFileSync(path.join(logRoot, 'web1', 'con0.log'), 'a\nb\n');
    const r = await world([live()]).run('log', 'web1', '--times');
    expect((r.data as { lines: unknown[] }).lines).toHaveLength(2);
    expect(r.text).toMatch(/a\n.*b\n?$/);
  });

  it('log of a line umux never held and has no file for says so', async () => {
    const g = live({ name: 'web3', lines: [{ name: 'con0', clients: 0, lost: false, status: 'waiting' }] });
    const e = await rejectionOf(() => world([g]).run('log', 'web3'));
    expect(e.code).toBe('not-running');
    expect(e.message).toBe('web3:con0 has no log: umux has not held it (waiting)');
  });

  it('cad, halt, reboot: the verb sent over MConsole once confirmed', async () => {
    for (const verb of ['cad', 'halt', 'reboot']) {
      const { run, heard } = world([live()]);
      expect(await run(verb, 'web1', '--yes'), verb).toEqual({ data: { reply: '' }, text: `web1: ${verb} sent` });
      expect(heard.mconsole, verb).toEqual([verb]);
    }
  });

  it('pause and go: MConsole stop and go, and the guest marked paused and running', async () => {
    const states: string[] = [];
    const g = live({ with: { setState: (s) => states.push(s) } });
    const { run, heard } = world([g]);
    expect(await run('pause', 'web1')).toEqual({ data: { reply: '' }, text: 'web1: paused' });
    expect(g.paused).toBe(true);
    expect((await rejectionOf(() => run('pause', 'web1'))).message).toBe('web1 is already paused');
    expect(await run('go', 'web1')).toEqual({ data: { reply: '' }, text: 'web1: running' });
    expect(g.paused).toBe(false);
    expect(heard.mconsole).toEqual(['stop', 'go']);
    expect(states).toEqual(['paused', 'running']);
  });

  it('sysrq: refuses a letter that is not one', async () => {
    const e = await rejectionOf(() => world([live()]).run('sysrq', 'web1', 'Q'));
    expect(e.code).toBe('usage');
    expect(e.message).toMatch(/^sysrq: expected one of .*, got "Q"$/);
  });

  it('mc: the reply as uml_mconsole prints it; a refused verb, an ERR reply', async () => {
    const { run, heard } = world([live()], { mc: (c) => (c === 'version' ? reply('Linux 6.1') : reply('unknown', false)) });
    expect(await run('mc', 'web1', 'version')).toEqual({ data: { ok: true, text: 'Linux 6.1' }, text: 'OK Linux 6.1' });
    const bad = await rejectionOf(() => run('mc', 'web1', 'frob'));
    expect(bad.message).toMatch(/frob/);
    const err = await rejectionOf(() => run('mc', 'web1', 'config', 'ubdz'));
    expect(err).toMatchObject({ code: 'guest-error', message: 'ERR unknown' });
    expect(heard.mconsole).toEqual(['version', 'config ubdz']);
  });

  it('config: the device spec sent, asked again, and a new console followed', async () => {
    const added: string[] = [];
    const { run, heard } = world([live({ with: { consoleAdded: (line) => added.push(line) } })], { mc: (c) => reply(c === 'config con2' ? 'pts:/dev/pts/9' : '') });
    expect(await run('config', 'web1', 'con2=pts')).toEqual({
      data: { request: 'config con2=pts', device: 'con2', now: 'pts:/dev/pts/9', verified: true },
      text: 'web1: config con2=pts: OK\nconfig con2 now: pts:/dev/pts/9',
    });
    expect(heard.mconsole).toEqual(['config con2=pts', 'config con2']);
    expect(added).toEqual(['con2']);
  });

  it('remove: the device unplugged (once confirmed) and asked again', async () => {
    const { run, heard } = world([live()]);
    expect(await run('remove', 'web1', 'con2', '--yes')).toEqual({ data: { device: 'con2', now: '' }, text: 'web1: removed con2; config con2 now: (empty)' });
    expect(heard.mconsole).toEqual(['remove con2', 'config con2']);
  });

  it('backup: paused, synced, each disk copied where --to says (else under the backup root), resumed', async () => {
    const disk = path.join(logRoot, 'disk.img');
    fs.writeFileSync(disk, 'disk bytes');
    const { run, heard } = world([live()], { mc: (c) => reply(c === 'config ubda' ? `${disk},` : '') });
    const to = path.join(logRoot, 'copies');
    const r = await run('backup', 'web1', '--to', to);
    expect(r.data).toEqual({ dir: to, copies: [{ device: 'ubda', from: disk, to: path.join(to, 'ubda-disk.img'), ok: true }] });
    expect(fs.readFileSync(path.join(to, 'ubda-disk.img'), 'utf8')).toBe('disk bytes');
    expect(heard.mconsole.filter((c) => !c.startsWith('config '))).toEqual(['stop', 'sysrq s', 'go']);
    const byDefault = await run('backup', 'web1');
    expect((byDefault.data as { dir: string }).dir.startsWith(path.join(logRoot, 'umux-backups', 'web1') + path.sep)).toBe(true);
  });

  it('clean of a running adopted guest is refused, and the guest is not forgotten', async () => {
    const part = { name: 'u1', umid: 'u1', pid: process.pid, socket: '/x', dir: '/x' } as unknown as AdoptedGuest;
    const { run, heard } = world([live({ name: 'u1', kind: 'adopted', with: { adopted: part } })]);
    const e = await rejectionOf(() => run('clean', 'u1'));
    expect(e.code).toBe('busy');
    expect(e.message).toBe(`u1 is running (pid ${process.pid}): nothing stale to clean`);
    expect(heard.forgot).toEqual([]);
  });

  it('host: a fresh sample, or with --recent the latest periodic one', async () => {
    const { run, heard } = world([]);
    expect(await run('host')).toEqual({ data: { sample: { at: 1 }, history: [{ at: 1 }] } });
    await run('host', '--recent');
    expect(heard.samples).toEqual([false, true]);
  });

  it('kill-server: replies first, then stops the server', async () => {
    const { run, heard } = world([]);
    expect(await run('kill-server')).toEqual({ data: null, text: 'umux server stopping; guests keep running' });
    expect(heard.killed).toBe(0);
    await new Promise((r) => setImmediate(r));
    expect(heard.killed).toBe(1);
  });

  it('has a case for every command it serves (none falls to "no handler")', async () => {
    const { run } = world([]);
    for (const c of SERVED) {
      const argv = [c.name, ...Array.from({ length: c.minArgs }, () => 'nobody'), ...(c.confirm ? ['--yes'] : [])];
      const err = await run(...argv).then(() => undefined, (e: unknown) => e as Error);
      expect(err?.message ?? '', c.name).not.toMatch(/has no handler/);
    }
  });
});
