// A hosting customer's connection as the server sees it (server-client.ts with customer-view.ts), over a fake socket
// with the real dispatch behind it: every command of the table is refused before it reaches the server unless the
// grants allow it, the hello's user name is not believed, and a read-only grant lets the customer watch, never type.

import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/commands/table.js';
import { CustomerAccess } from '../../../src/commands/grants.js';
import { encodeJsonFrame } from '../../../src/protocol/wire-framing.js';
import { PROTOCOL_VERSION } from '../../../src/protocol/wire-messages.js';
import { findHub } from '../../../src/server/console-lookup.js';
import { ServerClient, type ServerContext } from '../../../src/server/server-client.js';
import type { Customer } from '../../../src/server/customer-view.js';
import { live, world } from '../../helpers/dispatch-world.js';
import { FakeClientSocket } from '../../helpers/fake-client-socket.js';

const clients: ServerClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.dispose();
});

/** A greeted customer connection of alice (uid 1001), who may start web1 and watch its console. */
function connectCustomer() {
  const socket = new FakeClientSocket();
  const ran: string[][] = [];
  const { run, ctx: dispatchCtx } = world([live(), live({ name: 'db1' })]);
  const ctx = {
    version: 'test',
    frameTimeoutMs: 60_000,
    handleRequest: (_c: ServerClient, argv: string[]) => (ran.push(argv), run(...argv)),
    findConsole: (guest: string, console: string) => findHub(dispatchCtx.registry, `${guest}:${console}`).hub,
    log: () => undefined,
    changed: () => undefined,
  } as unknown as ServerContext;
  const access = new CustomerAccess('alice', 1001, [{ users: ['alice'], groups: [], guests: ['web1'], owned: false, console: 'read-only', commands: [{ name: 'start' }] }]);
  const seen = [{ name: 'web1' }, { name: 'db1' }];
  const customer: Customer = { principal: { uid: 1001, name: 'alice', access }, guests: () => seen, find: (n) => seen.find((g) => g.name === n) };
  const client = new ServerClient(socket as unknown as net.Socket, ctx, customer);
  clients.push(client);
  const say = (msg: object) => socket.emit('data', Buffer.from(encodeJsonFrame(msg)));
  say({ t: 'hello', version: PROTOCOL_VERSION, pid: process.pid, user: 'root', program: 'cli' });
  return { socket, ran, say, client };
}

const reply = (socket: FakeClientSocket, id: number) => socket.messages.find((m) => 'id' in m && m.id === id);

describe("a hosting customer's connection", () => {
  it('is who its socket says, whatever the hello claims', () => {
    expect(connectCustomer().client.user).toBe('alice');
  });

  it('is refused every command of the table its grants do not allow, before the server runs it', async () => {
    const { socket, ran, say } = connectCustomer();
    const allowed = new Set(['ls', 'events', 'boots', 'start', 'log']);
    let id = 100;
    for (const c of COMMANDS) {
      const argv = [c.name, ...Array.from({ length: c.minArgs }, (_, i) => (i === 0 ? 'web1' : 's'))];
      say({ t: 'request', id: ++id, argv });
      await new Promise((r) => setTimeout(r, 0));
      const r = reply(socket, id);
      if (allowed.has(c.name)) continue;
      expect(r, c.name).toMatchObject({ ok: false, error: { code: expect.stringMatching(/permission|no-such-guest/) } });
    }
    expect([...new Set(ran.map((a) => a[0]))].every((n) => allowed.has(n!))).toBe(true);
  });

  it("answers the other guest as a missing one; lets a read-only grant watch, never type", () => {
    const { socket, say } = connectCustomer();
    say({ t: 'attach', id: 7, guest: 'db1', console: 'con0', readOnly: true });
    expect(reply(socket, 7)).toMatchObject({ ok: false, error: { code: 'no-such-guest', message: 'can\'t find guest: "db1"' } });
    // Past the policy (watching is granted): what answers is the console lookup of this fake guest, not a refusal.
    say({ t: 'attach', id: 8, guest: 'web1', console: 'con0', readOnly: false });
    expect(reply(socket, 8)).toMatchObject({ ok: false, error: { code: 'not-running' } });
    say({ t: 'request', id: 9, argv: ['send', 'web1', 'x'] });
    expect(reply(socket, 9)).toMatchObject({ ok: false, error: { code: 'permission', message: "typing on web1's console (your access is read-only): the hosting policy does not allow it" } });
  });
});
