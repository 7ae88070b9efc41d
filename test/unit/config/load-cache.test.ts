// loadGuestDefs with a DefinitionCache: an unchanged file is not read again (its parse is kept, errors too); an
// edit, a same-size rewrite, a rename over it and a removal are all seen on the next load.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadGuestDefs, type DefinitionCache } from '../../../src/config/load.js';

const HOME = '/home/ann';
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umux-defcache-'));
});

afterEach(() => {
  vi.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

const write = (name: string, text: string) => fs.writeFileSync(path.join(dir, name), text);

describe('loadGuestDefs with a cache', () => {
  it('reads a file again only when it changed', () => {
    write('web1.toml', 'mem = "128M"');
    write('bad.toml', 'mem = ');
    const cache: DefinitionCache = new Map();
    const first = loadGuestDefs(dir, { home: HOME }, cache);
    expect(first.defs.map((d) => d.mem)).toEqual(['128M']);
    expect(first.errors).toHaveLength(1);
    const reads = vi.spyOn(fs, 'readFileSync');
    const again = loadGuestDefs(dir, { home: HOME }, cache);
    expect(reads).not.toHaveBeenCalled();
    expect(again.defs[0]).toBe(first.defs[0]);
    expect(again.errors.map((e) => e.message)).toEqual(first.errors.map((e) => e.message));

    // The same size, written again: the times (ns) differ.
    write('web1.toml', 'mem = "256M"');
    expect(loadGuestDefs(dir, { home: HOME }, cache).defs.map((d) => d.mem)).toEqual(['256M']);
    expect(reads).toHaveBeenCalledTimes(1);

    // An editor's save: a new file renamed over the old one.
    write('.web1.toml.tmp', 'mem = "512M"');
    fs.renameSync(path.join(dir, '.web1.toml.tmp'), path.join(dir, 'web1.toml'));
    expect(loadGuestDefs(dir, { home: HOME }, cache).defs.map((d) => d.mem)).toEqual(['512M']);

    fs.rmSync(path.join(dir, 'web1.toml'));
    expect(loadGuestDefs(dir, { home: HOME }, cache).defs).toEqual([]);
    expect([...cache.keys()]).toEqual([path.join(dir, 'bad.toml')]);
  });
});
