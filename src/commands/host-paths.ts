// Disk file names in a command's argv made absolute against the admin's directory before it goes to the server,
// whose own directory is elsewhere: `config NAME ubdb=disk.img` and `mc NAME config ubdb=disk.img` alike, with
// options (config's --yes) anywhere among the words.

import { absolutizeUbdPaths } from '../protocol/ubd-paths.js';

/** Where the DEVICE=SPEC word is: config's second positional word, or the word after mc NAME config. */
function specIndex(argv: readonly string[]): number {
  const positional = argv.flatMap((w, i) => (i > 0 && !w.startsWith('-') ? [i] : []));
  if (argv[0] === 'config') return positional[1] ?? -1;
  if (argv[0] === 'mc' && argv[positional[1] ?? -1] === 'config') return positional[2] ?? -1;
  return -1;
}

export function absolutizeArgv(argv: readonly string[], cwd: string): string[] {
  const at = specIndex(argv);
  const spec = argv[at];
  if (spec === undefined) return [...argv];
  const out = [...argv];
  out[at] = absolutizeUbdPaths(`config ${spec}`, cwd).slice('config '.length);
  return out;
}
