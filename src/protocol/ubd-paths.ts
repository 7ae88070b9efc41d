// `ubd<n><flags>=FILE[,BACKING]` disk specs: parsed for guest definitions and hot-plug, and relative file names made
// absolute, since UML resolves them against its own working directory, not the admin's (seed 004:5850).

/** Joins a relative path onto an absolute directory, folding `.` and `..` (pure: no node:path). */
export function resolvePath(cwd: string, path: string): string {
  const parts = (path.startsWith('/') ? path : `${cwd}/${path}`).split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
}

/**
 * Rewrites `config ubdb=swap` as `config ubdb=/cwd/swap`; COW pairs (`cow,backing` or `cow:backing`) get both
 * files rewritten with the separator kept. Any other command comes back unchanged.
 */
export function absolutizeUbdPaths(command: string, cwd: string): string {
  const m = /^(\s*config\s+ubd[a-z0-9]+[rsdc]*=)(\S+)(\s*)$/.exec(command);
  if (!m) return command;
  const spec = m[2]!;
  const sep = /[,:]/.exec(spec);
  const fix = (p: string): string => (p === '' || p.startsWith('/') ? p : resolvePath(cwd, p));
  const value = sep ? `${fix(spec.slice(0, sep.index))}${sep[0]}${fix(spec.slice(sep.index + 1))}` : fix(spec);
  return `${m[1]}${value}${m[3]}`;
}

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
