// Which host a command line goes to in the TUI over several hosts: the one its target names (`restart web1@b`,
// `log web1@b:con1`), with the target made plain for that host's server; a line with no target goes to the local one.

import { splitQualifiedTarget, LOCAL_HOST } from '../protocol/host-guest.js';
import { findOption } from './parse.js';
import { findCommand } from './table.js';

/** The index in argv of the command's target (its first positional), or -1 when it has none. */
function targetIndex(argv: readonly string[]): number {
  const spec = findCommand(argv[0] ?? '');
  if (!spec || spec.target === 'none') return -1;
  for (let i = 1; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') return i + 1 < argv.length ? i + 1 : -1;
    if (word.startsWith('-') && word !== '-') {
      const found = findOption(spec, word);
      if (found?.option.value && found.inline === undefined) i++;
      continue;
    }
    return i;
  }
  return -1;
}

/** The host argv's target names, and argv as that host's server takes it. */
export function routeArgv(argv: readonly string[]): { host: string; argv: string[] } {
  const at = targetIndex(argv);
  if (at < 0) return { host: LOCAL_HOST, argv: [...argv] };
  const { target, host } = splitQualifiedTarget(argv[at]!);
  const out = [...argv];
  out[at] = target;
  return { host, argv: out };
}
