// `umux demo`, the README's first command: boots three real guests, serves the MConsole prompt on them, and
// removes them (processes and files) when the session ends.

import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { groupMembers } from '../../src/guests/process-group.js';
import { umlSkip } from '../helpers/uml.js';
import { umux } from '../helpers/run-tool.js';

describe.skipIf(umlSkip())('umux demo', () => {
  it('boots demo1..3, answers on them, and removes them on quit', async () => {
    const r = await umux(['demo'], { input: 'version\nswitch demo2\nconfig con1\nswitch demo3\nproc sys/kernel/hostname\nquit\n', timeoutMs: 60_000 });
    const out = r.stdout.toString();
    // stderr first: if a reply is missing from stdout, the reason is there.
    expect(r.stderr, out).toBe('');
    expect(r.code).toBe(0);
    const booted = [...out.matchAll(/^ {2}(demo\d): pid (\d+), mconsole (\S+)/gm)];
    expect(booted.map((m) => m[1])).toEqual(['demo1', 'demo2', 'demo3']);
    expect(out).toMatch(/\(demo1\) OK Linux \S+ 6\.1\.\d+/);
    expect(out).toContain("(demo1) Switched to 'demo2'\n(demo2) OK fd:3\n");
    expect(out).toContain("(demo2) Switched to 'demo3'\n(demo3) OK \n(none)\n");
    for (const m of booted) {
      expect(groupMembers(Number(m[2]))).toEqual([]);
      expect(fs.existsSync(m[3]!)).toBe(false);
    }
  });
});
