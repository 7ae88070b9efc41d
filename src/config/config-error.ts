// A mistake in a guest definition, as one line naming the file and the key (`web1.toml: mem: expected a size such
// as 256M or 1G, got "lots"`), a hint saying what to change, and the file, key and line for tools.

import { createRequire } from 'node:module';
import path from 'node:path';
import { UmuxError, type ErrorFields, type UmuxErrorCode } from '../core/errors.js';

export interface ConfigErrorFields extends ErrorFields {
  /** 1-based line of the offending key or syntax error, when known. */
  line?: number;
  /** 1-based column: syntax errors only; shown in the message as FILE:LINE:COLUMN. */
  column?: number;
  /** Default 'usage' (the file is wrong); 'io' or 'permission' when it could not be read. */
  code?: UmuxErrorCode;
  /** Show the whole path rather than the base name (for errors about the directory itself). */
  fullPath?: boolean;
}

/** Control characters would break the one-line rule: show them escaped, as JSON does. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => JSON.stringify(c).slice(1, -1));
}

export class ConfigError extends UmuxError {
  /** Absolute path of the file (or directory) at fault. */
  readonly file: string;
  /** The TOML key at fault (`mem`, `disks`); '' for errors about the whole file (syntax, unreadable). */
  readonly key: string;
  readonly line: number | undefined;
  readonly column: number | undefined;

  /** `detail` is what follows `FILE: KEY: `, e.g. `expected a size such as 256M or 1G, got "lots"`. */
  constructor(file: string, key: string, detail: string, fields: ConfigErrorFields = {}) {
    const shown = fields.fullPath ? file : path.basename(file);
    let where = shown;
    if (key !== '') where = `${shown}: ${key}`;
    else if (fields.line !== undefined) where = `${shown}:${fields.line}${fields.column ? `:${fields.column}` : ''}`;
    super(fields.code ?? 'usage', oneLine(`${where}: ${detail}`), {
      ...(fields.hint === undefined ? {} : { hint: oneLine(fields.hint) }),
      ...(fields.cause === undefined ? {} : { cause: fields.cause }),
    });
    this.name = 'ConfigError';
    this.file = file;
    this.key = key;
    this.line = fields.line;
    this.column = fields.column;
  }

  /** The usual shape: `FILE: KEY: expected WHAT, got GOT`. */
  static expected(file: string, key: string, what: string, got: string, fields: ConfigErrorFields = {}): ConfigError {
    return new ConfigError(file, key, `expected ${what}, got ${got}`, fields);
  }
}

let tomlModule: typeof import('smol-toml') | undefined;

/**
 * The TOML parser, loaded by the first config file read (its CommonJS build, synchronously): a TUI or a server with
 * no config file never loads it. Its TomlDate is the one parsed values are instances of.
 */
export function toml(): typeof import('smol-toml') {
  return (tomlModule ??= createRequire(import.meta.url)('smol-toml') as typeof import('smol-toml'));
}

/**
 * A config file's text parsed as TOML (integers as bigint, so they can be told from floats); a syntax error is one
 * ConfigError naming FILE:LINE:COLUMN and what the parser said. Every umux config reader starts here.
 */
export function parseTomlFile(text: string, file: string): Record<string, unknown> {
  const { parse, TomlError } = toml();
  try {
    return parse(text, { integersAsBigInt: true });
  } catch (err) {
    if (!(err instanceof TomlError)) throw err;
    const reason = err.message.replace(/^Invalid TOML document: /, '').split('\n')[0]!;
    throw new ConfigError(file, '', `invalid TOML: ${reason}`, { line: err.line, column: err.column, hint: `fix line ${err.line}, column ${err.column} of ${file}`, cause: err });
  }
}
