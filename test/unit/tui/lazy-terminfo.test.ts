// compileCapsLazily: blessed's screen made without compiling its terminal's string capabilities, each compiled on its
// first call to exactly what blessed's own compile gives.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { compileCapsLazily } from '../../../src/tui/lazy-terminfo.js';

const require = createRequire(import.meta.url);
interface Tput {
  info: { all: Record<string, unknown>; methods: Record<string, (params: unknown[]) => unknown> };
}
type TputCtor = (new (o: object) => Tput) & { prototype: { _compile: (info: object, key: string, cap: unknown) => unknown } };
const TputClass = require('blessed/lib/tput') as TputCtor;

function outcome(run: () => unknown): { value?: unknown; error?: string } {
  try {
    return { value: run() };
  } catch (e) {
    return { error: String(e) };
  }
}

describe('compileCapsLazily', () => {
  it('compiles no string capability until it is called, then gives what blessed compiles', () => {
    const eager = TputClass.prototype._compile;
    let compiled = 0;
    TputClass.prototype._compile = function (this: object, info: object, key: string, cap: unknown) {
      if (typeof cap === 'string' && cap !== '') compiled++;
      return eager.call(this, info, key, cap);
    };
    try {
      compileCapsLazily(TputClass as never);
      const tput = new TputClass({ terminal: 'xterm-256color', extended: true });
      expect(compiled).toBe(0);
      const caps = Object.entries(tput.info.all).filter(([, v]) => typeof v === 'string' && v !== '');
      expect(caps.length).toBeGreaterThan(100);
      for (const [key, cap] of caps) {
        if (key === 'init_file' || key === 'reset_file') continue;
        // A few caps throw in blessed's own code (%X calls toUppercase): the lazy one must throw the same.
        expect(outcome(() => tput.info.methods[key]!.call(tput, [3, 7, 1])), key).toEqual(outcome(() => (eager.call(tput, tput.info, key, cap) as (p: unknown[]) => unknown).call(tput, [3, 7, 1])));
      }
      const calledOnce = compiled;
      tput.info.methods['cup']!.call(tput, [1, 1]);
      expect(compiled).toBe(calledOnce);
      compileCapsLazily(TputClass as never);
      expect(TputClass.prototype._compile.name).toBe('lazy');
    } finally {
      TputClass.prototype._compile = eager;
    }
  });
});
