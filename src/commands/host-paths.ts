// Disk file names in a command's argv made absolute against the admin's directory before it goes to the server,
// whose own directory is elsewhere: `config NAME ubdb=disk.img` and `mc NAME config ubdb=disk.img` alike.

import { absolutizeUbdPaths } from '../protocol/ubd-paths.js';

export function absolutizeArgv(argv: readonly string[], cwd: string): string[] {
  const at = argv[0] === 'config' ? 2 : argv[0] === 'mc' && argv[2] === 'config' ? 3 : -1;
  const spec = argv[at];
  if (spec === undefined) return [...argv];
  const out = [...argv];
  out[at] = absolutizeUbdPaths(`config ${spec}`, cwd).slice('config '.length);
  return out;
}
