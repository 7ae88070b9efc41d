// Read-only holds at the wire, whatever the client: a raw client says hello as read-only and sends every command of
// the table that changes something (iterated, so a new command is covered by itself) against a real running guest;
// each is refused with the one-line message, and the guest is untouched (same pid, state, consoles; nothing typed).
// Looking works (ls, events, host, log, a read-only attach); typing, a writer's attach and a second hello do not.

import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/commands/table.js';
import { ServerSession } from '../../src/client/session.js';
import { parseArgs } from '../../src/commands/parse.js';
import type { CommandSpec } from '../../src/commands/types.js';
import { encodeDataFrame, encodeJsonFrame, FrameDecoder } from '../../src/protocol/wire-framing.js';
import { PROTOCOL_VERSION } from '../../src/protocol/wire-messages.js';
import { umlSkip } from '../helpers/uml.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';

const GUEST = 'ro1';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Msg = { t: string; id?: number; ok?: boolean; error?: { code: string; message: string; hint?: string }; data?: unknown; text?: string; stream?: number; reason?: string; readOnly?: boolean };

/** A client that speaks the wire by hand (no umux client code): frames in, decoded messages kept. */
class RawClient {
  readonly messages: Msg[] = [];
  closed = false;
  private nextId = 1;
  private readonly decoder = new FrameDecoder();

  private constructor(private readonly sock: net.Socket) {
    sock.on('data', (b: Buffer) => {
      for (const f of this.decoder.push(new Uint8Array(b))) if (f.kind === 'json') this.messages.push(f.value as Msg);
    });
    sock.on('error', () => undefined);
    sock.on('close', () => (this.closed = true));
  }

  static async open(world: UmuxWorld, readOnly: boolean): Promise<RawClient> {
    const sock = net.createConnection(path.join(world.socketDir, 'server.sock'));
    await new Promise((r) => sock.once('connect', r));
    const c = new RawClient(sock);
    c.json({ t: 'hello', version: PROTOCOL_VERSION, pid: process.pid, user: 'watcher', program: 'wire-test', readOnly });
    await waitUntil('welcome', () => c.messages.find((m) => m.t === 'welcome'), 5000);
    return c;
  }

  json(value: unknown): void {
    this.sock.write(encodeJsonFrame(value));
  }

  data(stream: number, text: string): void {
    this.sock.write(encodeDataFrame(stream, new TextEncoder().encode(text)));
  }

  /** Sends a message with a fresh id and waits for the message answering it (reply, or attached for an attach). */
  async ask(msg: Record<string, unknown>, timeoutMs = 15_000): Promise<Msg> {
    const id = this.nextId++;
    this.json({ ...msg, id });
    return waitUntil(`an answer to ${JSON.stringify(msg)}`, () => this.messages.find((m) => m.id === id && (m.t === 'reply' || m.t === 'attached')), timeoutMs);
  }

  request(argv: string[]): Promise<Msg> {
    return this.ask({ t: 'request', argv });
  }

  destroy(): void {
    this.sock.destroy();
  }
}

/** Positional arguments beyond the target, where a command needs them: the most harmful plausible line. */
const EXAMPLE_ARGS: Record<string, string[]> = {
  sysrq: ['b'],
  config: ['con5=pts'],
  remove: ['con1'],
  send: ['echo', 'ro-sent-$((6*7))'],
  mc: ['halt'],
  mconsole: [GUEST, 'halt'],
};

/** A line a writer could send for this command: every flag it has (--yes, --hard, --force ...), then its arguments. */
function exampleArgv(spec: CommandSpec): string[] {
  const flags = spec.options.filter((o) => o.value === undefined && o.name !== 'json').map((o) => `--${o.name}`);
  const target = spec.usage.startsWith('NAME[:CONSOLE]') ? [`${GUEST}:con0`] : spec.usage.startsWith('NAME') ? [GUEST] : [];
  const args = [...target, ...(EXAMPLE_ARGS[spec.name] ?? [])];
  while (args.length < spec.minArgs) args.push('x');
  return [spec.name, ...flags, ...args];
}

const changing = COMMANDS.filter((c) => c.changes !== false);
/** What the server runs for anyone: the looking commands (log's tail is served too). */
const looking = COMMANDS.filter((c) => c.changes === false && (c.runsIn === 'server' || c.name === 'log'));

interface GuestView {
  state: string;
  pid: number | null;
  consoles: Array<{ name: string }>;
}

describe.skipIf(umlSkip())('read-only at the wire', () => {
  let world: UmuxWorld;
  let before: GuestView;

  const guestNow = async (c: RawClient): Promise<GuestView> => {
    const ls = await c.request(['ls']);
    expect(ls.ok).toBe(true);
    const g = (ls.data as { guests: Array<GuestView & { name: string }> }).guests.find((x) => x.name === GUEST)!;
    return { state: g.state, pid: g.pid, consoles: g.consoles.map((k) => ({ name: k.name })) };
  };

  beforeAll(async () => {
    world = new UmuxWorld();
    world.define(GUEST, 'consoles = 1\n');
    await world.ok(['start', GUEST]);
    await world.waitForShell(GUEST);
    const c = await RawClient.open(world, false);
    before = await guestNow(c);
    c.destroy();
    expect(before.state).toBe('running');
  }, 60_000);
  afterAll(async () => {
    await world?.dispose();
  });

  it('the table has changing and looking commands, and each example line parses (so a refusal is about read-only)', () => {
    expect(changing.map((c) => c.name)).toEqual(expect.arrayContaining(['halt', 'kill', 'config', 'send', 'stop', 'kill-server']));
    expect(looking.map((c) => c.name).sort()).toEqual(['boots', 'events', 'host', 'log', 'ls']);
    for (const spec of changing) expect(() => parseArgs(spec, exampleArgv(spec).slice(1)), exampleArgv(spec).join(' ')).not.toThrow();
  });

  it('refuses every changing command with one line naming it and how to get a writer; the guest is untouched', async () => {
    const c = await RawClient.open(world, true);
    try {
      for (const spec of changing) {
        const argv = exampleArgv(spec);
        const reply = await c.request(argv);
        expect(reply.ok, argv.join(' ')).toBe(false);
        expect(reply.error?.code).toBe('permission');
        expect(reply.error?.message).toBe(`read-only client: "${spec.name}" changes the ${spec.changes}; ask for a writer (connect without --read-only)`);
        expect(reply.error?.message).not.toContain('\n');
        expect(reply.error?.hint).toBeUndefined();
      }
      await sleep(500); // anything that had slipped through (a halt, a kill) would show by now
      const after = await guestNow(c);
      expect(after).toEqual(before);
      expect(world.guestPid(GUEST)).toBe(before.pid);
      expect(world.serverPid()).toBeDefined();
    } finally {
      c.destroy();
    }
  });

  it('lets a read-only client look: ls, events, host, log (with times)', async () => {
    const c = await RawClient.open(world, true);
    try {
      for (const spec of looking) {
        const argv = exampleArgv(spec);
        const reply = await c.request(argv);
        expect(reply.ok, `${argv.join(' ')}: ${reply.error?.message}`).toBe(true);
      }
      const tail = await c.request(['log', `${GUEST}:con0`, '--lines', '50', '--times']);
      expect(tail.ok, tail.error?.message).toBe(true);
      expect(tail.text).toContain('/ # ');
    } finally {
      c.destroy();
    }
  });

  it("attaches read-only, but its typing does not reach the guest; attaching to type is refused", async () => {
    const c = await RawClient.open(world, true);
    const w = await RawClient.open(world, false);
    try {
      const typist = await c.ask({ t: 'attach', guest: GUEST, console: 'con0', readOnly: false });
      expect(typist.t).toBe('reply');
      expect(typist.error?.message).toBe('read-only client: "attach" to type (readOnly false) changes the guest; ask for a writer (connect without --read-only)');
      const watch = await c.ask({ t: 'attach', guest: GUEST, console: 'con0', readOnly: true });
      expect(watch.t).toBe('attached');
      c.data(watch.stream!, 'echo ro-typed-$((6*7))\r');
      c.json({ t: 'resize', stream: watch.stream, cols: 33, rows: 11 });
      await waitUntil('a read-only notice', () => c.messages.find((m) => m.t === 'notice' && m.stream === watch.stream));
      // A writer's line after it: once that has echoed, the read-only line would have too.
      const sent = await w.request(['send', `${GUEST}:con0`, 'echo writer-mark-$((2*3))']);
      expect(sent.ok, sent.error?.message).toBe(true);
      await waitUntil("the writer's line in the log", () => world.logText(GUEST).includes('writer-mark-6') || undefined);
      expect(world.logText(GUEST)).not.toContain('ro-typed-42');
      expect(world.logText(GUEST)).not.toContain('ro-sent-42');
      expect(world.guestPid(GUEST)).toBe(before.pid);
    } finally {
      c.destroy();
      w.destroy();
    }
  });

  it("umux's own client says read-only in hello (as tui -r and attach -r do): the server refuses it, not the client", async () => {
    const s = await ServerSession.connect({ env: world.env, program: 'umux-tui', readOnly: true });
    try {
      await expect(s.request(['kill', GUEST, '--hard', '--yes'])).rejects.toThrow('read-only client: "kill" changes the guest; ask for a writer (umux tui without --read-only)');
      await expect(s.attach(GUEST, 'con0', { readOnly: false })).rejects.toThrow(/^read-only client: "attach" to type/);
      expect((await s.request(['events', GUEST])).data).toBeInstanceOf(Array);
      expect(world.guestPid(GUEST)).toBe(before.pid);
    } finally {
      s.dispose();
    }
  });

  it('a read-only connection cannot say hello again as a writer: it is let go', async () => {
    const c = await RawClient.open(world, true);
    try {
      c.json({ t: 'hello', version: PROTOCOL_VERSION, pid: process.pid, user: 'watcher', program: 'wire-test', readOnly: false });
      const bye = await waitUntil('a bye', () => c.messages.find((m) => m.t === 'bye'));
      expect(bye.reason).toMatch(/^a second hello/);
      await waitUntil('the connection closed', () => c.closed || undefined);
    } finally {
      c.destroy();
    }
  });
});
