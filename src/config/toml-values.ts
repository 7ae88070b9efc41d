// Small helpers for reading parsed TOML values in error messages: the TOML type of a value, how to quote it, sizes
// such as 16M, close matches for a mistyped key, and the line a key sits on.

/**
 * The TOML type name of a value parsed with `integersAsBigInt: true` (so integers and floats differ). A date-time is
 * smol-toml's TomlDate, a Date: told by that, so this module does not load the parser.
 */
export function tomlType(value: unknown): string {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'bigint') return 'integer';
  if (typeof value === 'number') return 'float';
  if (typeof value === 'boolean') return 'boolean';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date-time';
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
  if (value instanceof Date) return value.toISOString();
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

// Moved to core/ so that pure code (key maps) and the TUI (themes) suggest the same way; re-exported for config/.
export { closeMatches, orList } from '../core/suggest.js';

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
