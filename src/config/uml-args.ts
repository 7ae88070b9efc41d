// The pieces of a UML command line a guest definition spells out: umids, ubd disk specs, and the kernel arguments
// that are umux's to set (umid=, mem=, con*=, mconsole= ...), each with the key to use instead.

import { guestKey } from './guest-keys.js';
import { GUEST_NAME_RE } from '../protocol/host-guest.js';

/** UMID_LEN is 64 with its NUL; a '/' would leave uml_dir. */
export const UMID_RE = GUEST_NAME_RE;
export const UMID_WHAT = "1 to 63 letters, digits, '.', '_' or '-', not starting with '.' or '-'";

export { MAX_DISKS, parseDisk, type DiskSpec } from '../protocol/ubd-paths.js';

interface Reserved {
  re: RegExp;
  /** The guest key that sets it; none when umux sets it on its own. */
  key?: string;
  hostfsOnly?: boolean;
}

const RESERVED: readonly Reserved[] = [
  { re: /^umid=/, key: 'umid' },
  { re: /^uml_dir=/, key: 'uml_dir' },
  { re: /^mem=/, key: 'mem' },
  { re: /^con\d*=/, key: 'consoles' },
  { re: /^ssl\d*=/, key: 'serials' },
  { re: /^mconsole=/ },
  { re: /^ubd[a-z0-9]*=/, key: 'disks' },
  { re: /^init=/, key: 'init' },
  { re: /^(?:root|rootfstype|hostfs)=/, key: 'hostfs_root', hostfsOnly: true },
];

/** Keys whose value is the argument's value as it stands (`mem=1G` is `mem = "1G"`). */
const SAME_VALUE = new Set(['umid', 'uml_dir', 'mem', 'init']);

export interface ArgProblem {
  arg: string;
  /** Completes `expected ...`. */
  what: string;
  hint: string;
}

/** The first kernel argument a guest definition may not give in `args`, and why. */
export function checkArgs(args: readonly string[], hostfsRoot: boolean): ArgProblem | undefined {
  for (const arg of args) {
    if (arg === '' || /\s/.test(arg)) {
      return { arg, what: 'one kernel argument per string, without spaces', hint: 'split it: args = ["quiet", "loglevel=4"]' };
    }
    for (const r of RESERVED) {
      if (!r.re.test(arg) || (r.hostfsOnly && !hostfsRoot)) continue;
      const name = arg.slice(0, arg.indexOf('=') + 1);
      if (r.hostfsOnly) {
        return { arg, what: `no ${name} when hostfs_root is set (umux sets it)`, hint: 'remove it from args, or remove hostfs_root' };
      }
      if (r.key === undefined) return { arg, what: `no ${name} (umux sets it)`, hint: 'remove it from args' };
      const value = arg.slice(name.length);
      const example = SAME_VALUE.has(r.key) ? `${r.key} = ${JSON.stringify(value)}` : guestKey(r.key).example;
      return { arg, what: `no ${name} (use the ${r.key} key)`, hint: `remove it from args and write ${example}` };
    }
  }
  return undefined;
}
