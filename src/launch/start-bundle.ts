// Runs the start bundle (dist/umux.cjs, scripts/build-bundle.mjs) compiled with V8's code cache (code-cache.ts): one
// file instead of ~200 modules, most of it not parsed again. bin/umux falls back to dist/main.js when this returns
// nothing (no bundle, one older than dist/main.js, UMUX_NO_BUNDLE set). The cache is (re)made once the start is done.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { cacheName, codeCacheDir, privateDir, readCodeCache, writeCodeCache } from './code-cache.js';

/** What main.ts takes from its launcher: `started` is called once the start's work is done (a good time to cache). */
export interface MainHooks {
  started?: () => void;
}
type Main = (argv: string[], hooks?: MainHooks) => Promise<void>;

/** How long a process that never says its start is done (`umux attach`, `log -f`) runs before the cache is made anyway. */
const CACHE_ANYWAY_MS = 5000;

/** Which start the cache is for: the TUI's, the server's, or a command's (each caches what it ran). */
export function startFlavor(argv: readonly string[]): 'tui' | 'server' | 'cli' {
  let i = 0;
  if (argv[0] === '--host') i = 2;
  else if (argv[0]?.startsWith('--host=') || argv[0] === '--shared') i = 1;
  const word = argv[i];
  if (word === undefined || word === 'tui' || word === 'demo') return 'tui';
  return word === 'server' ? 'server' : 'cli';
}

/** The bundle when built and not older than dist/main.js; undefined otherwise. */
function bundleFile(dist: string): { file: string; stat: fs.Stats } | undefined {
  const file = path.join(dist, 'umux.cjs');
  try {
    const stat = fs.statSync(file);
    return stat.mtimeMs >= fs.statSync(path.join(dist, 'main.js')).mtimeMs ? { file, stat } : undefined;
  } catch {
    return undefined;
  }
}

/** Loads and runs the bundle's top level; its `main` and the hook that caches its code, or undefined to fall back. */
export function loadBundle(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): { main: Main; started: () => void } | undefined {
  // The server starts once and runs for weeks: the bundle's 1.8 MB of source held compiled would cost it ~8 MB of
  // RSS (68 against 60 MB idle) to save ~50 ms once.
  if (env['UMUX_NO_BUNDLE'] || startFlavor(argv) === 'server') return undefined;
  const dist = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
  const bundle = bundleFile(dist);
  if (!bundle) return undefined;
  const dir = codeCacheDir(env);
  const names = cacheName({ bundle: bundle.file, stat: bundle.stat, flavor: startFlavor(argv) });
  const usable = dir !== undefined && privateDir(dir);
  const cachedData = usable ? readCodeCache(dir, names.name) : undefined;
  const source = fs.readFileSync(bundle.file, 'utf8');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle.file, ...(cachedData ? { cachedData } : {}) });
  const mod = { exports: {} as { main?: Main } };
  (script.runInThisContext() as (...a: unknown[]) => void)(mod.exports, createRequire(bundle.file), mod, bundle.file, dist);
  if (typeof mod.exports.main !== 'function') return undefined;
  let due = usable && (!cachedData || script.cachedDataRejected === true);
  const started = () => {
    if (!due) return;
    due = false;
    try {
      writeCodeCache(dir!, names, script.createCachedData());
    } catch {
      // no cache this time: the next start compiles and tries again
    }
  };
  if (due) {
    setTimeout(started, CACHE_ANYWAY_MS).unref();
    process.once('exit', started);
  }
  return { main: mod.exports.main, started };
}
