// What /proc says about UML port consoles (findings §4): whether a TELNET session to a port line still has a telnetd
// (UML keeps its own copy of every accepted socket, so a session whose telnetd died never closes), and which
// `port-helper` processes a dead guest left holding its listening port (they inherit it and outlive the guest).

import fs from 'node:fs';
import path from 'node:path';
import { groupMembers } from './process-group.js';

/** A socket in /proc/net/tcp: its inode, by state. */
interface TcpEntry {
  local: number;
  remote: number;
  /** 0A listen, 01 established … */
  state: string;
  inode: string;
}

function tcpEntries(proc: string): TcpEntry[] {
  const entries: TcpEntry[] = [];
  for (const file of ['net/tcp', 'net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(proc, file), 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const port = (addr: string): number => parseInt(addr.slice(addr.lastIndexOf(':') + 1), 16);
      entries.push({ local: port(f[1]!), remote: port(f[2]!), state: f[3]!, inode: f[9]! });
    }
  }
  return entries;
}

function fdTargets(pid: number, proc: string): Map<string, string> {
  const out = new Map<string, string>();
  let fds: string[];
  try {
    fds = fs.readdirSync(`${proc}/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      out.set(fd, fs.readlinkSync(`${proc}/${pid}/fd/${fd}`));
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

function readCmdline(pid: number, proc: string): string | undefined {
  try {
    return fs.readFileSync(`${proc}/${pid}/cmdline`, 'latin1');
  } catch {
    return undefined;
  }
}

/**
 * Whether the TELNET session of our connection (client port `clientPort` to the guest's `port`) still has a telnetd:
 * a process of the guest's group with the accepted socket on its stdin. False once the telnetd died (the session is
 * dead though the connection stays open); undefined when /proc cannot tell (the socket is not found).
 */
export function telnetSessionAlive(guestPid: number, port: number, clientPort: number, proc = '/proc'): boolean | undefined {
  const entry = tcpEntries(proc).find((e) => e.local === port && e.remote === clientPort && e.state === '01');
  if (!entry || entry.inode === '0') return undefined;
  const target = `socket:[${entry.inode}]`;
  const kernel = readCmdline(guestPid, proc);
  for (const pid of groupMembers(guestPid)) {
    if (readCmdline(pid, proc) === kernel) continue; // UML's own processes hold every accepted socket
    if (fdTargets(pid, proc).get('0') === target) return true;
  }
  return false;
}

function processUid(pid: number, proc: string): number | undefined {
  try {
    const m = /^Uid:\s+(\d+)/m.exec(fs.readFileSync(`${proc}/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

function isPortHelper(pid: number, proc: string): boolean {
  try {
    return path.basename(fs.readlinkSync(`${proc}/${pid}/exe`)) === 'port-helper';
  } catch {
    return false;
  }
}

export interface LeftoverHelper {
  pid: number;
  port: number;
  /** `port-helper`, or `winch helper` (a UML process of the guest left in a session of its own). */
  what: string;
}

/** What a dead guest may have left holding its port: a port-helper, or a UML winch helper with its umid. */
function leftoverKind(pid: number, uid: number, umid: string, proc: string): string | undefined {
  if (processUid(pid, proc) !== uid) return undefined;
  if (isPortHelper(pid, proc)) return 'port-helper';
  const args = (readCmdline(pid, proc) ?? '').split('\0');
  return args.includes(`umid=${umid}`) ? 'winch helper' : undefined;
}

/**
 * What a dead guest (`umid`, run by `uid`; the caller knows it is dead) left holding the listening socket of one of
 * its `ports`: port-helper processes (they inherit it and outlive the guest) and UML winch helpers. A port that any
 * other process holds is left alone. Never from a pid file: found by the executable, the owner and the socket itself.
 */
export function leftoverPortHelpers(ports: readonly number[], uid: number, umid: string, proc = '/proc'): LeftoverHelper[] {
  if (ports.length === 0) return [];
  const listeners = new Map<string, number>();
  for (const e of tcpEntries(proc)) if (e.state === '0A' && ports.includes(e.local) && e.inode !== '0') listeners.set(`socket:[${e.inode}]`, e.local);
  if (listeners.size === 0) return [];
  const holders = new Map<string, Array<{ pid: number; what: string | undefined }>>();
  for (const name of fs.readdirSync(proc)) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    for (const target of new Set(fdTargets(pid, proc).values())) {
      if (!listeners.has(target)) continue;
      const list = holders.get(target) ?? [];
      list.push({ pid, what: leftoverKind(pid, uid, umid, proc) });
      holders.set(target, list);
    }
  }
  const left: LeftoverHelper[] = [];
  for (const [target, list] of holders) {
    if (list.some((h) => h.what === undefined)) continue; // someone else listens there: not ours to kill
    for (const h of list) left.push({ pid: h.pid, port: listeners.get(target)!, what: h.what! });
  }
  return left.sort((a, b) => a.pid - b.pid);
}

/** SIGKILLs `helpers` (found just before by leftoverPortHelpers) and waits up to `timeoutMs` for them to go. */
export async function killLeftovers(helpers: readonly LeftoverHelper[], timeoutMs = 3000): Promise<void> {
  for (const h of helpers) {
    try {
      process.kill(h.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + timeoutMs;
  while (helpers.some((h) => fs.existsSync(`/proc/${h.pid}`) && !/\) [ZX] /.test(readStat(h.pid))) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
}

function readStat(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return ') X ';
  }
}

/** How leftovers read in a message: `port-helper pid 5080 (port 9123), winch helper pid 29000 (port 9123)`. */
export function describeLeftovers(helpers: readonly LeftoverHelper[]): string {
  return helpers.map((h) => `${h.what} pid ${h.pid} (port ${h.port})`).join(', ');
}

/** Who holds the listening socket of `port` (pids, and their executables), for an error naming them. */
export function portListeners(port: number, proc = '/proc'): Array<{ pid: number; exe: string }> {
  const inodes = new Set(tcpEntries(proc).filter((e) => e.state === '0A' && e.local === port && e.inode !== '0').map((e) => `socket:[${e.inode}]`));
  if (inodes.size === 0) return [];
  const out: Array<{ pid: number; exe: string }> = [];
  for (const name of fs.readdirSync(proc)) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (![...fdTargets(pid, proc).values()].some((t) => inodes.has(t))) continue;
    let exe = '?';
    try {
      exe = fs.readlinkSync(`${proc}/${pid}/exe`);
    } catch {
      // another user's process: the pid is enough
    }
    out.push({ pid, exe });
  }
  return out;
}

/** Whether something listens on TCP `port` on this host (any user, any address). */
export function portBound(port: number, proc = '/proc'): boolean {
  return tcpEntries(proc).some((e) => e.state === '0A' && e.local === port);
}
