// The server's own settings, ~/.config/umux/server.toml (or $UMUX_CONFIG_DIR/server.toml, which the guest loader
// skips), and the no-start file beside it (seed 001's /machines-nostart):
//
//   autostart_delay_ms = 5000     # between two autostarted guests (default 1000; UMUX_AUTOSTART_DELAY_MS wins)
//   autostart_jitter_ms = 60000   # a random extra wait of up to this before each (default 0)
//   [hooks]                       # programs run on every guest's events (a guest's own [hooks] replace a kind)
//   panic = ["/usr/local/bin/page-oncall"]
//
// Mistakes are one-line ConfigErrors naming the file and the key, as for tui.toml.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ERRNO_TEXT } from '../core/errors.js';
import { settingsDirOf, type Env } from '../protocol/locations.js';
import { ConfigError, parseTomlFile } from './config-error.js';
import { noHooks, parseHooks, type HookConfig } from './hooks-config.js';
import { closeMatches, lineOfKey, orList, showTyped, showValue } from './toml-values.js';

export const SERVER_SETTINGS_FILE = 'server.toml';
/** One guest name a line: those are not autostarted; an empty file (or a line `*`) stops all autostart. */
export const NOSTART_FILE = 'nostart';
export const AUTOSTART_DELAY_MAX_MS = 3_600_000;

export interface ServerSettings {
  file: string;
  autostartDelayMs: number;
  autostartJitterMs: number;
  hooks: HookConfig;
}

const KEYS = ['autostart_delay_ms', 'autostart_jitter_ms', 'hooks'];

export function serverSettingsFile(env: Env, home: string = os.homedir()): string {
  return path.join(path.resolve(settingsDirOf(env, home)), SERVER_SETTINGS_FILE);
}

function defaults(file: string): ServerSettings {
  return { file, autostartDelayMs: 1000, autostartJitterMs: 0, hooks: noHooks() };
}

/** Parses and checks server.toml's text; `file` is its path. Throws ConfigError. */
export function parseServerSettings(text: string, file: string): ServerSettings {
  const abs = path.resolve(file);
  const table = parseTomlFile(text, abs);
  const settings = defaults(abs);
  for (const [key, value] of Object.entries(table)) {
    if (key === 'hooks') {
      settings.hooks = parseHooks(value, text, abs);
      continue;
    }
    if (!KEYS.includes(key)) {
      const near = closeMatches(key, KEYS);
      throw new ConfigError(abs, /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key), near.length > 0 ? `unknown key (did you mean ${orList(near)}?)` : 'unknown key', {
        line: lineOfKey(text, key),
        hint: `the keys are ${KEYS.join(', ')}`,
      });
    }
    const what = `a whole number of milliseconds from 0 to ${AUTOSTART_DELAY_MAX_MS}`;
    const fail = (got: string) => ConfigError.expected(abs, key, what, got, { line: lineOfKey(text, key), hint: `write it like ${key} = 5000 in ${abs}` });
    if (typeof value !== 'bigint') throw fail(showTyped(value));
    if (value < 0n || value > BigInt(AUTOSTART_DELAY_MAX_MS)) throw fail(showValue(value));
    if (key === 'autostart_delay_ms') settings.autostartDelayMs = Number(value);
    else settings.autostartJitterMs = Number(value);
  }
  return settings;
}

/** server.toml (a missing file gives the defaults). Throws ConfigError for a bad or unreadable file. */
export function loadServerSettings(env: Env, home: string = os.homedir()): ServerSettings {
  const file = serverSettingsFile(env, home);
  try {
    return parseServerSettings(fs.readFileSync(file, 'utf8'), file);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return defaults(file);
    throw new ConfigError(file, '', `cannot read the file: ${(code && ERRNO_TEXT[code]) ?? (err as Error).message}`, {
      code: code === 'EACCES' || code === 'EPERM' ? 'permission' : 'io',
      hint: `check ${file} and its permissions`,
      cause: err,
    });
  }
}

export type NoStart = { all: true; file: string } | { all: false; names: ReadonlySet<string>; file: string } | undefined;

/** What the no-start file says: undefined when there is none (autostart as usual). */
export function readNoStart(env: Env, home: string = os.homedir()): NoStart {
  const file = path.join(path.resolve(settingsDirOf(env, home)), NOSTART_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    // One that is there but cannot be read still says "do not start" (the seed's flag file is about existing).
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : { all: true, file };
  }
  const names = text.split('\n').map((l) => l.replace(/#.*/, '').trim()).filter(Boolean);
  if (names.length === 0 || names.includes('*')) return { all: true, file };
  return { all: false, names: new Set(names), file };
}
