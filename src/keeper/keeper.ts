// The keeper: holds every console fd of the server's guests and nothing else worth crashing for (no model, no
// config, no MConsole), so the server can die or be upgraded and take the consoles back. One server at a time.

import net from 'node:net';
import fs from 'node:fs';
import { encodeDataFrame, encodeJsonFrame, FrameDecoder } from '../protocol/wire-framing.js';
import { KEEPER_PROTOCOL, messageType, type KeeperToServer, type KeptGuestInfo, type ServerToKeeper } from '../protocol/keeper-wire.js';
import { KeptChannel, type ChannelEnds, type ChannelSink } from './channel.js';
import { spawnGuest, SpawnFailed } from './spawn-guest.js';
import { connectPort, openTerminal } from './open-line.js';

/** A keeper that holds nothing and has had no server for this long exits. */
export const IDLE_EXIT_MS = 30_000;
/** A keeper holding only output of ended guests that no server has logged waits this long for one. */
export const UNLOGGED_WAIT_MS = 10 * 60_000;
/** Largest frame a server may send (typing and requests; a spawn's environment is the biggest). */
const MAX_SERVER_FRAME = 4 * 1024 * 1024;

interface KeptGuest {
  info: KeptGuestInfo;
  exited: boolean;
}

export class Keeper {
  private readonly channels = new Map<number, KeptChannel>();
  private readonly guests = new Map<string, KeptGuest>();
  private nextId = 1;
  private server: net.Socket | undefined;
  private readonly startedAt = Date.now();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly build: string,
    /** The socket directory (private): con0's pipes are made in it. */
    private readonly dir: string,
    private readonly log: (line: string) => void,
    private readonly exit: () => void,
  ) {
    this.checkIdle();
  }

  /** A server connected: the newest one wins (an older one is dead or dying; the server's own lock keeps one). */
  accept(socket: net.Socket): void {
    if (this.server) {
      this.log('a new server connected: the previous connection is closed');
      this.dropServer(this.server);
    }
    this.server = socket;
    clearTimeout(this.idleTimer);
    const decoder = new FrameDecoder({ maxFrame: MAX_SERVER_FRAME, sender: 'the server' });
    socket.on('data', (chunk: Buffer) => {
      let frames;
      try {
        frames = decoder.push(chunk);
      } catch (err) {
        this.log(`server sent a bad frame: ${(err as Error).message}`);
        this.dropServer(socket);
        return;
      }
      for (const f of frames) {
        if (this.server !== socket) return;
        if (f.kind === 'data') this.channels.get(f.stream)?.write(f.bytes);
        else void this.handle(socket, f.value);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (this.server === socket) this.dropServer(socket);
    });
  }

  private dropServer(socket: net.Socket): void {
    if (this.server === socket) this.server = undefined;
    for (const c of this.channels.values()) c.detach();
    socket.destroy();
    this.checkIdle();
  }

  private send(socket: net.Socket, msg: KeeperToServer): void {
    if (this.server === socket && !socket.destroyed) socket.write(encodeJsonFrame(msg));
  }

  private sinkFor(socket: net.Socket): ChannelSink {
    return {
      data: (channel, bytes) => {
        if (this.server === socket && !socket.destroyed) socket.write(encodeDataFrame(channel.id, bytes));
      },
      ended: (channel, why) => this.send(socket, { t: 'ended', channel: channel.id, why }),
    };
  }

  private async handle(socket: net.Socket, value: unknown): Promise<void> {
    const msg = value as ServerToKeeper;
    switch (messageType(value)) {
      case 'hello':
        this.send(socket, {
          t: 'welcome',
          protocol: KEEPER_PROTOCOL,
          build: this.build,
          pid: process.pid,
          startedAt: this.startedAt,
          guests: [...this.guests.values()].map((g) => g.info),
          channels: [...this.channels.values()].map((c) => c.info()),
        });
        return;
      case 'spawn':
        return this.spawn(socket, msg as Extract<ServerToKeeper, { t: 'spawn' }>);
      case 'open':
      case 'connect':
        return this.openLine(socket, msg as Extract<ServerToKeeper, { t: 'open' | 'connect' }>);
      case 'stream': {
        const m = msg as Extract<ServerToKeeper, { t: 'stream' }>;
        this.channels.get(m.channel)?.stream(this.sinkFor(socket), m.from);
        return;
      }
      case 'ack': {
        const m = msg as Extract<ServerToKeeper, { t: 'ack' }>;
        this.channels.get(m.channel)?.ack(m.upTo);
        return;
      }
      case 'resize': {
        const m = msg as Extract<ServerToKeeper, { t: 'resize' }>;
        this.channels.get(m.channel)?.resize(m.cols, m.rows);
        return;
      }
      case 'close': {
        const m = msg as Extract<ServerToKeeper, { t: 'close' }>;
        this.closeChannel(m.channel);
        return;
      }
      case 'release':
        this.release((msg as Extract<ServerToKeeper, { t: 'release' }>).key);
        return;
      default:
        this.send(socket, { t: 'unknown', what: String(messageType(value) ?? typeof value) });
    }
  }

  private addChannel(key: string, name: string, kind: KeptChannel['kind'], where: string, ends: ChannelEnds): KeptChannel {
    const c = new KeptChannel(this.nextId++, key, name, kind, where, ends, undefined);
    this.channels.set(c.id, c);
    return c;
  }

  private async spawn(socket: net.Socket, m: Extract<ServerToKeeper, { t: 'spawn' }>): Promise<void> {
    if (this.guests.has(m.key) && !this.guests.get(m.key)!.exited) {
      this.send(socket, { t: 'failed', req: m.req, code: 'EBUSY', message: `the keeper already runs ${m.key} (pid ${this.guests.get(m.key)!.info.pid})` });
      return;
    }
    this.release(m.key);
    let spawned;
    try {
      spawned = await spawnGuest(m, this.dir);
    } catch (err) {
      const e = err instanceof SpawnFailed ? err : new SpawnFailed('EIO', (err as Error).message);
      this.send(socket, { t: 'failed', req: m.req, code: e.code, message: e.message });
      return;
    }
    const kind = m.transport === 'pty' ? 'pty' : 'pipe';
    const consoles = m.consoles.map((name, i) => this.addChannel(m.key, name, kind, spawned.ttys[i] ?? 'pipe', spawned.consoles[i]!));
    const stderr = this.addChannel(m.key, 'stderr', 'pipe', 'pipe', { source: spawned.stderr });
    const guest: KeptGuest = {
      info: { key: m.key, pid: spawned.pid, consoles: consoles.map((c) => ({ name: c.name, id: c.id })), stderr: stderr.id, ttys: spawned.ttys },
      exited: false,
    };
    this.guests.set(m.key, guest);
    spawned.child.once('exit', (code, signal) => {
      guest.exited = true;
      guest.info.exit = { code, signal };
      spawned.child.unref();
      this.log(`${m.key}: pid ${spawned.pid} exited (${signal ?? `code ${code}`})`);
      if (this.server) this.send(this.server, { t: 'exit', key: m.key, pid: spawned.pid, exit: guest.info.exit });
      this.checkIdle();
    });
    this.log(`${m.key}: started pid ${spawned.pid}`);
    this.send(socket, { t: 'spawned', req: m.req, guest: guest.info });
  }

  private async openLine(socket: net.Socket, m: Extract<ServerToKeeper, { t: 'open' | 'connect' }>): Promise<void> {
    try {
      const ends = m.t === 'open' ? openTerminal(m.path, m.uid) : await connectPort(m.port);
      const channel = this.addChannel(m.key, m.name, m.t === 'open' ? 'tty' : 'port', m.t === 'open' ? m.path : `port:${m.port}`, ends);
      this.send(socket, { t: 'opened', req: m.req, channel: channel.info() });
    } catch (err) {
      const e = err instanceof SpawnFailed ? err : new SpawnFailed('EIO', (err as Error).message);
      this.send(socket, { t: 'failed', req: m.req, code: e.code, message: e.message });
    }
  }

  private closeChannel(id: number): void {
    this.channels.get(id)?.close();
    this.channels.delete(id);
    this.checkIdle();
  }

  private release(key: string): void {
    for (const c of [...this.channels.values()]) if (c.key === key) this.closeChannel(c.id);
    const g = this.guests.get(key);
    if (g?.exited) this.guests.delete(key);
    this.checkIdle();
  }

  /**
   * No server: a keeper holding a live guest or an open line waits for one for ever; one holding only bytes nobody
   * logged yet (a guest that ended meanwhile) waits UNLOGGED_WAIT_MS; one holding nothing exits after IDLE_EXIT_MS.
   */
  private checkIdle(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.server) return;
    const channels = [...this.channels.values()];
    if ([...this.guests.values()].some((g) => !g.exited) || channels.some((c) => c.ended === undefined)) return;
    const unlogged = channels.some((c) => c.unlogged > 0);
    this.idleTimer = setTimeout(() => {
      if (!this.server) this.exit();
    }, unlogged ? UNLOGGED_WAIT_MS : IDLE_EXIT_MS);
  }

  /** For the main loop: the socket it listens on is gone or replaced (the runtime directory was removed). */
  static socketStillOurs(path: string, ino: number): boolean {
    try {
      return fs.lstatSync(path).ino === ino;
    } catch {
      return false;
    }
  }
}
