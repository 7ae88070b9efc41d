// What may be handed to ssh as a destination, and what may name a host in umux: checked before anything runs, so
// `--host -oProxyCommand=…` (an option smuggled in as a host) or a name with control characters never reaches ssh.

import { UsageError } from '../core/errors.js';

const MAX_DESTINATION = 255;
/** [user@]host or an ssh_config Host alias: letters, digits and . _ - : @ [ ] % (IPv6 literals, scoped addresses). */
const DESTINATION = /^[A-Za-z0-9_.\-:@[\]%]+$/;
/** A host's name in hosts.toml and in the sidebar: short, plain. */
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;

/** A short, visible rendering of untrusted text for an error message (controls as `?`, at most 40 characters). */
function quoted(text: string): string {
  const shown = text.replace(/[^\x20-\x7e]/g, '?');
  return `"${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown}"`;
}

/** Throws a usage error unless `dest` is a destination ssh cannot take for an option or split into words. */
export function checkSshDestination(dest: string, from = '--host'): string {
  const hint = 'give [user@]HOST or a Host alias from your ssh config; ssh options belong in ~/.ssh/config (or ssh_config in hosts.toml)';
  if (dest === '') throw new UsageError(`${from}: expected an ssh destination, got nothing`, { hint });
  if (dest.startsWith('-')) throw new UsageError(`${from}: expected an ssh destination, got ${quoted(dest)}, which ssh would take for an option`, { hint });
  if (dest.length > MAX_DESTINATION) throw new UsageError(`${from}: expected an ssh destination of at most ${MAX_DESTINATION} characters, got ${dest.length}`, { hint });
  if (!DESTINATION.test(dest) || dest.split('@').length > 2 || dest.endsWith('@')) {
    throw new UsageError(`${from}: expected an ssh destination ([user@]HOST), got ${quoted(dest)}`, { hint });
  }
  return dest;
}

/** Throws a usage error unless `name` is a plain host name for hosts.toml and the sidebar. */
export function checkHostName(name: string, from = 'hosts.toml'): string {
  if (!HOST_NAME.test(name) || name === 'local') {
    throw new UsageError(`${from}: expected a host name of letters, digits, . _ - (at most 40, not "local"), got ${quoted(name)}`);
  }
  return name;
}
