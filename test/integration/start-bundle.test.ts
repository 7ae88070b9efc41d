// bin/umux through the start bundle (dist/umux.cjs) and V8's code cache: the cache is made once and then taken
// (not made again), a corrupt or untrusted cache never stops a start, and a stale or missing bundle falls back to
// dist/main.js. Runs on a copy of the built tree, so touching its files disturbs no other test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCache, encodeCache } from '../../src/launch/code-cache.js';
import { runTool, UMUX_BIN } from '../helpers/run-tool.js';

const ROOT = path.resolve(path.dirname(UMUX_BIN), '..');
let tree: string;
let home: string;

function cacheDir(): string {
  return path.join(home, 'umux');
}

function cacheFiles(): string[] {
  return fs.existsSync(cacheDir()) ? fs.readdirSync(cacheDir()).filter((f) => f.endsWith('.v8')) : [];
}

async function version(env: NodeJS.ProcessEnv = {}): Promise<void> {
  const r = await runTool(process.execPath, [path.join(tree, 'bin/umux'), '--version'], { env: { ...process.env, XDG_CACHE_HOME: home, ...env }, timeoutMs: 20_000 });
  expect(r.stderr).toBe('');
  expect(r.stdout.toString()).toMatch(/^umux \d+\.\d+\.\d+\n$/);
  expect(r.code).toBe(0);
}

beforeAll(() => {
  tree = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-tree-'));
  for (const d of ['bin', 'dist', 'themes', 'libexec']) fs.cpSync(path.join(ROOT, d), path.join(tree, d), { recursive: true, preserveTimestamps: true });
  fs.copyFileSync(path.join(ROOT, 'package.json'), path.join(tree, 'package.json'));
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'));
});
afterAll(() => fs.rmSync(tree, { recursive: true, force: true }));

describe('the start bundle', () => {
  it('is built, and every file path it makes from a module URL names a file of dist', () => {
    const text = fs.readFileSync(path.join(tree, 'dist/umux.cjs'), 'utf8');
    const rels = [...text.matchAll(/__umuxUrl\("([^"]+)"\)/g)].map((m) => m[1]!);
    expect(rels).toContain('tui/theme.js');
    expect(rels).toContain('server/keeper-link.js');
    for (const rel of rels) expect(fs.existsSync(path.join(tree, 'dist', rel)), rel).toBe(true);
    expect(text).not.toMatch(/\bimport\.meta\b/);
  });

  it('makes the cache once (0600 in a 0700 directory), then takes it without making it again', async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-cache-'));
    await version();
    const [file] = cacheFiles();
    expect(file).toMatch(/^cli-[0-9a-f]{16}-[0-9a-f]{16}\.v8$/);
    expect(fs.statSync(cacheDir()).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(cacheDir(), file!)).mode & 0o777).toBe(0o600);
    const made = fs.statSync(path.join(cacheDir(), file!)).mtimeMs;
    await version();
    expect(cacheFiles()).toEqual([file]);
    expect(fs.statSync(path.join(cacheDir(), file!)).mtimeMs).toBe(made);
  });

  it('starts with a corrupt cache (garbage, a changed byte, bytes V8 refuses) and makes a good one again', async () => {
    const [file] = cacheFiles();
    const at = path.join(cacheDir(), file!);
    const good = fs.readFileSync(at);
    const changed = Buffer.from(good);
    changed[changed.length >> 1]! ^= 0x40;
    for (const bad of [Buffer.from('not a cache at all'), changed, encodeCache(Buffer.alloc(good.length, 7)), Buffer.alloc(0)]) {
      fs.writeFileSync(at, bad, { mode: 0o600 });
      await version();
      const made = decodeCache(fs.readFileSync(at));
      expect(made).toBeDefined();
      expect(made!.length).toBeGreaterThan(good.length / 2);
    }
  });

  it('never reads nor writes a cache in a directory others may write', async () => {
    fs.rmSync(cacheDir(), { recursive: true });
    fs.mkdirSync(cacheDir(), { mode: 0o777 });
    fs.chmodSync(cacheDir(), 0o777);
    await version();
    expect(cacheFiles()).toEqual([]);
    fs.chmodSync(cacheDir(), 0o700);
  });

  it('a rebuilt bundle gets a new cache and the old one goes', async () => {
    await version();
    const [old] = cacheFiles();
    const bundle = path.join(tree, 'dist/umux.cjs');
    const later = new Date(fs.statSync(bundle).mtimeMs + 5000);
    fs.utimesSync(bundle, later, later);
    await version();
    const now = cacheFiles();
    expect(now).toHaveLength(1);
    expect(now[0]).not.toBe(old);
  });

  it('leaves the server out: it starts from dist/main.js and makes no cache (the bundle would cost it ~8 MB of RSS)', async () => {
    fs.rmSync(cacheDir(), { recursive: true, force: true });
    const r = await runTool(process.execPath, [path.join(tree, 'bin/umux'), 'server', '--help'], { env: { ...process.env, XDG_CACHE_HOME: home }, timeoutMs: 20_000 });
    expect(r.stdout.toString()).toMatch(/^usage: umux server/);
    expect(r.code).toBe(0);
    expect(cacheFiles()).toEqual([]);
    await version();
    expect(cacheFiles()).toHaveLength(1);
  });

  it('falls back to dist/main.js with UMUX_NO_BUNDLE, a bundle older than dist/main.js, or none', async () => {
    fs.rmSync(cacheDir(), { recursive: true });
    await version({ UMUX_NO_BUNDLE: '1' });
    expect(cacheFiles()).toEqual([]);
    const main = path.join(tree, 'dist/main.js');
    const later = new Date(fs.statSync(path.join(tree, 'dist/umux.cjs')).mtimeMs + 60_000);
    fs.utimesSync(main, later, later);
    await version();
    expect(cacheFiles()).toEqual([]);
    fs.rmSync(path.join(tree, 'dist/umux.cjs'));
    await version();
    expect(cacheFiles()).toEqual([]);
  });
});
