// A connection as the server sees it, over a fake socket, with the real dispatch behind it (fake guests, no UML):
// read-only clients are refused every command that changes something and allowed every one that looks (driven from
// the command table), and replies have the shape clients read: id, ok, data and text, or error code, message, hint.

import type net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/commands/table.js';
import { encodeJsonFrame } from '../../../src/protocol/wire-framing.js';
import { errorFromWire, PROTOCOL_VERSION, type ServerMessage } from '../../../src/protocol/wire-messages.js';
import { findHub } from '../../../src/server/console-lookup.js';
import { ServerClient, type ServerContext } from '../../../src/server/server-client.js';
import { live, world } from '../../helpers/dispatch-world.js';
import { FakeClientSocket } from '../../helpers/fake-client-socket.js';

const clients: ServerClient[] = [];
afterEach(() => {
  for (const c of clients.splice(0)) c.dispose();
});

/** A greeted connection; `ran` lists the argv of each request that reached the server's handler. */
function connect(readOnly: boolean, program = 'umux-tui') {
  const socket = new FakeClientSocket();
  const ran: string[][] = [];
  const { run, ctx: dispatchCtx } = world([live()]);
  const ctx = {
    version: 'test',
    frameTimeoutMs: 60_000,
    handleRequest: (_client: ServerClient, argv: string[]) => (ran.push(argv), run(...argv)),
    findConsole: (guest: string, console: string) => findHub(dispatchCtx.registry, `${guest}:${console}`).hub,
    log: () => undefined,
    changed: () => undefined,
  } as unknown as ServerContext;
  const client = new ServerClient(socket as unknown as net.Socket, ctx);
  clients.push(client);
  const say = (msg: object) => socket.emit('data', Buffer.from(encodeJsonFrame(msg)));
  say({ t: 'hello', version: PROTOCOL_VERSION, pid: process.pid, user: 'admin', program, ...(readOnly ? { readOnly: true } : {}) });
  let nextId = 1;
  /** Sends one request and resolves with its reply. */
  async function request(argv: string[]): Promise<ServerMessage & { t: 'reply' }> {
    const id = nextId++;
    say({ t: 'request', id, argv });
    // Some commands read files (log): a deadline in time, not in turns of the loop, holds on a loaded machine.
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      const r = socket.messages.find((m) => m.t === 'reply' && m.id === id);
      if (r) return r as ServerMessage & { t: 'reply' };
      await new Promise((done) => setTimeout(done, 1));
    }
    throw new Error(`no reply to ${argv.join(' ')} within 10 s`);
  }
  return { socket, ran, request, say };
}

/** Each command with arguments enough to parse (a read-only refusal comes before parsing anyway). */
const argvOf = (name: string) => [name, ...Array.from({ length: COMMANDS.find((c) => c.name === name)!.minArgs }, () => 'web1')];

describe('read-only connections', () => {
  it('are refused every command that changes something, before it reaches the server, with a one-line permission error', async () => {
    const { request, ran } = connect(true);
    const changing = COMMANDS.filter((c) => c.changes !== false);
    expect(changing.length).toBeGreaterThanOrEqual(15);
    for (const c of changing) {
      const r = await request(argvOf(c.name));
      expect(r.ok, c.name).toBe(false);
      if (r.ok) continue;
      expect(r.error, c.name).toEqual({ code: 'permission', message: `read-only client: "${c.name}" changes the ${c.changes}; ask for a writer (umux tui without --read-only)` });
      expect(r.error.message, c.name).not.toContain('\n');
    }
    expect(ran).toEqual([]);
  });

  it('are let through for every command that only looks (the server then runs or refuses it as for anyone)', async () => {
    const { request, ran } = connect(true, 'attach');
    const looking = COMMANDS.filter((c) => c.changes === false);
    for (const c of looking) {
      const r = await request(argvOf(c.name));
      if (!r.ok) expect(r.error.code, c.name).not.toBe('permission');
    }
    expect(ran.map((a) => a[0])).toEqual(looking.map((c) => c.name));
  });

  it('leave an unknown command to the server, which refuses it as unknown', async () => {
    const { request } = connect(true);
    expect(await request(['frobnicate'])).toMatchObject({ ok: false, error: { code: 'usage', message: 'the server does not run "frobnicate"', hint: 'umux help lists the commands' } });
  });

  it('are refused an attach that would type', () => {
    const { say, socket } = connect(true);
    say({ t: 'attach', id: 9, guest: 'web1', console: 'con0', readOnly: false });
    expect(socket.messages.find((m) => m.t === 'reply' && m.id === 9)).toMatchObject({ ok: false, error: { code: 'permission', message: expect.stringMatching(/^read-only client: "attach" to type/) } });
  });
});

describe('replies', () => {
  it('a writer is refused nothing by the read-only rule', async () => {
    const { request, ran } = connect(false);
    const r = await request(['kill-server']);
    expect(r).toEqual({ t: 'reply', id: 1, ok: true, data: null, text: 'umux server stopping; guests keep running' });
    expect(ran).toEqual([['kill-server']]);
  });

  it('carry id, ok and data, and text only when the command has some', async () => {
    const { request } = connect(false);
    const ls = await request(['ls']);
    expect(Object.keys(ls).sort()).toEqual(['data', 'id', 'ok', 't']);
    expect(ls).toMatchObject({ t: 'reply', id: 1, ok: true, data: { guests: [expect.objectContaining({ name: 'web1' })], problems: [] } });
  });

  it('carry an error as code, message and hint, which the client turns back into the same error', async () => {
    const { request } = connect(false);
    const r = await request(['halt', 'web1']);
    expect(Object.keys(r).sort()).toEqual(['error', 'id', 'ok', 't']);
    if (r.ok) throw new Error('halt without --yes was run');
    expect(r.error).toEqual({ code: 'usage', message: expect.stringMatching(/^not confirmed: halt stops web1 now/), hint: 'umux halt web1 --yes' });
    const back = errorFromWire(r.error);
    expect(back.describe()).toBe(`${r.error.message}\n  hint: umux halt web1 --yes`);
  });

  it('leave out the hint when the error has none, and say no such guest as the registry does', async () => {
    const { request } = connect(false);
    const r = await request(['events', 'db9']);
    expect(r).toEqual({ t: 'reply', id: 1, ok: false, error: { code: 'no-such-guest', message: "can't find guest: db9" } });
  });

  it('to an attach that finds no console carry the console lookup\'s error', () => {
    const { say, socket } = connect(false);
    say({ t: 'attach', id: 5, guest: 'db9', console: 'con0', readOnly: true });
    say({ t: 'attach', id: 6, guest: 'web1', console: 'con0', readOnly: true });
    expect(socket.messages.filter((m) => m.t === 'reply')).toEqual([
      { t: 'reply', id: 5, ok: false, error: { code: 'no-such-guest', message: "can't find guest: db9" } },
      { t: 'reply', id: 6, ok: false, error: { code: 'not-running', message: 'web1:con0 cannot be used: it is not open', hint: 'umux config web1 con1=pts, then a getty on tty1 in the guest' } },
    ]);
  });
});
