// The pieces of a UML command line a guest definition spells out: umids, ubd disk specs, and the kernel arguments
// that are umux's to set (umid=, mem=, con*=, mconsole= ...), each with the key to use instead.

import { guestKey } from './guest-keys.js';

/** UMID_LEN is 64 with its NUL; a '/' would leave uml_dir. */
export const UMID_RE = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,62}$/;
export const UMID_WHAT = "1 to 63 letters, digits, '.', '_' or '-', not starting with '.' or '-'";

/** UML has 16 ubd devices: ubda..ubdp, or ubd0..ubd15. */
export const MAX_DISKS = 16;

export interface DiskSpec {
  /** 0 for ubda and ubd0. */
  device: number;
  /** The image, then its backing file for a COW pair, both absolute. */
  files: string[];
  /** The spec as UML takes it, with absolute file names: `ubdbr=/abs/cow,/abs/backing`. */
  spec: string;
}

/**
 * `ubd<letter|number><flags>=<file>[,<backing>]` (flags from r s d c t, `:` also separates a backing file, as UML
 * allows); `resolve` makes a file name absolute. Undefined when the spec is not one UML would take.
 */
export function parseDisk(spec: string, resolve: (file: string) => string): DiskSpec | undefined {
  const m = /^ubd([a-z]|\d+)([rsdct]*)=([^,:]+)(?:[,:]([^,:]+))?$/.exec(spec);
  if (!m) return undefined;
  const id = m[1]!;
  const device = /^\d+$/.test(id) ? Number(id) : id.charCodeAt(0) - 'a'.charCodeAt(0);
  if (device >= MAX_DISKS) return undefined;
  const files = [m[3]!, ...(m[4] === undefined ? [] : [m[4]])].map(resolve);
  return { device, files, spec: `ubd${id}${m[2]}=${files.join(',')}` };
}

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
