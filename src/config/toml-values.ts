// Small helpers for reading parsed TOML values in error messages: the TOML type of a value, how to quote it, sizes
// such as 16M, close matches for a mistyped key, and the line a key sits on.

import { TomlDate } from 'smol-toml';

/** The TOML type name of a value parsed with `integersAsBigInt: true` (so integers and floats differ). */
export function tomlType(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'bigint') return 'integer';
  if (typeof value === 'number') return 'float';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'array';
  if (value instanceof TomlDate) return 'date-time';
  return 'table';
}

const MAX_SHOWN = 60;

/** A value as a user wrote it: strings quoted (long ones cut), numbers as numbers, arrays and tables by kind. */
export function showValue(value: unknown): string {
  if (typeof value === 'string') {
    const cut = [...value].length > MAX_SHOWN ? `${[...value].slice(0, MAX_SHOWN).join('')}…` : value;
    return JSON.stringify(cut);
  }
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    // A float that happens to be whole was written 2.0: show it so, or `got 2 (float)` reads as nonsense.
    return Number.isInteger(value) && Math.abs(value) < 1e21 ? value.toFixed(1) : String(value);
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  if (value instanceof TomlDate) return value.toISOString();
  return 'a table';
}

/** For a value of the wrong type: the value and its TOML type, `"two" (string)`; arrays and tables by kind alone. */
export function showTyped(value: unknown): string {
  const type = tomlType(value);
  return type === 'array' || type === 'table' ? showValue(value) : `${showValue(value)} (${type})`;
}

const UNITS: Readonly<Record<string, number>> = { K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** `16M` → 16777216 (binary units K, M, G, either case; a bare number is bytes); undefined if not a size. */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+)([KMGkmg]?)$/.exec(text);
  if (!m) return undefined;
  const bytes = Number(m[1]) * (m[2] ? UNITS[m[2].toUpperCase()]! : 1);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}

/**
 * Known words close to a mistyped one, the nearest first (at most 3): the same once case, `_` and `-` are ignored
 * (umlDir, uml-dir), one a prefix of the other (memory, mem), or a few letters apart (consoels).
 */
export function closeMatches(word: string, known: readonly string[]): string[] {
  const norm = (s: string): string => s.toLowerCase().replace(/[_-]/g, '');
  const w = norm(word);
  const scored: { key: string; score: number }[] = [];
  for (const key of known) {
    const k = norm(key);
    const distance = editDistance(w, k);
    const prefix = Math.min(w.length, k.length) >= 3 && (w.startsWith(k) || k.startsWith(w));
    if (distance <= Math.max(1, Math.floor(k.length / 3)) || prefix) scored.push({ key, score: distance });
  }
  scored.sort((a, b) => a.score - b.score);
  // Only the nearest: `restart_delay` suggests restart_delay_ms, not restart and restart_max_delay_ms as well.
  return scored.filter((s) => s.score <= scored[0]!.score + 1).slice(0, 3).map((s) => s.key);
}

/** `a`, `a or b`, `a, b or c`. */
export function orList(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The 1-based line where a top-level key is set (`key =`, `"key" =`, `[key]`, `key.x =`), if it can be found. */
export function lineOfKey(text: string, key: string): number | undefined {
  const k = escapeRegExp(key);
  const re = new RegExp(`^\\s*\\[*\\s*(?:${k}|"${k}"|'${k}')\\s*[=.\\]]`);
  const index = text.split(/\r?\n/).findIndex((line) => re.test(line));
  return index < 0 ? undefined : index + 1;
}
