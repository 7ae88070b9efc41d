// Reaching another host's umux server over ssh: `ssh -T … DEST -- UMUX server --stdio` carries the framed wire on
// its stdin and stdout (OpenSSH does the transport and the authentication: keys, agent, ssh_config; never a password
// of ours). ssh's last stderr line is the reason when it ends; the ssh child dies with the session's stream.

import { spawn, type ChildProcess } from 'node:child_process';
import { Duplex } from 'node:stream';
import { UmuxError } from '../core/errors.js';
import { checkSshDestination } from '../protocol/ssh-destination.js';
import { pause } from './ride.js';
import type { ReopenOptions, Transport } from './transport.js';

export interface SshHost {
  /** The host's name in messages and the sidebar (hosts.toml's name, or the destination). */
  name: string;
  /** What ssh connects to: [user@]HOST or a Host alias. */
  destination: string;
  /** The far side's umux command (default `umux`, from the far PATH). */
  umux?: string;
  /** An ssh_config file for this host (`ssh -F`). */
  sshConfig?: string;
  /** Seconds ssh waits for the TCP connection (ConnectTimeout). */
  connectTimeoutS?: number;
}

export const SSH_CONNECT_TIMEOUT_S = 10;
/** A link that stays silent this long (ServerAliveInterval × ServerAliveCountMax) is dead: ssh ends it. */
const ALIVE_INTERVAL_S = 5;
const ALIVE_COUNT = 3;
const STDERR_KEPT = 4096;

/** The ssh command line for `host` (destination checked again: this is the last place before a process runs). */
export function sshArgv(host: SshHost, autostart = true): string[] {
  const dest = checkSshDestination(host.destination);
  return [
    '-T',
    '-o', 'BatchMode=yes',
    '-o', `ConnectTimeout=${host.connectTimeoutS ?? SSH_CONNECT_TIMEOUT_S}`,
    '-o', `ServerAliveInterval=${ALIVE_INTERVAL_S}`,
    '-o', `ServerAliveCountMax=${ALIVE_COUNT}`,
    ...(host.sshConfig ? ['-F', host.sshConfig] : []),
    '--', dest,
    `${host.umux ?? 'umux'} server --stdio${autostart ? '' : ' --no-start'}`,
  ];
}

/** ssh's stdout and stdin as one stream; destroyed (ssh killed) by its owner, or when ssh ends. */
class SshLink extends Duplex {
  private stderr = '';

  constructor(readonly child: ChildProcess) {
    super();
    child.stdout!.on('data', (chunk: Buffer) => this.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_KEPT)));
    child.stdin!.on('error', () => undefined); // ssh gone: its close says why
    child.on('error', (err: NodeJS.ErrnoException) => {
      this.stderr += err.code === 'ENOENT' ? '\nssh: not found (install openssh-client)\n' : `\nssh: ${err.message}\n`;
      this.destroy();
    });
    child.on('close', () => this.destroy());
  }

  override _read(): void {
    // pushed as ssh writes
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, done: (err?: Error | null) => void): void {
    if (this.child.stdin!.writable) this.child.stdin!.write(chunk, () => done());
    else done();
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    done(err);
  }

  /**
   * Why ssh ended: the far umux's own error line when it wrote one (not its hint), else ssh's last stderr line (the
   * far shell's too), controls shown as `?` and cut short; else how ssh ended.
   */
  reason(): string {
    const lines = this.stderr.split('\n').map((l) => l.trim()).filter(Boolean);
    const last = lines.findLast((l) => l.startsWith('umux: ')) ?? lines.pop();
    if (last) return last.replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
    const { exitCode, signalCode } = this.child;
    if (exitCode === null && signalCode === null) return 'the connection closed';
    return `ssh ended (${signalCode ?? `exit code ${exitCode}`})`;
  }
}

export class SshTransport implements Transport {
  readonly where: string;
  readonly helloTimeoutMs: number;
  /** The last stream's reason, told while waiting to try again. */
  lastReason = '';
  /** The pause before the next try, while waiting to try again. */
  delayMs = 0;
  /** When the last good connection was lost (0: not lost). */
  private lostAt = 0;

  constructor(private readonly host: SshHost) {
    this.where = host.name;
    this.helloTimeoutMs = ((host.connectTimeoutS ?? SSH_CONNECT_TIMEOUT_S) + 5) * 1000;
    sshArgv(host); // refuses a bad destination before anything is tried
  }

  async open(opts: { autostart?: boolean } = {}): Promise<Duplex> {
    const child = spawn('ssh', sshArgv(this.host, opts.autostart !== false), { stdio: ['pipe', 'pipe', 'pipe'] });
    return new SshLink(child);
  }

  whyClosed(stream: Duplex): string | undefined {
    if (!(stream instanceof SshLink)) return undefined;
    this.lastReason = stream.reason();
    return this.lastReason;
  }

  /** Tries again after a pause that doubles up to maxRetryMs (ssh fails fast: no tight loop); gives up after giveUpMs. */
  async reopen(opts: ReopenOptions): Promise<Duplex | undefined> {
    const { times, signal } = opts;
    if (this.lostAt === 0) this.lostAt = Date.now();
    if (Date.now() - this.lostAt >= times.giveUpMs) throw unreachable(this.where, this.lastReason || 'no answer');
    this.delayMs = Math.min(Math.max(this.delayMs * 2, times.minRetryMs), times.maxRetryMs);
    opts.status?.(`${this.where} unreachable: ${this.lastReason || 'no answer'}; next try in ${Math.ceil(this.delayMs / 1000)} s`);
    await pause(this.delayMs, signal);
    if (signal.aborted) return undefined;
    return this.open();
  }

  /** A first connection without a greeting: one line saying which host and why (a protocol mismatch as it is). */
  failed(err: unknown): Error | undefined {
    if (err instanceof UmuxError && err.code === 'usage') return undefined;
    return unreachable(this.where, err instanceof UmuxError && err.code === 'not-running' ? err.message : err instanceof Error ? err.message : String(err));
  }

  /** A greeting went through: the next loss starts its pauses short again. */
  reached(): void {
    this.delayMs = 0;
    this.lostAt = 0;
    this.lastReason = '';
  }
}

/** A host that could not be reached at all (the first connection of a command): which, and ssh's reason. */
export class HostUnreachable extends UmuxError {
  constructor(
    readonly where: string,
    readonly reason: string,
  ) {
    super('not-running', `cannot reach ${where} over ssh: ${reason}`, {
      hint: 'check that `ssh HOST umux ls` works (keys, host key, umux on the far PATH or umux = "…" in hosts.toml)',
    });
  }
}

function unreachable(where: string, reason: string): HostUnreachable {
  return new HostUnreachable(where, reason);
}
