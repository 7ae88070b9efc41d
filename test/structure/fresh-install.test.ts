// The README's two commands work on a fresh machine as written (issue 9): .ci/run runs the README's test command
// itself with no npm settings of its own, and the checkout's .npmrc points native builds at the headers of the
// very Node that runs them, so node-gyp downloads nothing.

import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8');

describe('a fresh clone', () => {
  it('the README starts with exactly two commands: the demo and all tests', () => {
    const block = /^```\n([\s\S]*?)\n```/m.exec(read('README.md'))?.[1] ?? '';
    expect(block.split('\n')).toEqual(['npm ci && ./bin/umux demo', 'npm ci && npm test']);
  });

  it('.ci/run runs the README test command as written and sets no npm_config_ of its own', () => {
    const ci = read('.ci/run');
    expect(ci).not.toMatch(/npm_config_/i);
    expect(ci).toContain("readme_test=$(awk '/^```/{block++; next} block==1' README.md | grep -m1 'npm test')");
    expect(ci).toContain('HOME="$ci_home" bash -c "$readme_test"');
  });

  it('.npmrc names a nodedir that holds this Node\'s own headers', () => {
    const nodedir = /^nodedir=(.+)$/m.exec(read('.npmrc'))?.[1]?.trim();
    expect(nodedir).toBeDefined();
    const h = fs.readFileSync(path.join(nodedir!, 'include/node/node_version.h'), 'utf8');
    const v = ['MAJOR', 'MINOR', 'PATCH'].map((k) => new RegExp(`#define NODE_${k}_VERSION (\\d+)`).exec(h)?.[1]).join('.');
    expect(`v${v}`).toBe(process.version);
  });
});
