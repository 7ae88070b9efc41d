// The `[hooks]` table of a guest definition or of server.toml: for each kind of event a command (an argv list, run
// without a shell unless the list itself names one) and how long a hook may run. Every mistake is a ConfigError.

import { ConfigError } from './config-error.js';
import { lineOfKey, showTyped, showValue, tomlType } from './toml-values.js';
import { closeMatches, orList } from '../core/suggest.js';

/** What a hook can run on (the guest's event that triggers each is in server/hooks.ts). */
export const HOOK_KINDS = ['panic', 'hang', 'exit', 'restart', 'memory', 'notify'] as const;
export type HookKind = (typeof HOOK_KINDS)[number];

export const DEFAULT_HOOK_TIMEOUT_MS = 30_000;
export const HOOK_TIMEOUT_MAX_MS = 3_600_000;

export interface HookConfig {
  /** argv per kind: argv[0] is an absolute path, never split or given to a shell by umux. */
  commands: Partial<Record<HookKind, string[]>>;
  /** How long one run may take before SIGTERM (then SIGKILL) to its process group. */
  timeoutMs: number;
}

export const HOOKS_EXAMPLE = 'panic = ["/usr/local/bin/page-oncall", "--urgent"]';
const KEYS: readonly string[] = [...HOOK_KINDS, 'timeout_ms'];

/** An empty hook table: nothing runs. */
export function noHooks(): HookConfig {
  return { commands: {}, timeoutMs: DEFAULT_HOOK_TIMEOUT_MS };
}

/** Checks a parsed `hooks` value from `file` (its text is for line numbers). Throws ConfigError. */
export function parseHooks(value: unknown, text: string, file: string): HookConfig {
  const line = lineOfKey(text, 'hooks');
  const fail = (key: string, what: string, got: string, hint?: string): ConfigError =>
    ConfigError.expected(file, key, what, got, { line, hint: hint ?? `write it like [hooks] then ${HOOKS_EXAMPLE} in ${file}` });
  if (tomlType(value) !== 'table') throw fail('hooks', 'a table of kind = ["/path/to/program", "arg"] lines', showTyped(value));
  const hooks = noHooks();
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    if (!KEYS.includes(key)) {
      const near = closeMatches(key, KEYS);
      throw new ConfigError(file, `hooks.${showValue(key).slice(1, -1)}`, near.length > 0 ? `unknown hook (did you mean ${orList(near)}?)` : 'unknown hook', {
        line,
        hint: `the hooks are ${HOOK_KINDS.join(', ')}, and timeout_ms`,
      });
    }
    if (key === 'timeout_ms') {
      const what = `a whole number of milliseconds from 1 to ${HOOK_TIMEOUT_MAX_MS}`;
      if (typeof v !== 'bigint') throw fail('hooks.timeout_ms', what, showTyped(v));
      if (v < 1n || v > BigInt(HOOK_TIMEOUT_MAX_MS)) throw fail('hooks.timeout_ms', what, showValue(v));
      hooks.timeoutMs = Number(v);
      continue;
    }
    hooks.commands[key as HookKind] = checkArgv(v, `hooks.${key}`, fail);
  }
  return hooks;
}

type Fail = (key: string, what: string, got: string, hint?: string) => ConfigError;

function checkArgv(v: unknown, key: string, fail: Fail): string[] {
  const what = 'a list: the program\'s absolute path, then its arguments';
  const shell = `for a shell line write ["/bin/sh", "-c", "..."]; guest text comes in $UMUX_REASON, never in the line`;
  if (typeof v === 'string') throw fail(key, what, showTyped(v), `write it as ["${v.split(/\s+/)[0] ?? ''}", …] (umux runs no shell of its own); ${shell}`);
  if (!Array.isArray(v) || v.length === 0) throw fail(key, what, showTyped(v));
  const bad = v.find((item) => typeof item !== 'string' || item.includes('\0'));
  if (bad !== undefined) throw fail(key, 'only strings in the list', showTyped(bad));
  const argv = v as string[];
  if (!argv[0]!.startsWith('/')) throw fail(key, 'an absolute path first, such as /usr/bin/mail', showValue(argv[0]), `the server's PATH is not yours: give the full path (\`command -v ${argv[0]}\` finds it); ${shell}`);
  return argv;
}
