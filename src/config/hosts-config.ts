// Other hosts an admin reaches over ssh, ~/.config/umux/hosts.toml (beside tui.toml; the guest loader skips it):
//
//   [[host]]
//   name = "b"                    # how the sidebar and `--host b` call it
//   ssh = "admin@b.example"       # the ssh destination: [user@]HOST or a Host alias of ~/.ssh/config
//   umux = "/usr/local/bin/umux"  # the far side's umux command (default umux, from the far PATH)
//   ssh_config = "~/.ssh/umux"    # an ssh_config file for this host (ssh -F), optional
//   connect_timeout = 10          # seconds ssh may take to connect (default 10)
//
// Every mistake is a one-line ConfigError naming the file and the key.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ERRNO_TEXT, UsageError } from '../core/errors.js';
import { checkHostName, checkSshDestination } from '../protocol/ssh-destination.js';
import { settingsDirOf, type Env } from '../protocol/locations.js';
import { ConfigError, parseTomlFile } from './config-error.js';
import { closeMatches, lineOfKey, showTyped } from './toml-values.js';

export const HOSTS_FILE = 'hosts.toml';

export interface HostDef {
  name: string;
  ssh: string;
  umux?: string;
  sshConfig?: string;
  connectTimeoutS?: number;
}

/** The keys of a [[host]], for the README's table (npm run docs) and the unknown-key check. */
export const HOST_KEYS: ReadonlyArray<{ key: string; type: string; default: string; summary: string }> = [
  { key: 'name', type: 'string', default: '(required)', summary: 'how the sidebar and `--host NAME` call the host: letters, digits, `.` `_` `-`, not `local`' },
  { key: 'ssh', type: 'string', default: 'the name', summary: 'the ssh destination: `[user@]HOST` or a `Host` alias of your ssh config (never an option)' },
  { key: 'umux', type: 'string', default: '`umux`', summary: 'the far side\'s umux command, run by the far login shell as `UMUX server --stdio`' },
  { key: 'ssh_config', type: 'path', default: '(ssh\'s own)', summary: 'an ssh_config file for this host (`ssh -F`), relative to hosts.toml or `~/…`' },
  { key: 'connect_timeout', type: 'seconds', default: '`10`', summary: 'how long ssh may take to connect (ConnectTimeout); the hello may take 5 s more' },
];

const KEYS = HOST_KEYS.map((k) => k.key);

export function hostsFile(env: Env, home: string = os.homedir()): string {
  return path.join(path.resolve(settingsDirOf(env, home)), HOSTS_FILE);
}

/** The hosts of hosts.toml, in file order; none when the file does not exist. */
export function loadHosts(env: Env, home: string = os.homedir()): HostDef[] {
  const file = hostsFile(env, home);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'ENOENT') return [];
    throw new UsageError(`cannot read ${file}: ${ERRNO_TEXT[code] ?? code}`);
  }
  return parseHosts(text, file, home);
}

export function parseHosts(text: string, file: string, home: string = os.homedir()): HostDef[] {
  const doc = parseTomlFile(text, file);
  const extra = Object.keys(doc).filter((k) => k !== 'host');
  if (extra.length > 0) throw new ConfigError(file, extra[0]!, 'unknown key: hosts.toml holds only [[host]] tables', { line: lineOfKey(text, extra[0]!) });
  const list = doc['host'] ?? [];
  if (!Array.isArray(list)) throw ConfigError.expected(file, 'host', '[[host]] tables', showTyped(list));
  const hosts = list.map((table: unknown, i: number) => parseHost(table, file, i, text, home));
  const seen = new Set<string>();
  for (const h of hosts) {
    if (seen.has(h.name)) throw new ConfigError(file, 'name', `two hosts are called "${h.name}"`, { hint: 'give each [[host]] its own name' });
    seen.add(h.name);
  }
  return hosts;
}

function parseHost(table: unknown, file: string, index: number, text: string, home: string): HostDef {
  const where = `host ${index + 1}`;
  if (typeof table !== 'object' || table === null || Array.isArray(table)) throw ConfigError.expected(file, where, 'a [[host]] table', showTyped(table));
  const t = table as Record<string, unknown>;
  for (const key of Object.keys(t)) {
    if (!KEYS.includes(key)) {
      const near = closeMatches(key, KEYS);
      throw new ConfigError(file, `${where}: ${key}`, 'unknown key', { line: lineOfKey(text, key), hint: near.length ? `did you mean ${near[0]}?` : `a [[host]] takes ${KEYS.join(', ')}` });
    }
  }
  const str = (key: string, what: string): string | undefined => {
    const v = t[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || v === '') throw ConfigError.expected(file, `${where}: ${key}`, what, showTyped(v), { line: lineOfKey(text, key) });
    return v;
  };
  const name = str('name', 'a host name such as "b"');
  const ssh = str('ssh', 'an ssh destination such as "admin@b.example"');
  if (name === undefined) throw ConfigError.expected(file, `${where}: name`, 'a host name such as "b"', 'nothing');
  checkHostName(name, `${file}: ${where}: name`);
  const dest = ssh ?? name;
  checkSshDestination(dest, `${file}: ${where}: ssh`);
  const umux = str('umux', 'the far side\'s umux command such as "/usr/local/bin/umux"');
  if (umux !== undefined && /[\x00-\x1f\x7f]/.test(umux)) throw ConfigError.expected(file, `${where}: umux`, 'a command on one line', 'control characters');
  const sshConfig = str('ssh_config', 'a path to an ssh_config file');
  const timeout = t['connect_timeout'];
  if (timeout !== undefined && (typeof timeout !== 'bigint' || timeout < 1n || timeout > 300n)) {
    throw ConfigError.expected(file, `${where}: connect_timeout`, 'seconds from 1 to 300', showTyped(timeout));
  }
  return {
    name,
    ssh: dest,
    ...(umux ? { umux } : {}),
    ...(sshConfig ? { sshConfig: path.resolve(path.dirname(file), sshConfig.replace(/^~(?=\/|$)/, home)) } : {}),
    ...(timeout !== undefined ? { connectTimeoutS: Number(timeout) } : {}),
  };
}

/** `--host WORD`: a host of hosts.toml by name, else WORD as an ssh destination (checked). */
export function resolveHost(word: string, hosts: readonly HostDef[]): HostDef {
  const named = hosts.find((h) => h.name === word);
  if (named) return named;
  return { name: checkSshDestination(word), ssh: word };
}
