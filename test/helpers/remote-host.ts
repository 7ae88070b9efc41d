// A second "host" for tests and benches: a umux world owned by another login user, reached over a real sshd on
// 127.0.0.1 (sshd.ts). Gives the far umux command (its private directories in env assignments) and a hosts.toml.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { UmuxWorld } from './server.js';
import { ensureLoginUser, type OtherUser } from './other-user.js';
import { UMUX_BIN } from './run-tool.js';
import type { TestSshd } from './sshd.js';

export class RemoteHost {
  readonly world: UmuxWorld;
  readonly user: OtherUser & { home: string };

  constructor(userName: string) {
    this.user = retried(() => ensureLoginUser(userName));
    this.world = new UmuxWorld();
  }

  /** Defines a guest as the far user would, and hands the world to that user (call before the first far command). */
  define(name: string, toml = ''): void {
    this.world.define(name, toml);
  }

  /** The world's files become the far user's (run after define, before the far server starts). */
  handOver(): void {
    fs.chmodSync(this.world.dir, 0o755);
    execFileSync('chown', ['-R', `${this.user.uid}:${this.user.gid}`, this.world.dir]);
  }

  /** The far side's umux command: node and the checkout's bin/umux, with this world's directories. */
  get command(): string {
    const w = this.world;
    const vars = { UMUX_SOCKET_DIR: w.socketDir, UMUX_STATE_DIR: w.stateDir, UMUX_CONFIG_DIR: w.configDir, UMUX_UML_DIRS: w.handDir, UMUX_STOP_STEP_MS: '1500' };
    return `env ${Object.entries(vars).map(([k, v]) => `${k}=${v}`).join(' ')} ${process.execPath} ${UMUX_BIN}`;
  }

  /** The far server's pid (from its lock file), if it runs. */
  serverPid(): number | undefined {
    return this.world.serverPid();
  }

  async dispose(): Promise<void> {
    await this.world.dispose();
  }
}

/**
 * `fn` again after a pause when it throws: test files run in parallel, and useradd or usermod in one fails while
 * another holds the lock on /etc/passwd or /etc/shadow ("cannot lock … try again later").
 */
export function retried<T>(fn: () => T, tries = 10): T {
  for (let i = 1; ; i++) {
    try {
      return fn();
    } catch (err) {
      if (i >= tries) throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200 * i);
    }
  }
}

/** hosts.toml text naming each host as `name` → its user on the test sshd. */
export function hostsToml(sshd: TestSshd, hosts: Array<{ name: string; remote: RemoteHost; timeoutS?: number }>): string {
  return hosts
    .map(({ name, remote, timeoutS }) =>
      [
        '[[host]]',
        `name = "${name}"`,
        `ssh = "${remote.user.name}@127.0.0.1"`,
        `umux = "${remote.command}"`,
        `ssh_config = "${sshd.clientConfig}"`,
        ...(timeoutS ? [`connect_timeout = ${timeoutS}`] : []),
      ].join('\n'),
    )
    .join('\n\n');
}

/** Writes hosts.toml into a local world's settings directory (its UMUX_CONFIG_DIR). */
export function writeHostsToml(local: UmuxWorld, text: string): string {
  const file = path.join(local.configDir, 'hosts.toml');
  fs.writeFileSync(file, `${text}\n`);
  return file;
}
