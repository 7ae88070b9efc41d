// Loads every guest definition of a directory (`~/.config/umux/guests/*.toml`): one bad file is reported without
// hiding the good ones, and two guests sharing a umid in the same uml_dir are refused (UML would pick a random one).
// With a DefinitionCache a file is read and parsed again only when it changed: a stat per file, not a read (issue 12).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ERRNO_TEXT } from '../core/errors.js';
import { ConfigError } from './config-error.js';
import { parseGuestDef, type GuestDef, type ParseGuestOptions, type PortLine } from './guest-def.js';
import { lineOfKey } from './toml-values.js';
import { TUI_SETTINGS_FILE } from './tui-settings.js';
import { SERVER_SETTINGS_FILE } from './server-settings.js';
import { HOSTS_FILE } from './hosts-config.js';
import { POLICY_FILE } from './hosting-policy.js';

export interface LoadedGuestDefs {
  /** The good definitions, sorted by file name. */
  defs: GuestDef[];
  /** One error per bad file, in file name order. */
  errors: ConfigError[];
}

/** `$UMUX_CONFIG_DIR`, else `$XDG_CONFIG_HOME/umux/guests`, else `~/.config/umux/guests`. */
export function defaultConfigDir(env: Readonly<Record<string, string | undefined>>): string {
  if (env['UMUX_CONFIG_DIR']) return path.resolve(env['UMUX_CONFIG_DIR']);
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and is to be ignored.
  const xdg = env['XDG_CONFIG_HOME'];
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'umux', 'guests');
  return path.join(env['HOME'] || os.homedir(), '.config', 'umux', 'guests');
}

function errnoText(err: unknown): { code: string | undefined; text: string } {
  const code = (err as NodeJS.ErrnoException).code;
  return { code, text: (code && ERRNO_TEXT[code]) ?? (err instanceof Error ? err.message : String(err)) };
}

function readError(file: string, what: string, err: unknown, fullPath = false): ConfigError {
  const { code, text } = errnoText(err);
  return new ConfigError(file, '', `cannot read ${what}: ${text}`, {
    code: code === 'EACCES' || code === 'EPERM' ? 'permission' : 'io',
    hint: `check ${file} and its permissions`,
    cause: err,
    fullPath,
  });
}

/**
 * Parsed definition files by path, each kept while its stamp (inode, size, mtime and ctime in ns) stays the same.
 * Stat, not fs.watch: a stat per file costs microseconds, holds no fd or inotify watch, and sees every kind of edit
 * (in place, rename over, a directory that appears later) on any filesystem without a fallback path to keep right.
 */
export type DefinitionCache = Map<string, { stamp: string; text: string; result: GuestDef | ConfigError }>;

/** A file's text and parse, from the cache while the file is unchanged. */
function readDefinition(file: string, opts: ParseGuestOptions, cache: DefinitionCache | undefined): { text: string; result: GuestDef | ConfigError } {
  const st = fs.statSync(file, { bigint: true });
  const stamp = `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  const known = cache?.get(file);
  if (known && known.stamp === stamp) return known;
  const text = fs.readFileSync(file, 'utf8');
  let result: GuestDef | ConfigError;
  try {
    result = parseGuestDef(text, file, opts);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    result = err;
  }
  cache?.set(file, { stamp, text, result });
  return { text, result };
}

/**
 * Reads every `*.toml` in `dir`, sorted by name. Names starting with '.' are skipped (editor lock files such as
 * emacs's `.#web1.toml`), and so are tui.toml, server.toml, policy.toml and hosts.toml, umux's own settings. A directory that does not exist holds no guests
 * and is no error.
 */
export function loadGuestDefs(dir: string, opts: ParseGuestOptions, cache?: DefinitionCache): LoadedGuestDefs {
  const root = path.resolve(dir);
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { defs: [], errors: [] };
    return { defs: [], errors: [readError(root, 'the guest definition directory', err, true)] };
  }
  const defs: GuestDef[] = [];
  const errors: ConfigError[] = [];
  const byUmid = new Map<string, GuestDef>();
  const byPort = new Map<number, { def: GuestDef; line: string }>();
  const own = [TUI_SETTINGS_FILE, SERVER_SETTINGS_FILE, POLICY_FILE, HOSTS_FILE];
  const files = names.filter((n) => n.endsWith('.toml') && !n.startsWith('.') && !own.includes(n)).sort();
  if (cache) for (const known of cache.keys()) if (path.dirname(known) === root && !files.includes(path.basename(known))) cache.delete(known);
  for (const name of files) {
    const file = path.join(root, name);
    let text: string;
    let def: GuestDef;
    try {
      const read = readDefinition(file, opts, cache);
      if (read.result instanceof ConfigError) {
        errors.push(read.result);
        continue;
      }
      text = read.text;
      def = read.result;
    } catch (err) {
      errors.push(readError(file, 'the file', err));
      continue;
    }
    const slot = `${path.resolve(def.umlDir)}\0${def.umid}`;
    const first = byUmid.get(slot);
    if (first) {
      const line = lineOfKey(text, 'umid');
      errors.push(new ConfigError(file, 'umid', `expected a umid of its own, got ${JSON.stringify(def.umid)} (${path.basename(first.file)} has it in ${def.umlDir})`, {
        line,
        hint: `give one of ${name} and ${path.basename(first.file)} another umid (or another uml_dir)`,
      }));
      continue;
    }
    const clash = def.ports.map((l) => ({ l, other: byPort.get(l.port) })).find((c) => c.other);
    if (clash) {
      const { l, other } = clash as { l: PortLine; other: { def: GuestDef; line: string } };
      errors.push(new ConfigError(file, 'lines', `expected a port of its own for ${l.name}, got port ${l.port} (${path.basename(other.def.file)} has it for ${other.line})`, {
        line: lineOfKey(text, 'lines'),
        hint: `give ${l.name} of ${name} another port: UML binds each port once on the host`,
      }));
      continue;
    }
    for (const l of def.ports) byPort.set(l.port, { def, line: l.name });
    byUmid.set(slot, def);
    defs.push(def);
  }
  return { defs, errors };
}
