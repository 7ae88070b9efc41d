// Clearing a dead guest's umid directory before a boot: UML's two files and the directory go, a live guest's stay,
// and a directory with other files, or a symlink planted in the uml_dir, is refused with its reason.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearDeadUmidDir } from '../../../src/guests/launch.js';

describe('clearDeadUmidDir', () => {
  let umlDir: string;
  const deadPid = (): number => spawnSync('true').pid!; // exited and reaped by the time spawnSync returns
  const umidDir = (umid: string, pid: number, extra: string[] = []): string => {
    const dir = path.join(umlDir, umid);
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'pid'), `${pid}\n`);
    for (const f of ['mconsole', ...extra]) fs.writeFileSync(path.join(dir, f), '');
    return dir;
  };

  beforeEach(() => {
    umlDir = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-umid-'));
  });
  afterEach(() => {
    fs.rmSync(umlDir, { recursive: true, force: true });
  });

  it('removes the directory of a dead guest, and leaves a live one and a missing one alone', () => {
    const dead = umidDir('old', deadPid());
    clearDeadUmidDir(umlDir, 'old');
    expect(fs.existsSync(dead)).toBe(false);
    const live = umidDir('live', process.pid);
    clearDeadUmidDir(umlDir, 'live');
    expect(fs.readdirSync(live).sort()).toEqual(['mconsole', 'pid']);
    expect(() => clearDeadUmidDir(umlDir, 'never-there')).not.toThrow();
  });

  it('refuses a directory holding more than UML puts there', () => {
    const dir = umidDir('odd', deadPid(), ['notes.txt']);
    expect(() => clearDeadUmidDir(umlDir, 'odd')).toThrow(/^umid odd: .*\/odd is left from a dead guest but holds more than UML's files/);
    expect(fs.readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('refuses a symlink in the uml_dir and removes nothing where it points', () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-else-'));
    try {
      fs.writeFileSync(path.join(elsewhere, 'pid'), `${deadPid()}\n`);
      fs.writeFileSync(path.join(elsewhere, 'mconsole'), '');
      fs.symlinkSync(elsewhere, path.join(umlDir, 'planted'));
      expect(() => clearDeadUmidDir(umlDir, 'planted')).toThrow(/or is no directory/);
      expect(fs.readdirSync(elsewhere).sort()).toEqual(['mconsole', 'pid']);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
