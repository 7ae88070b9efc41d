// Typed reads of one parsed TOML table for the guest definition parser: each key's value checked for its type,
// paths expanded (`~`, relative), and every failure a ConfigError naming the file, the key and its line.

import path from 'node:path';
import { ConfigError } from './config-error.js';
import { guestKey } from './guest-keys.js';
import { lineOfKey, showTyped, showValue } from './toml-values.js';

/** Reads one table's keys, each throwing a ConfigError that names the file and the key. */
export class Fields {
  constructor(
    private readonly text: string,
    readonly file: string,
    private readonly table: Record<string, unknown>,
    private readonly home: string,
  ) {}

  has(key: string): boolean {
    return Object.hasOwn(this.table, key);
  }

  get(key: string): unknown {
    return this.table[key];
  }

  fail(key: string, what: string, got: string, hint?: string): ConfigError {
    const example = guestKey(key).example;
    return ConfigError.expected(this.file, key, what, got, {
      line: lineOfKey(this.text, key),
      hint: hint ?? `write it like ${example} in ${this.file}`,
    });
  }

  string(key: string, what: string): string | undefined {
    if (!this.has(key)) return undefined;
    const value = this.get(key);
    if (typeof value !== 'string') throw this.fail(key, what, showTyped(value));
    return value;
  }

  integer(key: string, fallback: number, min: number, max: number, what: string): number {
    if (!this.has(key)) return fallback;
    const value = this.get(key);
    if (typeof value !== 'bigint') throw this.fail(key, what, showTyped(value));
    if (value < BigInt(min) || value > BigInt(max)) throw this.fail(key, what, showValue(value));
    return Number(value);
  }

  boolean(key: string, fallback: boolean): boolean {
    if (!this.has(key)) return fallback;
    const value = this.get(key);
    if (typeof value !== 'boolean') throw this.fail(key, 'true or false', showTyped(value));
    return value;
  }

  strings(key: string, what: string): string[] {
    if (!this.has(key)) return [];
    const value = this.get(key);
    if (!Array.isArray(value)) throw this.fail(key, what, showTyped(value));
    const bad = value.find((item) => typeof item !== 'string');
    if (bad !== undefined) throw this.fail(key, 'only strings in the list', showTyped(bad));
    return value as string[];
  }

  /** `~` and `~/x` are the home directory; relative paths are joined onto `base`. */
  expand(key: string, value: string, base: string, what: string): string {
    if (value === '') throw this.fail(key, what, '""');
    if (value === '~' || value.startsWith('~/')) return path.resolve(this.home, `.${value.slice(1)}`);
    if (value.startsWith('~')) {
      throw this.fail(key, what, showValue(value), `only ~ and ~/... are expanded (to ${this.home}): write the full path`);
    }
    return path.resolve(base, value);
  }

  /** An optional path key, expanded; `noneOf` lists characters UML would split it on. */
  path(key: string, base: string, what: string, noneOf?: RegExp): string | undefined {
    const value = this.string(key, what);
    if (value === undefined) return undefined;
    const full = this.expand(key, value, base, what);
    if (noneOf?.test(full)) throw this.fail(key, what, showValue(value));
    return full;
  }
}
