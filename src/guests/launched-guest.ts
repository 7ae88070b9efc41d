// One running UML guest that umux spawned, and its single owner: the child process, con0 and the extra consoles,
// the output collected for diagnostics, and teardown by SIGKILL to the whole process group.

import type { ChildProcess } from 'node:child_process';
import { Duplex, type Readable, type Writable } from 'node:stream';
import tty from 'node:tty';
import { StringDecoder } from 'node:string_decoder';
import type { Disposable } from '../core/disposable.js';
import { Emitter, type Event } from '../core/emitter.js';
import { UmuxError } from '../core/errors.js';
import type { NotifyListener } from '../mconsole/notify.js';
import { groupMembers, killGroup, waitGroupGone } from './process-group.js';
import { resizePty, type PtyPair } from '../consoles/pty-pair.js';
import fs from 'node:fs';
import { killWinchHelpers } from './winch-helpers.js';

export interface GuestExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** How much con0 text `output()` keeps by default (the tail); stderr keeps STDERR_KEEP. */
export const DEFAULT_KEEP_OUTPUT = 1 << 20;
const STDERR_KEEP = 64 << 10;

export function describeExit(exit: GuestExit): string {
  return exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
}

/**
 * con0 as one stream over the child's stdin (fd 0) and stdout (fd 1). Reads carry what the guest prints from the
 * moment something reads the stream (a 'data' or 'readable' listener, pipe); until then output only goes to
 * output()/onOutput, so an unread con0 never stalls the guest. A reader that stops reading does stall it.
 */
function con0Stream(stdin: Writable, stdout: Readable): Duplex {
  const con0 = new Duplex({
    write(chunk: Buffer, _encoding, callback) {
      stdin.write(chunk, (err) => callback(err ?? null));
    },
    final(callback) {
      stdin.end(() => callback());
    },
    read() {
      stdout.resume();
    },
    destroy(err, callback) {
      stdin.destroy();
      stdout.destroy();
      callback(err);
    },
  });
  stdout.on('data', (chunk: Buffer) => {
    if (con0.readableFlowing !== null && !con0.push(chunk)) stdout.pause();
  });
  stdout.on('end', () => con0.push(null));
  return con0;
}

export class LaunchedGuest implements Disposable {
  readonly pid: number;
  /** con0 (`con0=fd:0,fd:1`): write to type into the guest (end lines with `\r`); see con0Stream for reads. */
  readonly con0: Duplex;
  /** con1..conN (`conK=fd:K+2`), each a socket carrying both directions. */
  readonly consoles: Duplex[];
  readonly exited: Promise<GuestExit>;
  private readonly onOutputEmitter = new Emitter<string>();
  /** Each piece of con0 text as it arrives (UTF-8 decoded, CRLF line ends). */
  readonly onOutput: Event<string> = this.onOutputEmitter.event;
  private readonly onStderrEmitter = new Emitter<string>();
  /** Each piece of UML's host-side messages (its stderr) as it arrives. */
  readonly onStderr: Event<string> = this.onStderrEmitter.event;
  /** With the pty transport: the master of each console, in console order (con0 first). */
  private readonly masters: tty.ReadStream[];
  private readonly masterFds: number[];
  private exitInfo: GuestExit | undefined;
  private out = '';
  private err = '';
  private socketPath = '';
  private killing: Promise<void> | undefined;
  private capturing = true;
  private disposed = false;

  /** Takes ownership of `child` (spawned with stdio pipes) and of `ownedNotify`, if given. */
  constructor(
    readonly umid: string,
    private readonly child: ChildProcess,
    /** The listener that saw (or will see) the guest's notifications; owned by the guest only if ownedNotify. */
    readonly notify: NotifyListener,
    private readonly ownedNotify: NotifyListener | undefined,
    private readonly keepOutput = DEFAULT_KEEP_OUTPUT,
    /** The pty transport: one pair per console (con0 first), their slaves already handed to the child. */
    ptys: PtyPair[] = [],
  ) {
    if (child.pid === undefined) throw new UmuxError('internal', `guest ${umid} has no process`);
    this.pid = child.pid;
    this.masters = ptys.map((p) => new tty.ReadStream(p.master));
    this.masterFds = ptys.map((p) => p.master);
    const con0Out: Readable = this.masters[0] ?? child.stdout!;
    this.con0 = con0Stream(this.masters[0] ?? child.stdin!, con0Out);
    this.consoles = this.masters.length > 0 ? this.masters.slice(1) : (child.stdio.slice(3) as Duplex[]);
    const outText = new StringDecoder('utf8');
    const errText = new StringDecoder('utf8');
    con0Out.on('data', (b: Buffer) => {
      if (this.capturing) this.addOutput(outText.write(b));
    });
    child.stderr!.on('data', (b: Buffer) => this.addStderr(errText.write(b)));
    // The guest's death shows in `exited`; EPIPE (EIO on a pty master) and friends on its consoles are no news.
    for (const s of [this.con0, child.stdin, child.stdout, child.stderr!, ...this.consoles, ...this.masters]) s?.on('error', () => undefined);
    child.on('error', () => undefined);
    // On ptys, UML's winch helpers sit in sessions of their own: a kernel that dies without its own cleanup (SIGKILL)
    // leaves them behind, so they are ended with it (see winch-helpers.ts).
    let cmdline = '';
    if (ptys.length > 0) {
      try {
        cmdline = fs.readFileSync(`/proc/${child.pid}/cmdline`, 'latin1');
      } catch {
        cmdline = '';
      }
    }
    const ttys = ptys.map((p) => p.path);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        if (ttys.length > 0) killWinchHelpers(cmdline, ttys);
        resolve(this.exitInfo);
      });
    });
  }

  /** True when the consoles are ptys (they have a window size). */
  get hasPtys(): boolean {
    return this.masters.length > 0;
  }

  /** Sets the window size of console `index` (0 is con0) on the pty transport; UML turns it into SIGWINCH. */
  resize(index: number, cols: number, rows: number): void {
    const m = this.masters[index];
    if (m && !m.destroyed) resizePty(this.masterFds[index]!, cols, rows);
  }

  /** The mconsole socket path from the SOCKET notification. */
  get socket(): string {
    return this.socketPath;
  }

  /** The umid directory (holds `mconsole` and `pid`). */
  get dir(): string {
    return this.socketPath.slice(0, this.socketPath.lastIndexOf('/'));
  }

  /** How the guest exited, once it has. */
  get exit(): GuestExit | undefined {
    return this.exitInfo;
  }

  /** con0 text so far (its last `keepOutput` characters). */
  output(): string {
    return this.out;
  }

  /** UML's host-side messages (ptrace checks, tempdir, exec-shield gap) and errors. */
  stderr(): string {
    return this.err;
  }

  /**
   * Stops keeping con0 as text (output()/onOutput): an owner that reads con0 itself, such as the server with its
   * log and model, need not pay for decoding every byte twice once the boot is over.
   */
  stopTextCapture(): void {
    this.capturing = false;
  }

  /** @internal launchGuest records the socket from the SOCKET notification. */
  started(socket: string): void {
    this.socketPath = socket;
  }

  /**
   * SIGKILLs the guest's process group, waits for the kernel to exit and the group to be gone, then disposes.
   * Idempotent. Rejects if members of the group outlive `timeoutMs`.
   */
  kill(timeoutMs = 5000): Promise<void> {
    this.killing ??= this.stop(timeoutMs);
    return this.killing;
  }

  private async stop(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // Once the kernel is reaped and the group empty, the pgid may belong to someone else: signal no more.
    if (this.exitInfo === undefined || groupMembers(this.pid).length > 0) killGroup(this.pid, 'SIGKILL');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.exited, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
    const gone = await waitGroupGone(this.pid, Math.max(0, deadline - Date.now()));
    this.dispose();
    if (!gone) {
      const left = groupMembers(this.pid);
      throw new UmuxError('timeout', `processes ${left.join(' ')} of guest ${this.umid} survived SIGKILL for ${timeoutMs} ms`, {
        hint: `see their state with: ps -o pid,stat,wchan,cmd -g ${this.pid}`,
      });
    }
  }

  /**
   * Lets go of the guest without stopping it: closes our ends of its consoles and the notify socket it owns.
   * A guest outlives the reader of its consoles (findings §10); use kill() to stop it.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.con0.destroy();
    this.child.stdin?.destroy();
    this.child.stdout?.destroy();
    this.child.stderr?.destroy();
    for (const c of this.consoles) c.destroy();
    for (const m of this.masters) m.destroy();
    this.onOutputEmitter.dispose();
    this.onStderrEmitter.dispose();
    this.ownedNotify?.dispose();
    this.child.unref();
  }

  private addOutput(text: string): void {
    if (text === '') return;
    this.out += text;
    if (this.out.length > this.keepOutput) this.out = this.out.slice(-this.keepOutput);
    this.onOutputEmitter.fire(text);
  }

  private addStderr(text: string): void {
    if (text !== '') this.onStderrEmitter.fire(text);
    this.err += text;
    if (this.err.length > STDERR_KEEP) this.err = this.err.slice(-STDERR_KEEP);
  }
}
