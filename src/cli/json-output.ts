// The machine-readable form every command has (`--json`): one JSON document on stdout for what the command did,
// and an error as JSON on stderr (code, message, hint, exit) with the exit code unchanged. Commands that are a
// session (attach, log -f, tui, demo, the server itself, mconsole with no command) have no document: refused.

import type { ParsedCommand } from '../commands/types.js';
import { UmuxError, UsageError } from '../core/errors.js';
import { terminalJson } from '../core/terminal-text.js';

/** True when argv asks for JSON: the parsed flag, or (when parsing failed) a `--json` word before `--`. */
export function wantsJson(argv: readonly string[], parsed?: ParsedCommand): boolean {
  if (parsed) return parsed.options['json'] === true;
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).includes('--json');
}

/** The document of a reply: its data, with the text beside it when the data is no object (or there is none). */
export function replyDocument(reply: { data: unknown; text?: string }): unknown {
  const data = reply.data;
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) return reply.text === undefined || 'text' in data ? data : { ...data, text: reply.text };
  if (data === null || data === undefined) return { text: reply.text ?? '' };
  return reply.text === undefined ? data : { data, text: reply.text };
}

/** One JSON document and a newline, every control character escaped. */
export function jsonLine(value: unknown): string {
  return `${terminalJson(value)}\n`;
}

/** One JSON object on one line (JSON Lines, for journald, rsyslog, logstash), every control character escaped. */
export function jsonRecord(value: unknown): string {
  return `${terminalJson(value, 0)}\n`;
}

/** An error as scripts read it on stderr. */
export function jsonError(err: UmuxError, exit: number): string {
  return jsonLine({ error: { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}) }, exit });
}

/** Why a session command gives no JSON document (its --json is a usage error, itself printed as JSON). */
export function noJsonForm(parsed: ParsedCommand): UsageError | undefined {
  const name = parsed.spec.name;
  const session =
    name === 'attach' || name === 'tui' || name === 'demo' || name === 'server' || (name === 'log' && parsed.options['follow'] === true) || (name === 'mconsole' && parsed.args.length < 2);
  if (!session) return undefined;
  return new UsageError(`${name}${name === 'log' ? ' -f' : ''}: an interactive session has no JSON form`, {
    hint: name === 'log' ? 'umux log --json NAME prints the tail as JSON' : name === 'mconsole' ? 'give the command too: umux mconsole --json UMID version' : 'leave out --json',
  });
}
