// The hosting policy (issue 17), CONFIG/policy.toml beside server.toml: which host users and groups reach which
// guests, their console right and their commands. Read only when it belongs to the server's user and nobody else
// may write it; every mistake (an unknown key, command or right) is one line naming the file and the key.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ERRNO_TEXT } from '../core/errors.js';
import { grantWordProblem, GRANTABLE, type CommandGrant, type ConsoleRight, type Grant } from '../commands/grants.js';
import { settingsDirOf, type Env } from '../protocol/locations.js';
import { ConfigError, parseTomlFile } from './config-error.js';
import { closeMatches, lineOfKey, orList, showTyped, showValue } from './toml-values.js';

export const POLICY_FILE = 'policy.toml';

export interface HostingPolicy {
  file: string;
  grants: Grant[];
  /** What the file was when read (size, mtime, inode): the server reads it again when this changes. */
  stamp: string;
}

const GRANT_KEYS = ['users', 'groups', 'guests', 'owned', 'console', 'commands'];
const RIGHTS: readonly ConsoleRight[] = ['read-write', 'read-only', 'none'];
/** Host user and group names, and guest names, as umux accepts them (no path or control characters). */
const NAME_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

export function policyFile(env: Env, home: string = os.homedir()): string {
  return path.join(path.resolve(settingsDirOf(env, home)), POLICY_FILE);
}

function keyFail(file: string, text: string, key: string, what: string, got: string): ConfigError {
  return ConfigError.expected(file, key, what, got, { line: lineOfKey(text, key), hint: `see README "Hosting" for the policy file's shape (${file})` });
}

function names(file: string, text: string, table: Record<string, unknown>, key: string): string[] {
  const value = table[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw keyFail(file, text, key, 'a list of names', showTyped(value));
  for (const item of value) {
    if (typeof item !== 'string' || !NAME_RE.test(item)) throw keyFail(file, text, key, 'names of letters, digits, ".", "_" and "-"', showValue(item));
  }
  return value as string[];
}

function commandGrants(file: string, text: string, table: Record<string, unknown>): CommandGrant[] {
  const value = table['commands'];
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw keyFail(file, text, 'commands', 'a list of commands such as ["start", "sysrq s"]', showTyped(value));
  return value.map((item) => {
    if (typeof item !== 'string') throw keyFail(file, text, 'commands', 'command lines as strings', showTyped(item));
    const problem = grantWordProblem(item);
    if (problem) throw new ConfigError(file, 'commands', `${problem}`, { line: lineOfKey(text, 'commands'), hint: `the commands a grant may name: ${GRANTABLE.join(', ')}` });
    const [name, ...args] = item.trim().split(/\s+/);
    return { name: name!, ...(args.length ? { args } : {}) };
  });
}

function parseGrant(file: string, text: string, table: unknown): Grant {
  if (typeof table !== 'object' || table === null || Array.isArray(table)) throw keyFail(file, text, 'grant', 'tables: [[grant]]', showTyped(table));
  const t = table as Record<string, unknown>;
  for (const key of Object.keys(t)) {
    if (GRANT_KEYS.includes(key)) continue;
    const near = closeMatches(key, GRANT_KEYS);
    throw new ConfigError(file, `grant.${JSON.stringify(key).slice(1, -1)}`, near.length ? `unknown key (did you mean ${orList(near)}?)` : 'unknown key', { line: lineOfKey(text, key), hint: `a grant's keys are ${GRANT_KEYS.join(', ')}` });
  }
  const consoleRight = t['console'] ?? 'none';
  if (typeof consoleRight !== 'string' || !(RIGHTS as readonly string[]).includes(consoleRight)) throw keyFail(file, text, 'console', orList(RIGHTS.map((r) => `"${r}"`)), showValue(consoleRight));
  const owned = t['owned'] ?? false;
  if (typeof owned !== 'boolean') throw keyFail(file, text, 'owned', 'true or false', showTyped(owned));
  const grant: Grant = { users: names(file, text, t, 'users'), groups: names(file, text, t, 'groups'), guests: names(file, text, t, 'guests'), owned, console: consoleRight as ConsoleRight, commands: commandGrants(file, text, t) };
  if (grant.users.length + grant.groups.length === 0) throw keyFail(file, text, 'users', 'users or groups naming who the grant is for', 'neither');
  if (grant.guests.length === 0 && !owned) throw keyFail(file, text, 'guests', 'guests, or owned = true', 'neither');
  return grant;
}

/** Parses the policy's text; `file` is its path. Throws ConfigError. */
export function parsePolicy(text: string, file: string, stamp = ''): HostingPolicy {
  const table = parseTomlFile(text, file);
  for (const key of Object.keys(table)) {
    if (key !== 'grant') throw new ConfigError(file, JSON.stringify(key).slice(1, -1), 'unknown key', { line: lineOfKey(text, key), hint: 'the policy holds [[grant]] tables only' });
  }
  const grants = table['grant'] ?? [];
  if (!Array.isArray(grants)) throw keyFail(file, text, 'grant', 'tables: [[grant]]', showTyped(grants));
  return { file, grants: grants.map((g) => parseGrant(file, text, g)), stamp };
}

/**
 * The policy file, or undefined when there is none. Refused (ConfigError) unless it is a plain file owned by this
 * process's user and not writable by group or others: a policy someone else could write would grant what they like.
 */
export function readPolicy(file: string): HostingPolicy | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'ENOENT') return undefined;
    throw new ConfigError(file, '', `cannot read the hosting policy: ${ERRNO_TEXT[code] ?? code}`, { code: 'permission', fullPath: true, hint: `it must be a plain file of the server's user (a link is not followed)` });
  }
  try {
    const st = fs.fstatSync(fd);
    const me = process.getuid?.() ?? 0;
    if (!st.isFile() || st.uid !== me || (st.mode & 0o022) !== 0) {
      const what = !st.isFile() ? 'not a plain file' : st.uid !== me ? `owned by uid ${st.uid}, not by the server's user (uid ${me})` : `writable by group or others (mode ${(st.mode & 0o777).toString(8)})`;
      throw new ConfigError(file, '', `hosting policy refused: ${what}`, { code: 'permission', fullPath: true, hint: `chown ${me} ${file}; chmod go-w ${file}` });
    }
    return parsePolicy(fs.readFileSync(fd, 'utf8'), file, policyStamp(st));
  } finally {
    fs.closeSync(fd);
  }
}

export function policyStamp(st: fs.Stats): string {
  return `${st.ino}:${st.size}:${st.mtimeMs}:${st.mode}:${st.uid}`;
}

/** The file's stamp now ('' when it is gone), to tell whether it changed without reading it. */
export function statPolicy(file: string): string {
  try {
    return policyStamp(fs.lstatSync(file));
  } catch {
    return '';
  }
}
