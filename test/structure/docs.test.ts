// The README's command and verb tables are generated from the tables in src/ (lazydocker's cheatsheet check):
// this fails when someone changes a command without running `npm run docs`.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderReadme, SECTIONS } from '../helpers/readme-sections.js';

const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('has up-to-date generated sections (run npm run docs if not)', () => {
    expect(renderReadme(readme)).toBe(readme);
  });

  it('carries every generated section', () => {
    for (const name of Object.keys(SECTIONS)) expect(readme).toContain(`<!-- ${name} -->`);
  });

  it('opens with the two commands: run umux for real, run all tests', () => {
    const first = /```\n([\s\S]*?)\n```/.exec(readme);
    expect(readme.indexOf('```')).toBeLessThan(readme.indexOf('\n## '));
    expect(first?.[1]?.split('\n')).toEqual(['npm ci && ./bin/umux demo', 'npm ci && npm test']);
  });
});
