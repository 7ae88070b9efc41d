// Host users by name, from /etc/passwd (Node has no getpwnam): for guests that a root server runs as another user.

import fs from 'node:fs';
import { UmuxError } from '../core/errors.js';

export interface HostUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

export function parsePasswd(text: string): HostUser[] {
  return text
    .split('\n')
    .map((line) => line.split(':'))
    .filter((f) => f.length >= 7 && /^\d+$/.test(f[2]!) && /^\d+$/.test(f[3]!))
    .map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5]! }));
}

export function lookupUser(name: string, passwd = '/etc/passwd'): HostUser {
  let text: string;
  try {
    text = fs.readFileSync(passwd, 'utf8');
  } catch (err) {
    throw new UmuxError('io', `cannot read ${passwd} to find user ${name}: ${(err as NodeJS.ErrnoException).code}`);
  }
  const user = parsePasswd(text).find((u) => u.name === name || String(u.uid) === name);
  if (!user) throw new UmuxError('usage', `no host user "${name}" in ${passwd}`, { hint: 'create the user, or fix `user =` in the guest definition' });
  return user;
}

/** The name of host user `uid` (its number when /etc/passwd has none or cannot be read). */
export function userName(uid: number, passwd = '/etc/passwd'): string {
  try {
    return parsePasswd(fs.readFileSync(passwd, 'utf8')).find((u) => u.uid === uid)?.name ?? String(uid);
  } catch {
    return String(uid);
  }
}

/** Host users who belong to any of `groups` (named in /etc/group, or with it as their primary group). */
export function membersOfGroups(groups: readonly string[], files = { passwd: '/etc/passwd', group: '/etc/group' }): Set<string> {
  const out = new Set<string>();
  if (groups.length === 0) return out;
  let groupText = '';
  let passwdText = '';
  try {
    groupText = fs.readFileSync(files.group, 'utf8');
    passwdText = fs.readFileSync(files.passwd, 'utf8');
  } catch {
    return out;
  }
  const gids = new Set<number>();
  for (const f of groupText.split('\n').map((l) => l.split(':'))) {
    if (f.length < 4 || !groups.includes(f[0]!) || !/^\d+$/.test(f[2]!)) continue;
    gids.add(Number(f[2]));
    for (const m of f[3]!.split(',').filter(Boolean)) out.add(m);
  }
  for (const u of parsePasswd(passwdText)) if (gids.has(u.gid)) out.add(u.name);
  return out;
}
