// One running UML guest that umux started, and its single owner: the kernel process, con0 and the extra consoles,
// the output collected for diagnostics, and teardown by SIGKILL to the whole process group.

import { Duplex, type Readable, type Writable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import fs from 'node:fs';
import type { Disposable } from '../core/disposable.js';
import { Emitter, type Event } from '../core/emitter.js';
import type { NotifyListener } from '../mconsole/notify.js';
import { groupMembers, killGroup, waitGroupGone } from './process-group.js';
import { UmuxError } from '../core/errors.js';
import { killWinchHelpers } from './winch-helpers.js';
import type { GuestExit, GuestProcess } from './guest-process.js';

export type { GuestExit } from './guest-process.js';

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
  private exitInfo: GuestExit | undefined;
  private out = '';
  private err = '';
  private socketPath = '';
  private killing: Promise<void> | undefined;
  private capturing = true;
  private disposed = false;

  /** Takes ownership of the started kernel `proc` and of `ownedNotify`, if given. */
  constructor(
    readonly umid: string,
    private readonly proc: GuestProcess,
    /** The listener that saw (or will see) the guest's notifications (none: nobody listens); owned only if ownedNotify. */
    readonly notify: NotifyListener | undefined,
    private readonly ownedNotify: NotifyListener | undefined,
    private readonly keepOutput = DEFAULT_KEEP_OUTPUT,
  ) {
    this.pid = proc.pid;
    this.con0 = con0Stream(proc.con0In, proc.con0Out);
    this.consoles = proc.consoles;
    const outText = new StringDecoder('utf8');
    const errText = new StringDecoder('utf8');
    proc.con0Out.on('data', (b: Buffer) => {
      if (this.capturing) this.addOutput(outText.write(b));
    });
    proc.stderr.on('data', (b: Buffer) => this.addStderr(errText.write(b)));
    this.con0.on('error', () => undefined);
    // On ptys, UML's winch helpers sit in sessions of their own: a kernel that dies without its own cleanup (SIGKILL)
    // leaves them behind, so they are ended with it (see winch-helpers.ts).
    let cmdline = '';
    if (proc.ttys.length > 0) {
      try {
        cmdline = fs.readFileSync(`/proc/${proc.pid}/cmdline`, 'latin1');
      } catch {
        cmdline = '';
      }
    }
    this.exited = proc.exited.then((exit) => {
      this.exitInfo = exit;
      if (proc.ttys.length > 0) killWinchHelpers(cmdline, proc.ttys);
      return exit;
    });
  }

  /** True when the consoles are ptys (they have a window size). */
  get hasPtys(): boolean {
    return this.proc.ttys.length > 0;
  }

  /** Sets the window size of console `index` (0 is con0) on the pty transport; UML turns it into SIGWINCH. */
  resize(index: number, cols: number, rows: number): void {
    this.proc.resize(index, cols, rows);
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
    this.proc.release();
    this.onOutputEmitter.dispose();
    this.onStderrEmitter.dispose();
    this.ownedNotify?.dispose();
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
