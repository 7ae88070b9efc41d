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
    const commands = readme
      .split('\n')
      .slice(0, 20)
      .filter((l) => /^(npm|\.\/bin\/umux|umux) /.test(l));
    expect(commands).toHaveLength(2);
    expect(commands[1]).toBe('npm ci && npm test');
  });
});
