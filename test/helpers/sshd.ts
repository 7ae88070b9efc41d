// A real OpenSSH server for tests: /usr/sbin/sshd on 127.0.0.1 at a free port, with a host key and a client key made
// here (ssh-keygen), keys only (no passwords, no PAM), authorized keys in the test's own directory. Gives an
// ssh_config that reaches it, so `ssh -F CONFIG user@127.0.0.1` (or an alias) logs in with no question asked.

import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';

export const SSHD = '/usr/sbin/sshd';
export const hasSshd = fs.existsSync(SSHD) && fs.existsSync('/usr/bin/ssh');

export interface SshdOptions {
  /** The login users it lets in with the test's client key. */
  users: string[];
  /** A ForceCommand for every login (h-shared's customer view), optional. */
  forceCommand?: string;
  /** More sshd_config lines (Match blocks go last). */
  extraConfig?: string[];
  /** ssh_config Host aliases for the client: alias → user (HostName 127.0.0.1, the port). */
  aliases?: Record<string, string>;
}

export class TestSshd {
  readonly dir: string;
  /** The client's ssh_config: pass with `ssh -F`, or as `ssh_config` in hosts.toml. */
  readonly clientConfig: string;
  readonly clientKey: string;
  private child: ChildProcess | undefined;
  private log = '';

  private constructor(readonly port: number, dir: string) {
    this.dir = dir;
    this.clientConfig = path.join(dir, 'ssh_config');
    this.clientKey = path.join(dir, 'client_ed25519');
  }

  static async start(opts: SshdOptions): Promise<TestSshd> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-sshd-'));
    fs.chmodSync(dir, 0o755);
    const sshd = new TestSshd(await freePort(), dir);
    sshd.writeKeys(opts.users);
    sshd.writeConfigs(opts);
    fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
    for (const user of opts.users) unlockForKeys(user, 10);
    await sshd.run();
    return sshd;
  }

  private writeKeys(users: string[]): void {
    const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'umux-test', '-f', file]);
    keygen(path.join(this.dir, 'host_ed25519'));
    keygen(this.clientKey);
    const auth = path.join(this.dir, 'authorized');
    fs.mkdirSync(auth, { mode: 0o755 });
    const pub = fs.readFileSync(`${this.clientKey}.pub`, 'utf8');
    for (const user of users) fs.writeFileSync(path.join(auth, user), pub, { mode: 0o644 });
  }

  private writeConfigs(opts: SshdOptions): void {
    const d = this.dir;
    const server = [
      `Port ${this.port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${d}/host_ed25519`,
      `PidFile ${d}/sshd.pid`,
      `AuthorizedKeysFile ${d}/authorized/%u`,
      'PubkeyAuthentication yes',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      // The keys live under /tmp (world-writable): StrictModes would refuse them for that alone.
      'StrictModes no',
      'PermitRootLogin no',
      `AllowUsers ${opts.users.join(' ')}`,
      'LogLevel VERBOSE',
      ...(opts.forceCommand ? [`ForceCommand ${opts.forceCommand}`] : []),
      ...(opts.extraConfig ?? []),
    ];
    fs.writeFileSync(path.join(d, 'sshd_config'), `${server.join('\n')}\n`);
    const hostPub = fs.readFileSync(`${d}/host_ed25519.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
    fs.writeFileSync(path.join(d, 'known_hosts'), `[127.0.0.1]:${this.port} ${hostPub}\n`);
    const common = [
      `  Port ${this.port}`,
      `  IdentityFile ${this.clientKey}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${d}/known_hosts`,
      '  GlobalKnownHostsFile /dev/null',
      '  StrictHostKeyChecking yes',
      '  LogLevel ERROR',
    ];
    const aliases = Object.entries(opts.aliases ?? {}).flatMap(([alias, user]) => [`Host ${alias}`, '  HostName 127.0.0.1', `  User ${user}`, `  HostKeyAlias [127.0.0.1]:${this.port}`]);
    fs.writeFileSync(this.clientConfig, `${[...aliases, 'Host *', ...common].join('\n')}\n`);
    fs.chmodSync(this.clientKey, 0o600);
  }

  private run(): Promise<void> {
    const child = spawn(SSHD, ['-D', '-e', '-f', path.join(this.dir, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    child.stderr!.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-20_000)));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`sshd did not listen on ${this.port} within 10 s: ${this.log}`)), 10_000);
      const check = () => {
        if (this.log.includes('Server listening')) {
          clearTimeout(timer);
          child.stderr!.off('data', check);
          resolve();
        }
      };
      child.stderr!.on('data', check);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`sshd exited (${code}): ${this.log}`));
      });
    });
  }

  /** ssh's argv to run `command` as `user` here (no tty, batch mode). */
  sshArgv(user: string, command: string): string[] {
    return ['-F', this.clientConfig, '-T', '-o', 'BatchMode=yes', `${user}@127.0.0.1`, command];
  }

  /** What sshd said on stderr (its log), for a failing test's message. */
  get output(): string {
    return this.log;
  }

  /** Stops listening (the listener only: sessions already open go on, as when sshd restarts). */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }

  /** Starts it again on the same port, with the same keys. */
  async restart(): Promise<void> {
    await this.stop();
    this.log = '';
    await this.run();
  }

  async dispose(): Promise<void> {
    await this.stop();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Without PAM, sshd refuses even key logins to an account whose password is locked (`!`): make it `*` (no password). */
function unlockForKeys(user: string, tries: number): void {
  for (let i = 1; ; i++) {
    try {
      const entry = execFileSync('getent', ['shadow', user], { encoding: 'utf8' }).trim().split(':');
      if (entry[1]?.startsWith('!')) execFileSync('usermod', ['-p', '*', user], { stdio: 'pipe' });
      return;
    } catch (err) {
      // Another test file's useradd or usermod holds /etc/shadow's lock: try again shortly.
      if (i >= tries) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200 * i);
    }
  }
}
