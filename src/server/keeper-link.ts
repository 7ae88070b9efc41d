// The server's connection to its keeper (DECISIONS.md "Consoles outlive the server"): found on the socket directory's
// keeper.sock or started there, greeted (protocol check, what it holds), then requests with replies and timeouts,
// console bytes routed to each channel's KeptStream, exits to whoever waits for them.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Disposable } from '../core/disposable.js';
import { Emitter, type Event } from '../core/emitter.js';
import { UmuxError } from '../core/errors.js';
import { encodeDataFrame, encodeJsonFrame, FrameDecoder } from '../protocol/wire-framing.js';
import {
  KEEPER_PROTOCOL,
  KEEPER_SOCKET,
  messageType,
  type KeeperToServer,
  type KeptChannelInfo,
  type KeptExit,
  type KeptGuestInfo,
  type ServerToKeeper,
  type SpawnRequest,
} from '../protocol/keeper-wire.js';

const CONNECT_MS = 1000;
const START_MS = 10_000;
const REQUEST_MS = 15_000;

export interface ChannelRoute {
  data(bytes: Buffer): void;
  ended(why: string): void;
  /** The keeper is gone: the fd with it. */
  lost(why: string): void;
}

type Welcome = Extract<KeeperToServer, { t: 'welcome' }>;
type Reply = Extract<KeeperToServer, { t: 'spawned' | 'opened' | 'failed' }>;
/** A request without its `req` (a distributive Omit keeps the union). */
type Request = ServerToKeeper extends infer M ? (M extends { req: number } ? Omit<M, 'req'> : never) : never;

function connectOnce(socket: string): Promise<net.Socket | undefined> {
  return new Promise((resolve) => {
    const s = net.connect(socket);
    const timer = setTimeout(() => {
      s.destroy();
      resolve(undefined);
    }, CONNECT_MS);
    s.once('connect', () => {
      clearTimeout(timer);
      s.removeAllListeners('error');
      resolve(s);
    });
    s.once('error', () => {
      clearTimeout(timer);
      resolve(undefined);
    });
  });
}

/** dist/keeper/main.js beside this file (src/keeper/main.ts under tsx, in unit tests). */
function keeperMain(): { args: string[] } {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const js = path.join(here, '..', 'keeper', 'main.js');
  if (fs.existsSync(js)) return { args: [js] };
  return { args: ['--import', 'tsx', path.join(here, '..', 'keeper', 'main.ts')] };
}

/** Starts a keeper for `socketDir`, detached in its own session, its messages appended to `logFile`. */
function startKeeper(socketDir: string, build: string, logFile: string): void {
  const out = fs.openSync(logFile, 'a', 0o600);
  try {
    const child = spawn(process.execPath, [...keeperMain().args, socketDir, build], { detached: true, stdio: ['ignore', out, out], cwd: '/' });
    child.on('error', () => undefined);
    child.unref();
  } finally {
    fs.closeSync(out);
  }
}

export class KeeperLink implements Disposable {
  private readonly decoder = new FrameDecoder({ sender: 'the keeper', hint: 'stop the keeper (its pid is in the server log) and start the server again' });
  private readonly routes = new Map<number, ChannelRoute>();
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  private readonly exitWaiters = new Map<string, Array<(exit: KeptExit) => void>>();
  private readonly onLostEmitter = new Emitter<string>();
  /** The keeper went away (it died): every console it held is gone. */
  readonly onLost: Event<string> = this.onLostEmitter.event;
  private nextReq = 1;
  private welcomeMsg: Welcome | undefined;
  private closing = false;

  private constructor(private readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = this.decoder.push(chunk);
      } catch (err) {
        this.lose(`the keeper sent a bad frame: ${(err as Error).message}`);
        return;
      }
      for (const f of frames) {
        if (f.kind === 'data') this.routes.get(f.stream)?.data(Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength));
        else this.handle(f.value as KeeperToServer);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.lose('the keeper closed its connection (it died or was killed)'));
  }

  /** Finds the keeper of `socketDir`, or starts one, and greets it. */
  static async open(socketDir: string, build: string, logFile: string): Promise<KeeperLink> {
    const socketPath = path.join(socketDir, KEEPER_SOCKET);
    let socket = await connectOnce(socketPath);
    if (!socket) {
      startKeeper(socketDir, build, logFile);
      const deadline = Date.now() + START_MS;
      while (!socket && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        socket = await connectOnce(socketPath);
      }
    }
    if (!socket) {
      throw new UmuxError('timeout', `the console keeper did not come up on ${socketPath} within ${START_MS} ms`, { hint: `read ${logFile}` });
    }
    const link = new KeeperLink(socket);
    await link.greet(build);
    return link;
  }

  private greet(build: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new UmuxError('timeout', `the console keeper did not answer within ${REQUEST_MS} ms`, { hint: 'kill it (umux-keeper) and start the server again; its consoles are lost' })), REQUEST_MS);
      this.notGreeted = (why) => {
        clearTimeout(timer);
        reject(new UmuxError('io', `the console keeper went away before it answered: ${why}`, { hint: 'read the keeper log in the state directory' }));
      };
      this.greeted = (w) => {
        clearTimeout(timer);
        if (w.protocol !== KEEPER_PROTOCOL) {
          reject(new UmuxError('usage', `the running console keeper (build ${w.build}, pid ${w.pid}) speaks keeper protocol ${w.protocol}, this umux speaks ${KEEPER_PROTOCOL}`, {
            hint: 'stop its guests (or let them run without umux), kill the keeper, then start umux again',
          }));
          return;
        }
        this.welcomeMsg = w;
        resolve();
      };
      this.send({ t: 'hello', protocol: KEEPER_PROTOCOL, build });
    });
  }

  private greeted: ((w: Welcome) => void) | undefined;
  private notGreeted: ((why: string) => void) | undefined;

  /** What the keeper held when this server met it. */
  get welcome(): Welcome {
    return this.welcomeMsg!;
  }

  private readonly claimed = new Set<number>();

  /**
   * The channel the keeper still holds for `key`'s line `name` at `where` (held for a server before this one), once:
   * a second claim gets nothing. Channels of that line at another place (it moved meanwhile) are closed.
   */
  claimHeld(key: string, name: string, where: string): KeptChannelInfo | undefined {
    let found: KeptChannelInfo | undefined;
    for (const c of this.welcome.channels) {
      if (c.key !== key || c.name !== name || this.claimed.has(c.id)) continue;
      this.claimed.add(c.id);
      if (c.where === where && c.ended === undefined && !found) found = c;
      else this.close(c.id);
    }
    return found;
  }

  /** `KEEPER_START.ID`: names a channel across keepers (a restarted keeper counts its channels from 1 again). */
  channelTag(id: number): string {
    return `${this.welcome.startedAt}.${id}`;
  }

  private handle(msg: KeeperToServer): void {
    switch (messageType(msg)) {
      case 'welcome':
        this.greeted?.(msg as Welcome);
        return;
      case 'spawned':
      case 'opened':
      case 'failed': {
        const r = msg as Reply;
        const p = this.pending.get(r.req);
        if (!p) return;
        this.pending.delete(r.req);
        clearTimeout(p.timer);
        p.resolve(r);
        return;
      }
      case 'ended': {
        const m = msg as Extract<KeeperToServer, { t: 'ended' }>;
        this.routes.get(m.channel)?.ended(m.why);
        return;
      }
      case 'exit': {
        const m = msg as Extract<KeeperToServer, { t: 'exit' }>;
        const waiters = this.exitWaiters.get(m.key) ?? [];
        this.exitWaiters.delete(m.key);
        for (const w of waiters) w(m.exit);
        return;
      }
      default:
        // An older keeper that does not know a request, or a newer message: nothing waits on it.
        return;
    }
  }

  private send(msg: ServerToKeeper): void {
    if (!this.socket.destroyed) this.socket.write(encodeJsonFrame(msg));
  }

  private request(msg: Request, what: string): Promise<Reply> {
    const req = this.nextReq++;
    return new Promise((resolve, reject) => {
      if (this.socket.destroyed) {
        reject(new UmuxError('io', `${what}: the console keeper is gone`, { hint: 'start the server again (umux kill-server, then any umux command)' }));
        return;
      }
      const timer = setTimeout(() => {
        this.pending.delete(req);
        reject(new UmuxError('timeout', `${what}: the console keeper did not answer within ${REQUEST_MS} ms`, { hint: 'read the keeper log in the state directory' }));
      }, REQUEST_MS);
      this.pending.set(req, { resolve, reject, timer });
      this.send({ ...msg, req } as ServerToKeeper);
    });
  }

  /** `what: message`, or the keeper's message alone when `what` is empty (the caller words it). */
  private static failure(r: Reply, what: string): UmuxError {
    const f = r as Extract<Reply, { t: 'failed' }>;
    const code = f.code === 'EACCES' || f.code === 'EPERM' ? 'permission' : 'io';
    return new UmuxError(code, what ? `${what}: ${f.message}` : f.message, { hint: f.hint ?? 'the console keeper could not do it; the server log says more' });
  }

  async spawn(spec: SpawnRequest): Promise<KeptGuestInfo> {
    const r = await this.request({ t: 'spawn', ...spec }, `starting ${spec.key}`);
    if (r.t !== 'spawned') throw KeeperLink.failure(r, `cannot start ${path.basename(spec.file)}`);
    return r.guest;
  }

  async openTerminal(key: string, name: string, device: string, uid: number): Promise<KeptChannelInfo> {
    const r = await this.request({ t: 'open', key, name, path: device, uid }, `holding ${device}`);
    if (r.t !== 'opened') throw KeeperLink.failure(r, '');
    return r.channel;
  }

  async connectPort(key: string, name: string, port: number): Promise<KeptChannelInfo> {
    const r = await this.request({ t: 'connect', key, name, port }, `holding port ${port}`);
    if (r.t !== 'opened') throw KeeperLink.failure(r, `cannot hold ${name} at port ${port}`);
    return r.channel;
  }

  /** Routes a channel's bytes from `from` on to `route`. */
  stream(channel: number, from: number, route: ChannelRoute): Disposable {
    this.routes.set(channel, route);
    this.send({ t: 'stream', channel, from });
    return { dispose: () => this.routes.get(channel) === route && this.routes.delete(channel) };
  }

  write(channel: number, bytes: Uint8Array): void {
    if (!this.socket.destroyed) this.socket.write(encodeDataFrame(channel, bytes));
  }

  ack(channel: number, upTo: number): void {
    this.send({ t: 'ack', channel, upTo });
  }

  resize(channel: number, cols: number, rows: number): void {
    this.send({ t: 'resize', channel, cols, rows });
  }

  close(channel: number): void {
    this.routes.delete(channel);
    this.send({ t: 'close', channel });
  }

  release(key: string): void {
    this.send({ t: 'release', key });
  }

  /** Calls `fn` once when the keeper reports the exit of `key`'s guest. */
  onExit(key: string, fn: (exit: KeptExit) => void): Disposable {
    const list = this.exitWaiters.get(key) ?? [];
    list.push(fn);
    this.exitWaiters.set(key, list);
    return { dispose: () => this.exitWaiters.set(key, (this.exitWaiters.get(key) ?? []).filter((w) => w !== fn)) };
  }

  get alive(): boolean {
    return !this.socket.destroyed;
  }

  private lose(why: string): void {
    if (this.closing) return;
    this.closing = true;
    this.socket.destroy();
    if (!this.welcomeMsg) this.notGreeted?.(why);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new UmuxError('io', `the console keeper is gone: ${why}`, { hint: 'start the server again' }));
    }
    this.pending.clear();
    const routes = [...this.routes.values()];
    this.routes.clear();
    for (const r of routes) r.lost(why);
    this.onLostEmitter.fire(why);
  }

  /** Leaves the keeper running with everything it holds (the server is going). */
  dispose(): void {
    this.closing = true;
    for (const p of this.pending.values()) clearTimeout(p.timer);
    this.pending.clear();
    this.routes.clear();
    this.socket.end();
    this.onLostEmitter.dispose();
  }
}
