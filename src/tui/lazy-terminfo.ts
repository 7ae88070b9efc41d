// blessed compiles every string capability of the terminal's terminfo (~400, each with `new Function`) when its
// screen is made, ~8 ms of the TUI's first paint that the code cache cannot hold; a handful are ever used. This makes
// each one compile on its first call instead, to the same function.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

type CapCompiler = (this: object, info: object, key: string, cap: unknown) => unknown;
interface TputClass {
  prototype: { _compile: CapCompiler & { lazy?: true } };
}

/** Makes blessed's Tput compile string capabilities on first use (once per process; later calls do nothing). */
export function compileCapsLazily(tput: TputClass = require('blessed/lib/tput') as TputClass): void {
  const eager = tput.prototype._compile;
  if (eager.lazy) return;
  const lazy = function (this: object, info: object, key: string, cap: unknown): unknown {
    // init_file and reset_file name files read at compile time: left as blessed does them.
    if (typeof cap !== 'string' || cap === '' || key === 'init_file' || key === 'reset_file') return eager.call(this, info, key, cap);
    const owner = this;
    let compiled: ((this: unknown, params: unknown) => unknown) | undefined;
    return function (this: unknown, params: unknown): unknown {
      compiled ??= eager.call(owner, info, key, cap) as (this: unknown, params: unknown) => unknown;
      return compiled.call(this, params);
    };
  } as CapCompiler & { lazy?: true };
  lazy.lazy = true;
  tput.prototype._compile = lazy;
}
