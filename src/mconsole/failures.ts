// What went wrong talking to a guest's socket, in words an admin can act on: send errnos (stale socket,
// permission, full queue) and incomplete replies, with the host setting that causes them.

import fs from 'node:fs';
import path from 'node:path';
import { MconsoleError } from '../core/errors.js';
import { SendError } from './dgram-socket.js';

export function verbOf(command: string): string {
  return command.trim().split(/\s+/)[0] ?? '';
}

export function readDgramQlen(): number | undefined {
  try {
    return Number(fs.readFileSync('/proc/sys/net/unix/max_dgram_qlen', 'utf8').trim());
  } catch {
    return undefined;
  }
}

function describeSocket(target: string): string {
  try {
    const st = fs.statSync(target);
    return `owner uid ${st.uid}, mode ${(st.mode & 0o777).toString(8).padStart(4, '0')}`;
  } catch {
    return 'cannot stat it';
  }
}

/** Turns a send errno into the error an admin can act on. */
export function sendFailure(err: unknown, target: string, pending: { name: string; command: string }): MconsoleError {
  const errno = err instanceof SendError ? err.errno : String(err);
  const fields = { target: pending.name, verb: verbOf(pending.command), cause: err };
  switch (errno) {
    case 'ENOENT':
      return new MconsoleError('not-running', `guest not running: no mconsole socket at ${target}`, {
        ...fields,
        hint: 'the guest has exited or is still booting',
      });
    case 'ECONNREFUSED':
      return new MconsoleError('not-running', `guest not running: stale mconsole socket at ${target}`, {
        ...fields,
        hint: `nothing listens there any more (the guest died and left ${path.dirname(target)} behind); remove that directory once you no longer need it`,
      });
    case 'EACCES':
    case 'EPERM':
      return new MconsoleError('permission', `permission denied sending to ${target} (${describeSocket(target)})`, {
        ...fields,
        hint: "run as the guest's owner or as root",
      });
    case 'EAGAIN':
      return new MconsoleError('busy', `${pending.name} is not reading mconsole requests: its socket queue is full`, {
        ...fields,
        hint: 'the guest is wedged or SIGSTOPped (ps -o stat -p PID shows T); send SIGCONT or kill it',
      });
    case 'ENOTSOCK':
    case 'EPROTOTYPE':
    case 'ECONNRESET':
      return new MconsoleError('not-running', `${target} is not a guest's mconsole socket (${errno})`, {
        ...fields,
        hint: 'point at UMID_DIR/mconsole, or give the umid',
      });
    default:
      return new MconsoleError('io', `cannot send to ${target}: ${errno}`, fields);
  }
}
