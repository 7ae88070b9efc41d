// A managed guest the keeper started and holds, as a GuestProcess: its consoles are KeptStreams from the offsets the
// logs stand at, its exit comes from the keeper (or, once the keeper is gone, from the pid disappearing).

import type { Duplex, Readable, Writable } from 'node:stream';
import type { Disposable } from '../core/disposable.js';
import type { GuestExit, GuestProcess, GuestSpawn } from '../guests/guest-process.js';
import { processExists } from '../guests/process-group.js';
import { managedKey, type KeptGuestInfo } from '../protocol/keeper-wire.js';
import type { KeeperLink } from './keeper-link.js';
import { KeptStream } from './kept-stream.js';

const PID_WATCH_MS = 1000;
/** After the exit, how long the consoles' last bytes may take to arrive before the exit is reported anyway. */
const DRAIN_MS = 2000;

export class KeptGuestProcess implements GuestProcess {
  readonly pid: number;
  readonly con0In: Writable;
  readonly con0Out: Readable;
  readonly consoles: Duplex[];
  readonly stderr: Readable;
  readonly ttys: string[];
  readonly exited: Promise<GuestExit>;
  /** Every console's stream, con0 first (the wiring records commit points on them). */
  readonly streams: KeptStream[];
  private exitInfo: GuestExit | undefined;
  private watch: NodeJS.Timeout | undefined;
  /** The exit and keeper-loss subscriptions on the link (which outlives this guest). */
  private readonly subs: Disposable[] = [];

  constructor(
    private readonly link: KeeperLink,
    readonly info: KeptGuestInfo,
    /** Where each console's bytes start (the offsets its log holds), con0 first; 0 for a fresh guest. */
    from: number[],
  ) {
    this.pid = info.pid;
    this.streams = info.consoles.map((c, i) => new KeptStream(link, c.id, from[i] ?? 0));
    this.con0In = this.streams[0]!;
    this.con0Out = this.streams[0]!;
    this.consoles = this.streams.slice(1);
    this.stderr = new KeptStream(link, info.stderr, 0, true);
    this.ttys = info.ttys;
    for (const s of [...this.streams, this.stderr]) s.on('error', () => undefined);
    this.exited = new Promise((resolve) => {
      const done = (exit: GuestExit): void => {
        clearInterval(this.watch);
        if (this.exitInfo) return;
        this.exitInfo = exit;
        // What the guest printed last (a panic) reaches the logs before anyone hears of the exit.
        void this.consolesEnded().then(() => resolve(exit));
      };
      if (info.exit) {
        done({ code: info.exit.code, signal: info.exit.signal as NodeJS.Signals | null });
        return;
      }
      this.subs.push(link.onExit(info.key, (e) => done({ code: e.code, signal: e.signal as NodeJS.Signals | null })));
      // Without its keeper nobody hears the exit status: the pid's end is all there is.
      this.subs.push(link.onLost(() => {
        this.watch = setInterval(() => {
          if (!processExists(this.pid)) done({ code: null, signal: null });
        }, PID_WATCH_MS);
      }));
    });
  }

  /** Starts a guest through the keeper. */
  static async spawn(link: KeeperLink, umid: string, spec: GuestSpawn): Promise<KeptGuestProcess> {
    const env = spec.env ? Object.fromEntries(Object.entries(spec.env).filter((e): e is [string, string] => e[1] !== undefined)) : undefined;
    const info = await link.spawn({
      key: managedKey(umid),
      file: spec.file,
      args: spec.args,
      consoles: spec.consoles,
      transport: spec.transport,
      ...(spec.cwd !== undefined ? { cwd: spec.cwd } : {}),
      ...(env ? { env } : {}),
      ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
      ...(spec.gid !== undefined ? { gid: spec.gid } : {}),
      ...(spec.size ? { size: spec.size } : {}),
    });
    return new KeptGuestProcess(link, info, []);
  }

  private consolesEnded(): Promise<void> {
    const ends = this.streams.map((s) => (s.readableEnded || s.destroyed ? Promise.resolve() : new Promise<void>((r) => {
      s.once('end', r);
      s.once('close', r);
    })));
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([Promise.all(ends).then(() => undefined), new Promise<void>((r) => (timer = setTimeout(r, DRAIN_MS)))]).then(() => {
      clearTimeout(timer);
      return new Promise<void>((r) => setImmediate(r)); // the hubs batch what they were fed until the next tick
    });
  }

  resize(index: number, cols: number, rows: number): void {
    const c = this.info.consoles[index];
    if (c) this.link.resize(c.id, cols, rows);
  }

  /** Stops listening; once the guest has exited, the keeper forgets it too (else it goes on holding for the next server). */
  release(): void {
    clearInterval(this.watch);
    for (const sub of this.subs.splice(0)) sub.dispose();
    for (const s of [...this.streams, this.stderr]) s.destroy();
    if (this.exitInfo) this.link.release(this.info.key);
  }
}
