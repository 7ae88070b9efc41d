// The shared server of a hosting host (issue 17): for each host user the policy file names (directly or by group),
// a socket only that user can open, HOSTING_DIR/users/UID.sock (theirs, 0600, in a root-owned 0755 directory), so
// the kernel decides who connects. Every connection on it carries that user's grants. The policy is read again when
// its file changes; sockets come and go with it, and open connections are checked again (or closed).

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Disposable } from '../core/disposable.js';
import { CustomerAccess, type Grant } from '../commands/grants.js';
import { readPolicy, statPolicy, type HostingPolicy } from '../config/hosting-policy.js';
import { ensureHostingDir, HOSTING_USERS, hostingSocketPath } from '../files/hosting-dir.js';
import { lookupUser, membersOfGroups } from '../guests/users.js';
import type { Principal } from './customer-view.js';

/** How often the policy file is looked at (its size, mtime and inode) unless UMUX_POLICY_POLL_MS says. */
export const POLICY_POLL_MS = 1000;
/** Connections one customer may hold at once: the rest of MAX_CONNECTIONS stays for the admin and the others. */
export const MAX_CUSTOMER_CONNECTIONS = 16;

export interface HostingOptions {
  dir: string;
  policyFile: string;
  pollMs: number;
  log(line: string): void;
  /** A connection past the customer's limit: told `reason` and closed. */
  refuse(socket: net.Socket, reason: string): void;
  /** A connection came in on `principal`'s socket (already counted against their limit). */
  accept(socket: net.Socket, principal: Principal): void;
  /** The policy changed for `principal` (`gone`: it no longer names them): their connections check again. */
  changed(principal: Principal, gone: boolean): void;
}

interface UserSocket {
  principal: Principal;
  listener: net.Server;
  file: string;
  open: number;
}

/** Who the grants name, each with the grants that name them (users directly or through a group). */
function principalsOf(policy: HostingPolicy, log: (line: string) => void): Map<number, { name: string; grants: Grant[] }> {
  const out = new Map<number, { name: string; grants: Grant[] }>();
  const me = process.getuid?.() ?? 0;
  for (const grant of policy.grants) {
    const names = new Set([...grant.users, ...membersOfGroups(grant.groups)]);
    for (const name of names) {
      let uid: number;
      try {
        uid = lookupUser(name).uid;
      } catch {
        log(`hosting policy: no host user "${name}": skipped`);
        continue;
      }
      if (uid === me) continue; // the server's own user has the admin socket
      const entry = out.get(uid) ?? { name, grants: [] };
      if (!entry.grants.includes(grant)) entry.grants.push(grant);
      out.set(uid, entry);
    }
  }
  return out;
}

export class Hosting implements Disposable {
  private readonly sockets = new Map<number, UserSocket>();
  private stamp = '';
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  private reloading: Promise<void> = Promise.resolve();

  private constructor(private readonly opts: HostingOptions) {}

  /** Makes the hosting directory, reads the policy, opens its sockets and watches the file. */
  static async open(opts: HostingOptions): Promise<Hosting> {
    ensureHostingDir(opts.dir);
    ensureHostingDir(path.join(opts.dir, HOSTING_USERS));
    const h = new Hosting(opts);
    await h.reload();
    h.timer = setInterval(() => h.poll(), opts.pollMs);
    h.timer.unref();
    return h;
  }

  private poll(): void {
    if (statPolicy(this.opts.policyFile) === this.stamp) return;
    this.reloading = this.reloading.then(() => this.reload());
  }

  /** Reads the policy again; one that cannot be read or is wrong grants nothing (said in the server log). */
  async reload(): Promise<void> {
    if (this.disposed) return;
    let policy: HostingPolicy | undefined;
    this.stamp = statPolicy(this.opts.policyFile);
    try {
      policy = readPolicy(this.opts.policyFile);
    } catch (err) {
      this.opts.log(`hosting policy not used, so nobody is granted anything: ${(err as Error).message}`);
    }
    const wanted = policy ? principalsOf(policy, this.opts.log) : new Map<number, { name: string; grants: Grant[] }>();
    for (const [uid, s] of [...this.sockets]) {
      if (wanted.has(uid)) continue;
      this.close(uid, s);
      this.opts.changed(s.principal, true);
    }
    for (const [uid, want] of wanted) {
      const access = new CustomerAccess(want.name, uid, want.grants);
      const had = this.sockets.get(uid);
      if (had) {
        had.principal.access = access;
        this.opts.changed(had.principal, false);
        continue;
      }
      try {
        await this.openSocket({ uid, name: want.name, access });
      } catch (err) {
        this.opts.log(`hosting: cannot open the socket of ${want.name}: ${(err as Error).message}`);
      }
    }
    this.opts.log(`hosting policy ${this.opts.policyFile}: ${policy ? `${policy.grants.length} grants` : 'none'}; sockets for ${[...this.sockets.values()].map((s) => s.principal.name).join(', ') || 'nobody'}`);
  }

  private async openSocket(principal: Principal): Promise<void> {
    const file = hostingSocketPath(this.opts.dir, principal.uid);
    fs.rmSync(file, { force: true });
    const entry: UserSocket = { principal, file, open: 0, listener: net.createServer((socket) => this.incoming(entry, socket)) };
    await new Promise<void>((resolve, reject) => {
      entry.listener.once('error', reject);
      entry.listener.listen(file, () => resolve());
    });
    try {
      // Connecting needs write permission on the socket: only its user (and root) has it.
      fs.chmodSync(file, 0o600);
      fs.chownSync(file, principal.uid, 0);
    } catch (err) {
      entry.listener.close();
      fs.rmSync(file, { force: true });
      throw err; // a server not run as root cannot give a socket to another user
    }
    this.sockets.set(principal.uid, entry);
    if (this.disposed) this.close(principal.uid, entry); // disposed while it was being opened
  }

  private incoming(entry: UserSocket, socket: net.Socket): void {
    if (this.disposed || this.sockets.get(entry.principal.uid) !== entry) return void socket.destroy();
    if (entry.open >= MAX_CUSTOMER_CONNECTIONS) {
      return this.opts.refuse(socket, `too many connections: a hosting customer holds at most ${MAX_CUSTOMER_CONNECTIONS} at once (${entry.principal.name})`);
    }
    entry.open++;
    socket.once('close', () => entry.open--);
    this.opts.accept(socket, entry.principal);
  }

  private close(uid: number, s: UserSocket): void {
    s.listener.close();
    fs.rmSync(s.file, { force: true });
    this.sockets.delete(uid);
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.timer);
    for (const [uid, s] of [...this.sockets]) this.close(uid, s);
  }
}
