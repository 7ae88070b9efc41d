// The import rule of DESIGN.md §6, checked mechanically: each src/ folder imports only from the folders and
// packages on its whitelist, and the import graph has no cycles.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../../src');
const PURE = ['core', 'protocol', 'commands'];
const IO = ['files', 'mconsole', 'consoles', 'term', 'guests', 'host', 'config'];

/** Folder → folders it may import (its own is always allowed) and packages ('node:' means any node: module). */
const RULES: Record<string, { folders: string[]; packages: string[] }> = {
  core: { folders: [], packages: [] },
  protocol: { folders: ['core'], packages: [] },
  commands: { folders: ['core', 'protocol'], packages: [] },
  // Safe file-system calls on paths others supply (mkdir that ends under /proc, no links followed): every layer above.
  files: { folders: PURE, packages: ['node:'] },
  mconsole: { folders: [...PURE, 'files'], packages: ['node:', 'unix-dgram'] },
  // node:module only to load xterm when the first Screen is made (createRequire), not at start.
  term: { folders: PURE, packages: ['@xterm/headless', '@xterm/addon-serialize', 'node:module'] },
  consoles: { folders: [...PURE, 'files', 'term'], packages: ['node:', 'node-pty'] },
  host: { folders: PURE, packages: ['node:'] },
  config: { folders: PURE, packages: ['node:', 'smol-toml'] },
  guests: { folders: [...PURE, ...IO], packages: ['node:'] },
  // Tools that talk to guests directly, needing no server (umux mconsole): the I/O layer plus their own UI.
  direct: { folders: [...PURE, ...IO], packages: ['node:'] },
  server: { folders: [...PURE, ...IO], packages: ['node:'] },
  // The console keeper: small and stable on purpose (no model, no config, no MConsole); consoles only for pty-pair
  // and console-spawn (the spawn it shares with umux's own launch).
  keeper: { folders: ['core', 'protocol', 'files', 'consoles'], packages: ['node:'] },
  client: { folders: [...PURE, 'files'], packages: ['node:'] },
  cli: { folders: [...PURE, 'client', 'term'], packages: ['node:'] },
  tui: { folders: [...PURE, 'files', 'term', 'client'], packages: ['node:', 'blessed'] },
  // The launcher's own code (bin/umux loads it before anything else): node's modules only.
  launch: { folders: [], packages: ['node:'] },
};

function listTs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return listTs(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  return importsOfText(fs.readFileSync(file, 'utf8'));
}

function importsOfText(text: string): string[] {
  const specs: string[] = [];
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s+['"]([^'"]+)['"]/g)) specs.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) specs.push(m[1]!);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) specs.push(m[1]!);
  return specs;
}

function folderOf(file: string): string {
  const rel = path.relative(SRC, file);
  return rel.includes(path.sep) ? rel.split(path.sep)[0]! : '(root)';
}

const files = listTs(SRC);

describe('layer rule', () => {
  it('finds the source tree', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('every folder in src/ has a rule', () => {
    const folders = new Set(files.map(folderOf));
    folders.delete('(root)');
    expect([...folders].filter((f) => !(f in RULES))).toEqual([]);
  });

  it('every import goes to an allowed folder or package', () => {
    const violations: string[] = [];
    for (const file of files) {
      const folder = folderOf(file);
      if (folder === '(root)') continue; // main.ts is the composition root
      const rule = RULES[folder]!;
      for (const spec of importsOf(file)) {
        const rel = path.relative(SRC, file);
        if (spec.startsWith('.')) {
          const target = path.resolve(path.dirname(file), spec);
          const targetFolder = folderOf(target.replace(/\.js$/, '.ts'));
          if (!target.startsWith(SRC)) violations.push(`${rel}: imports outside src: ${spec}`);
          else if (targetFolder !== folder && !rule.folders.includes(targetFolder)) {
            violations.push(`${rel}: ${folder}/ may not import ${targetFolder}/ (${spec})`);
          }
        } else {
          const ok = rule.packages.some((p) => (p === 'node:' ? spec.startsWith('node:') : spec === p || spec.startsWith(`${p}/`)));
          if (!ok) violations.push(`${rel}: ${folder}/ may not import package ${spec}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('has no import cycles', () => {
    const graph = new Map<string, string[]>();
    for (const file of files) {
      graph.set(
        file,
        importsOf(file)
          .filter((s) => s.startsWith('.'))
          .map((s) => path.resolve(path.dirname(file), s).replace(/\.js$/, '.ts')),
      );
    }
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycles.push([...trail.slice(trail.indexOf(f)), f].map((x) => path.relative(SRC, x)).join(' -> '));
        return;
      }
      state.set(f, 'open');
      for (const g of graph.get(f) ?? []) visit(g, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of graph.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });

  it('the scanner sees static, dynamic and side-effect imports (self-check)', () => {
    const text = "import { A } from '../mconsole/client.js';\nimport fs from 'node:fs';\nexport { B } from './b.js';\nconst m = await import('./direct/x.js');\nimport 'unix-dgram';\n";
    expect(importsOfText(text).sort()).toEqual(['../mconsole/client.js', './b.js', './direct/x.js', 'node:fs', 'unix-dgram']);
  });
});
