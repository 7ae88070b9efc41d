// The server pushes (issue 12, item 3): a client subscribes once and, asking nothing more, hears the guest list at
// once and on each change, each event, and host samples; a read-only client may subscribe; a new or edited
// definition reaches subscribers; nothing is sent while nothing changes. `umux events -f` and `umux ls --watch`,
// piped, print what happens and end cleanly on Ctrl-C (SIGINT).

import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerSession } from '../../src/client/session.js';
import type { GuestListWire } from '../../src/protocol/wire-messages.js';
import type { HostSample } from '../../src/protocol/host-types.js';
import { umlSkip } from '../helpers/uml.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';

const GUEST = 'push1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A subscribed session and everything it heard. */
interface Heard {
  session: ServerSession;
  lists: GuestListWire[];
  events: Array<{ guest: string; at: string; text: string }>;
  hosts: Array<{ sample: HostSample; history?: HostSample[] }>;
}

async function subscribed(world: UmuxWorld, opts: { readOnly?: boolean; host?: boolean; history?: false } = {}): Promise<Heard> {
  const session = await ServerSession.connect({ env: world.env, ...(opts.readOnly ? { readOnly: true } : {}) });
  const heard: Heard = { session, lists: [], events: [], hosts: [] };
  session.onGuests((l) => heard.lists.push(l));
  session.onEvent((e) => heard.events.push(e));
  session.onHost((h) => heard.hosts.push(h));
  await session.subscribe(opts.host ? { host: true, ...(opts.history === false ? { history: false } : {}) } : {});
  return heard;
}

const stateOf = (l: GuestListWire | undefined, name: string) => l?.guests.find((g) => g.name === name)?.state;

/** A piped umux child, its stdout kept as text. */
function piped(world: UmuxWorld, args: string[]): { child: ChildProcess; out: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [UMUX_BIN, ...args], { env: world.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr!.on('data', () => undefined);
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, out: () => out, exit };
}

describe.skipIf(umlSkip())('the server pushes', () => {
  let world: UmuxWorld;
  beforeAll(async () => {
    world = new UmuxWorld();
    world.define(GUEST, 'consoles = 1\n');
    await world.ok(['ls']); // the server is up
  }, 60_000);
  afterAll(async () => {
    await world?.dispose();
  });

  it('a subscriber hears start and stop, their events and the host, without asking; piped events -f and ls --watch print them', async () => {
    const writer = await subscribed(world, { host: true });
    const reader = await subscribed(world, { readOnly: true });
    const follow = piped(world, ['events', '-f', GUEST]);
    const watch = piped(world, ['ls', '--watch']);
    try {
      // At once: the list (the same rows as ls --json) and the host sample with its history.
      await waitUntil('the first list', () => (writer.lists.length > 0 && reader.lists.length > 0 ? true : undefined), 5000);
      expect(stateOf(writer.lists[0], GUEST)).toBe('stopped');
      expect(stateOf(reader.lists[0], GUEST)).toBe('stopped');
      const ls = JSON.parse(await world.ok(['ls', '--json'])) as GuestListWire;
      expect(Object.keys(writer.lists[0]!.guests[0]!).sort()).toEqual(Object.keys(ls.guests[0]!).sort());
      await waitUntil('a host sample with history', () => (writer.hosts[0]?.history ? true : undefined), 5000);
      expect(reader.hosts).toEqual([]); // it did not ask for them
      await waitUntil('ls --watch printed the table', () => (/push1\s+stopped/.test(watch.out()) ? true : undefined), 10_000);

      await world.ok(['start', GUEST]);
      for (const h of [writer, reader]) {
        await waitUntil('running pushed', () => (h.lists.some((l) => stateOf(l, GUEST) === 'running') ? true : undefined), 15_000);
        expect(h.events.some((e) => e.guest === GUEST && /-> (starting|running)/.test(e.text))).toBe(true);
      }
      await waitUntil('events -f printed the start', () => (/-> running/.test(follow.out()) ? true : undefined), 15_000);
      await waitUntil('ls --watch printed running', () => (/push1\s+running/.test(watch.out()) ? true : undefined), 15_000);

      await world.ok(['stop', GUEST]);
      await waitUntil('stopped pushed', () => (stateOf(reader.lists.at(-1), GUEST) === 'stopped' || stateOf(reader.lists.at(-1), GUEST) === 'exited' ? true : undefined), 30_000);
      await waitUntil('events -f printed the stop', () => (/running -> /.test(follow.out()) ? true : undefined), 15_000);
      // The events -f lines are the event log's, in its order, each once.
      const logged = (await world.ok(['events', GUEST])).trimEnd().split('\n');
      await waitUntil('events -f caught up', () => (follow.out().trimEnd().split('\n').length >= logged.length ? true : undefined), 5000);
      expect(follow.out().trimEnd().split('\n')).toEqual(logged);
      // Nobody asked: these sessions sent no request.
      expect(writer.session.requestsSent + reader.session.requestsSent).toBe(0);

      // Ctrl-C ends both cleanly.
      follow.child.kill('SIGINT');
      watch.child.kill('SIGINT');
      expect(await follow.exit).toBe(0);
      expect(await watch.exit).toBe(0);
    } finally {
      follow.child.kill('SIGKILL');
      watch.child.kill('SIGKILL');
      writer.session.dispose();
      reader.session.dispose();
    }
  }, 120_000);

  it('leaves the host history out of the first sample when asked (history: false); host --recent still gives it', async () => {
    const lean = await subscribed(world, { host: true, history: false });
    const full = await subscribed(world, { host: true });
    try {
      await waitUntil('both first samples', () => (lean.hosts.length > 0 && full.hosts.length > 0 ? true : undefined), 5000);
      expect(lean.hosts[0]!.history).toBeUndefined();
      expect(lean.hosts[0]!.sample.at).toBeGreaterThan(0);
      const kept = full.hosts[0]!.history!.length;
      expect(kept).toBeGreaterThan(0);
      const asked = (await lean.session.request(['host', '--recent'])).data as { history: HostSample[] };
      expect(asked.history.length).toBeGreaterThanOrEqual(kept);
      expect(asked.history.at(-1)!.at).toBeGreaterThanOrEqual(lean.hosts[0]!.sample.at);
    } finally {
      lean.session.dispose();
      full.session.dispose();
    }
  }, 60_000);

  it('sends nothing while nothing changes; a new or edited definition is pushed', async () => {
    const h = await subscribed(world);
    try {
      await waitUntil('the first list', () => (h.lists.length > 0 ? true : undefined), 5000);
      await sleep(3500); // over three scans of the server
      expect(h.lists.length).toBe(1);
      world.define('push2');
      await waitUntil('push2 pushed', () => (h.lists.at(-1)?.guests.some((g) => g.name === 'push2') ? true : undefined), 5000);
      const mem = () => h.lists.at(-1)?.guests.find((g) => g.name === 'push2')?.mem;
      const first = mem();
      world.define('push2', `mem = "48M"\numl_dir = "${world.umlDir}"\nhostfs_root = "${world.root()}"\n`, { raw: true });
      await waitUntil('the edit pushed', () => (mem() !== first ? true : undefined), 5000);
      expect(mem()).toMatch(/48/);
    } finally {
      h.session.dispose();
    }
  }, 60_000);

  it('ls --watch and events -f subscribe again after the server is killed, and print what happens next', async () => {
    const watch = piped(world, ['ls', '--watch']);
    const follow = piped(world, ['events', '-f', GUEST]);
    try {
      await waitUntil('the table', () => (/push1\s+(stopped|exited)/.test(watch.out()) ? true : undefined), 10_000);
      const old = world.serverPid()!;
      process.kill(old, 'SIGKILL');
      // A riding client starts a new server after its grace; both subscribe to it again.
      await waitUntil('a new server', () => (world.serverPid() !== undefined && world.serverPid() !== old ? true : undefined), 20_000);
      const printed = watch.out().length;
      await world.ok(['start', GUEST]);
      await waitUntil('running printed after the restart', () => (/push1\s+running/.test(watch.out().slice(printed)) ? true : undefined), 20_000);
      // The first start (the test above) and this one.
      await waitUntil('the start followed after the restart', () => ((follow.out().match(/-> running/g) ?? []).length >= 2 ? true : undefined), 20_000);
      watch.child.kill('SIGINT');
      follow.child.kill('SIGINT');
      expect(await watch.exit).toBe(0);
      expect(await follow.exit).toBe(0);
      // Every event printed once, in order, across the restart: what was printed is the start of the event log
      // (the same text may rightly come twice in one second: a set of lines would call that a repeat).
      const lines = follow.out().trimEnd().split('\n');
      const logged = (await world.ok(['events', GUEST])).trimEnd().split('\n');
      expect(lines).toEqual(logged.slice(0, lines.length));
    } finally {
      watch.child.kill('SIGKILL');
      follow.child.kill('SIGKILL');
    }
  }, 90_000);
});
