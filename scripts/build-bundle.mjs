// Builds dist/umux.cjs, the start bundle: dist/main.js (tsc's output) and the packages it loads in one CommonJS
// file, which bin/umux compiles with V8's code cache (src/launch/…): one file read instead of ~200 resolved,
// read and compiled. Run after tsc (npm run build, npm ci); without esbuild (an install without dev packages) it
// says so and bin/umux runs dist/main.js as before. Paths each file built from its own URL still point where they did.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const out = path.join(dist, 'umux.cjs');

/** Native addons and what blessed's widgets the TUI never loads reach for: required at run time, not carried. */
const EXTERNAL = ['node-pty', 'node-pty/*', 'unix-dgram', 'pty.js', 'term.js'];

/** `const require = createRequire(import.meta.url);` alone on its line: the bundle's own require takes its place. */
const REQUIRE_DECL = /^[ \t]*const require = createRequire\(import\.meta\.url\);[ \t]*$/gm;
const REQUIRE_CALL = /\bcreateRequire\(import\.meta\.url\)\(/g;

/** dist's files as esbuild reads them: their require calls bundled, import.meta.url the file's own URL at run time. */
function distSource(file, text) {
  const rel = path.relative(dist, file).split(path.sep).join('/');
  let src = text.replace(REQUIRE_DECL, '').replace(REQUIRE_CALL, 'require(');
  if (/\bcreateRequire\(/.test(src)) throw new Error(`${rel}: createRequire in a form the bundle does not know; use const require = createRequire(import.meta.url) or createRequire(import.meta.url)('id')`);
  src = src.replace(/\bimport\.meta\.url\b/g, `__umuxUrl(${JSON.stringify(rel)})`);
  if (/\bimport\.meta\b/.test(src)) throw new Error(`${rel}: import.meta other than .url cannot be bundled`);
  return src;
}

/** A package file that names its own place (blessed's terminfo beside tput.js): that place, not the bundle's. */
function packageSource(file, text) {
  if (!/\b__(dirname|filename)\b/.test(text)) return undefined;
  const rel = path.relative(dist, file).split(path.sep).join('/');
  return `var __filename = require("path").join(__umuxDir, ${JSON.stringify(rel)}), __dirname = require("path").dirname(__filename);\n${text}`;
}

const places = {
  name: 'umux-places',
  setup(build) {
    build.onLoad({ filter: /\.(c|m)?js$/ }, (args) => {
      const text = fs.readFileSync(args.path, 'utf8');
      if (args.path.startsWith(dist + path.sep)) return { contents: distSource(args.path, text), loader: 'js' };
      const contents = packageSource(args.path, text);
      return contents === undefined ? undefined : { contents, loader: 'js' };
    });
  },
};

async function main() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    fs.rmSync(out, { force: true });
    process.stdout.write('build-bundle: esbuild is not installed (an install without dev packages): bin/umux runs dist/main.js\n');
    return;
  }
  if (!fs.existsSync(path.join(dist, 'main.js'))) throw new Error('dist/main.js is missing: run tsc first (npm run build)');
  const tmp = `${out}.${process.pid}.tmp`;
  await esbuild.build({
    entryPoints: [path.join(dist, 'main.js')],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: `node${process.versions.node.split('.')[0]}`,
    external: EXTERNAL,
    plugins: [places],
    banner: { js: 'var __umuxDir = __dirname, __umuxUrl = (rel) => require("url").pathToFileURL(require("path").join(__umuxDir, rel)).href;' },
    logLevel: 'warning',
    legalComments: 'none',
  });
  fs.renameSync(tmp, out);
}

main().catch((err) => {
  process.stderr.write(`build-bundle: ${err.message}\n`);
  process.exit(1);
});
