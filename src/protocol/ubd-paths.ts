// `config ubdX=FILE` hot-plug requests name host files; UML resolves relative names against its own working
// directory, not the admin's. Like uml_mconsole, umux makes them absolute before sending (seed 004:5850).

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
