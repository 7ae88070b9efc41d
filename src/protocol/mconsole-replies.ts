// Parsers for the MConsole replies umux reads: `config conN`/`sslN` channel specs, `config mem`, `proc meminfo`,
// `version` and `help`. Each takes the reply text and either returns a typed value or throws a bad-reply error.

import { MconsoleError } from '../core/errors.js';

/** One direction of a console channel, as UML spells it in `config conN` (seed 004 Table 8.1). */
export type ChannelEnd =
  | { kind: 'fd'; fd: number }
  | { kind: 'pts'; path?: string }
  | { kind: 'pty'; path?: string }
  | { kind: 'port'; port: number }
  | { kind: 'tty'; path: string }
  | { kind: 'xterm' }
  | { kind: 'null' }
  | { kind: 'none' };

export interface ChannelConfig {
  input: ChannelEnd;
  output: ChannelEnd;
  /** True when input and output were given separately (`IN,OUT`). */
  split: boolean;
}

function malformed(what: string, text: string, expected: string): MconsoleError {
  return new MconsoleError('bad-reply', `unexpected ${what} reply "${text}": expected ${expected}`);
}

const CHANNEL_EXPECTED = 'fd:N, pts[:PATH], pty[:PATH], port:N, tty:PATH, xterm, null or none';

function parseChannelEnd(word: string, whole: string): ChannelEnd {
  const colon = word.indexOf(':');
  const kind = colon < 0 ? word : word.slice(0, colon);
  const value = colon < 0 ? undefined : word.slice(colon + 1);
  switch (kind) {
    case 'fd':
      if (value !== undefined && /^\d+$/.test(value)) return { kind: 'fd', fd: Number(value) };
      break;
    case 'pts':
    case 'pty':
      if (value === undefined) return { kind };
      if (value.startsWith('/')) return { kind, path: value };
      break;
    case 'port':
      if (value !== undefined && /^\d+$/.test(value) && Number(value) < 65536) return { kind: 'port', port: Number(value) };
      break;
    case 'tty':
      if (value !== undefined && value !== '') return { kind: 'tty', path: value };
      break;
    case 'xterm':
    case 'null':
    case 'none':
      if (value === undefined || kind === 'xterm') return { kind };
      break;
  }
  throw malformed('console config', whole, CHANNEL_EXPECTED);
}

/** Parses the reply to `config con1` or `config ssl0`: `fd:0,fd:1`, `pts:/dev/pts/10`, `pts`, `port:9000`, … */
export function parseChannelConfig(text: string): ChannelConfig {
  const trimmed = text.trim();
  if (trimmed === '') throw malformed('console config', text, CHANNEL_EXPECTED);
  const comma = trimmed.indexOf(',');
  if (comma < 0) {
    const end = parseChannelEnd(trimmed, trimmed);
    return { input: end, output: end, split: false };
  }
  return {
    input: parseChannelEnd(trimmed.slice(0, comma), trimmed),
    output: parseChannelEnd(trimmed.slice(comma + 1), trimmed),
    split: true,
  };
}

/** Formats a channel config back into UML's syntax (the inverse of parseChannelConfig). */
export function formatChannelConfig(config: ChannelConfig): string {
  const one = (end: ChannelEnd): string => {
    switch (end.kind) {
      case 'fd':
        return `fd:${end.fd}`;
      case 'pts':
      case 'pty':
        return end.path ? `${end.kind}:${end.path}` : end.kind;
      case 'port':
        return `port:${end.port}`;
      case 'tty':
        return `tty:${end.path}`;
      default:
        return end.kind;
    }
  };
  return config.split ? `${one(config.input)},${one(config.output)}` : one(config.input);
}

/** Parses `config mem`: the guest's memory size in bytes. */
export function parseMemConfig(text: string): number {
  const t = text.trim();
  if (!/^\d+$/.test(t)) throw malformed('config mem', text, 'a size in bytes');
  return Number(t);
}

/** Parses a `/proc/meminfo` text (from `proc meminfo` or the host): field name → bytes (kB fields × 1024). */
export function parseMeminfo(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9_()]+):\s+(\d+)(?:\s+(kB))?\s*$/.exec(line);
    if (!m) continue;
    out[m[1]!] = Number(m[2]) * (m[3] ? 1024 : 1);
  }
  if (out['MemTotal'] === undefined) throw malformed('meminfo', text.slice(0, 40), 'lines such as "MemTotal: 42484 kB"');
  return out;
}

export interface KernelVersion {
  sysname: string;
  nodename: string;
  release: string;
  build: string;
  machine: string;
}

/** Parses `version`: `Linux (none) 6.1.176 #1 Sat Jul  4 15:38:16 UTC 2026 x86_64` (uname -a minus GNU/Linux). */
export function parseVersion(text: string): KernelVersion {
  const m = /^(\S+) (\S+) (\S+) (#.*) (\S+)$/.exec(text.trim());
  if (!m) throw malformed('version', text, 'SYSNAME NODENAME RELEASE #BUILD MACHINE');
  return { sysname: m[1]!, nodename: m[2]!, release: m[3]!, build: m[4]!, machine: m[5]! };
}

export interface HelpEntry {
  /** The usage as the kernel prints it: `config <dev>=<config>`. */
  usage: string;
  verb: string;
  description: string;
}

/** Parses the kernel's `help` text into its entries; continuation lines join the entry above. */
export function parseHelp(text: string): HelpEntry[] {
  const lines = text.split('\n');
  if (!/^Commands:/.test(lines[0]?.trim() ?? '')) throw malformed('help', lines[0] ?? '', '"Commands:" and a list');
  const entries: HelpEntry[] = [];
  for (const raw of lines.slice(1)) {
    const line = raw.trimEnd();
    if (line.trim() === '') continue;
    const m = /^\s{1,8}(\S.*?) - (.*)$/.exec(line);
    if (m && !raw.startsWith('\t')) {
      entries.push({ usage: m[1]!.trim(), verb: m[1]!.trim().split(' ')[0]!, description: m[2]!.trim() });
    } else if (entries.length > 0) {
      const last = entries[entries.length - 1]!;
      last.description = `${last.description} ${line.trim()}`.trim();
    }
  }
  return entries;
}
