// Process exit codes of umux commands, one table: scripts can tell a kernel ERR reply from a missing guest from
// a timeout. Derived from the error code alone, so every command maps errors the same way.

import type { UmuxErrorCode } from './errors.js';

export const EXIT = {
  ok: 0,
  /** The guest answered ERR, or a failure with no more specific code. */
  failed: 1,
  usage: 2,
  /** No such guest, or its socket is stale. */
  noGuest: 3,
  /** The guest did not answer in time. */
  timeout: 4,
  /** A reply arrived without its last packet. */
  incomplete: 5,
  permission: 6,
} as const;

export function exitCodeFor(code: UmuxErrorCode): number {
  switch (code) {
    case 'usage':
    case 'unknown-verb':
    case 'refused-verb':
    case 'too-long':
      return EXIT.usage;
    case 'no-such-guest':
    case 'not-running':
      return EXIT.noGuest;
    case 'timeout':
    case 'busy':
      return EXIT.timeout;
    case 'incomplete-reply':
      return EXIT.incomplete;
    case 'permission':
      return EXIT.permission;
    case 'guest-error':
    case 'bad-reply':
    case 'io':
    case 'internal':
      return EXIT.failed;
    default: {
      const never: never = code;
      return never;
    }
  }
}
