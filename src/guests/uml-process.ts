// Whether a pid named by a umid directory's pid file really is that guest: a live UML kernel of that umid, run by
// the directory's owner. A root server must never signal, hold the consoles of, or relaunch as another user
// whatever a planted pid file names (issue 9): checked at adoption and again before every signal.

import fs from 'node:fs';
import path from 'node:path';
import { UmuxError } from '../core/errors.js';
import { procInfo } from './proc-info.js';

export interface UmidClaim {
  umid: string;
  /** The umid directory. */
  dir: string;
  pid: number;
  /** Owner of the umid directory. */
  uid: number;
}

export type Verdict = { ok: true } | { ok: false; why: string };

/** Inodes of the listening unix sockets bound at `socketPath` (/proc/net/unix). */
function socketInodes(socketPath: string, proc: string): Set<string> {
  const inodes = new Set<string>();
  let text: string;
  try {
    text = fs.readFileSync(`${proc}/net/unix`, 'utf8');
  } catch {
    return inodes;
  }
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 8 && f.slice(7).join(' ') === socketPath) inodes.add(f[6]!);
  }
  return inodes;
}

/** True when process `pid` holds one of the sockets bound at `socketPath`. */
export function holdsSocket(pid: number, socketPath: string, proc = '/proc'): boolean {
  const inodes = socketInodes(socketPath, proc);
  if (inodes.size === 0) return false;
  let fds: string[];
  try {
    fds = fs.readdirSync(`${proc}/${pid}/fd`);
  } catch {
    return false;
  }
  for (const fd of fds) {
    let target: string;
    try {
      target = fs.readlinkSync(`${proc}/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m && inodes.has(m[1]!)) return true;
  }
  return false;
}

/** Checks `claim` against /proc: the process's owner, its command line's umid and uml_dir, or its mconsole socket. */
export function verifyUmlPid(claim: UmidClaim, proc = '/proc'): Verdict {
  const info = procInfo(claim.pid, proc);
  if (!info || info.state === 'Z' || info.state === 'X') return { ok: false, why: `pid ${claim.pid} is gone` };
  if (info.uid !== claim.uid) {
    return { ok: false, why: `pid ${claim.pid} runs as uid ${info.uid} but ${claim.dir} belongs to uid ${claim.uid}: not trusted` };
  }
  const cmd = info.cmdline;
  if (cmd?.umid === claim.umid) {
    const expected = cmd.umlDir !== undefined && info.cwd !== undefined ? path.resolve(info.cwd, cmd.umlDir, cmd.umid) : undefined;
    if (expected === undefined || sameDir(expected, claim.dir)) return { ok: true };
  }
  // UML made its umid up (none given, or the one given was taken): only the mconsole socket it holds ties it here.
  if (holdsSocket(claim.pid, path.join(claim.dir, 'mconsole'), proc)) return { ok: true };
  const runs = cmd?.umid === undefined ? 'has no umid= on its command line' : `runs umid=${cmd.umid}${cmd.umid === claim.umid ? ' in another uml_dir' : ''}`;
  return { ok: false, why: `pid ${claim.pid} (${path.basename(cmd?.argv[0] ?? '?')}) ${runs} and does not hold ${claim.dir}/mconsole: not this guest` };
}

function sameDir(a: string, b: string): boolean {
  if (path.resolve(a) === path.resolve(b)) return true;
  try {
    return fs.realpathSync(a) === fs.realpathSync(b);
  } catch {
    return false;
  }
}

/** Throws unless `pid` still is guest `umid`, whose umid directory holds `socket`: checked before every signal. */
export function requireGuestPid(g: { umid: string; socket: string; pid: number; ownerUid?: number }): void {
  const dir = path.dirname(g.socket);
  let uid = g.ownerUid;
  try {
    uid = fs.lstatSync(dir).uid;
  } catch {
    // A guest shutting down removes its directory: then the owner umux recorded stands in.
  }
  if (uid === undefined) {
    throw new UmuxError('busy', `${g.umid}: its umid directory ${dir} is gone, so pid ${g.pid} cannot be checked and is not signalled`, {
      hint: 'the guest is probably exiting: umux ls',
    });
  }
  const verdict = verifyUmlPid({ umid: g.umid, dir, pid: g.pid, uid });
  if (!verdict.ok) {
    throw new UmuxError('permission', `${g.umid}: not signalling pid ${g.pid}: ${verdict.why}`, { hint: `look at ${dir}/pid: umux only signals the guest it names` });
  }
}
