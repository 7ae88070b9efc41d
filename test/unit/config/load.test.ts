// loadGuestDefs on real directories: sorted good files, one error per bad file without hiding the others,
// duplicate umids, a missing directory; and defaultConfigDir's order of environment variables.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfigDir, loadGuestDefs } from '../../../src/config/load.js';

const HOME = '/home/ann';
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umux-config-'));
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
}

describe('loadGuestDefs', () => {
  it('reads every *.toml, sorted by file name, and nothing else', () => {
    write({ 'web2.toml': 'mem = "256M"', 'db.toml': '', 'web1.toml': 'autostart = true', 'notes.txt': 'x', 'web1.toml~': 'x' });
    const { defs, errors } = loadGuestDefs(dir, { home: HOME });
    expect(errors).toEqual([]);
    expect(defs.map((d) => d.name)).toEqual(['db', 'web1', 'web2']);
    expect(defs[0]).toMatchObject({ file: path.join(dir, 'db.toml'), cwd: dir, umlDir: '/home/ann/.uml' });
    expect(defs[1]!.autostart).toBe(true);
    expect(defs[2]!.mem).toBe('256M');
  });

  it('skips hidden files such as an editor lock file', () => {
    write({ 'web1.toml': '' });
    fs.symlinkSync('ann@host.1234:1700000000', path.join(dir, '.#web1.toml'));
    expect(loadGuestDefs(dir, { home: HOME })).toEqual({ defs: [expect.objectContaining({ name: 'web1' })], errors: [] });
  });

  it('reports each bad file and still returns the good ones', () => {
    write({ 'a.toml': 'mem = "lots"', 'b.toml': '', 'c.toml': 'memory = "1G"', 'd.toml': 'x = ', 'e.toml': 'consoles = 2' });
    const { defs, errors } = loadGuestDefs(dir, { home: HOME });
    expect(defs.map((d) => d.name)).toEqual(['b', 'e']);
    expect(errors.map((e) => e.message)).toEqual([
      'a.toml: mem: expected a size such as 256M or 1G, got "lots"',
      'c.toml: memory: unknown key (did you mean mem?)',
      'd.toml:1:5: invalid TOML: invalid value',
    ]);
    expect(errors.map((e) => e.file)).toEqual(['a.toml', 'c.toml', 'd.toml'].map((n) => path.join(dir, n)));
  });

  it('refuses a second guest with the same umid in the same uml_dir, naming the first', () => {
    write({ 'web1.toml': '', 'web2.toml': '\numid = "web1"', 'web3.toml': 'umid = "web1"\numl_dir = "/srv/uml"' });
    const { defs, errors } = loadGuestDefs(dir, { home: HOME });
    expect(defs.map((d) => d.name)).toEqual(['web1', 'web3']);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe('web2.toml: umid: expected a umid of its own, got "web1" (web1.toml has it in /home/ann/.uml)');
    expect(errors[0]).toMatchObject({ key: 'umid', line: 2, file: path.join(dir, 'web2.toml'), code: 'usage' });
    expect(errors[0]!.hint).toBe('give one of web2.toml and web1.toml another umid (or another uml_dir)');
  });

  it('refuses a port line on a port another definition has, naming both', () => {
    write({ 'a.toml': 'lines = { ssl0 = "port:9123" }\n', 'b.toml': '[lines]\ncon1 = "port:9123"\n' });
    const { defs, errors } = loadGuestDefs(dir, { home: HOME });
    expect(defs.map((d) => d.name)).toEqual(['a']);
    expect(errors.map((e) => e.message)).toEqual(['b.toml: lines: expected a port of its own for con1, got port 9123 (a.toml has it for ssl0)']);
    expect(errors[0]!.line).toBe(1);
  });

  it('sees the same uml_dir however it is written', () => {
    write({ 'a.toml': 'umid = "x"\numl_dir = "~/.uml/"', 'b.toml': 'umid = "x"' });
    const { defs, errors } = loadGuestDefs(dir, { home: HOME });
    expect(defs.map((d) => d.name)).toEqual(['a']);
    expect(errors.map((e) => e.message)).toEqual(['b.toml: umid: expected a umid of its own, got "x" (a.toml has it in /home/ann/.uml)']);
  });

  it('does not count a bad file as holding its umid', () => {
    write({ 'a.toml': 'umid = "x"\nmem = 1', 'b.toml': 'umid = "x"' });
    const { defs, errors } = loadGuestDefs(dir, { home: HOME });
    expect(defs.map((d) => d.name)).toEqual(['b']);
    expect(errors.map((e) => e.key)).toEqual(['mem']);
  });

  it('gives no guests and no errors for a directory that does not exist', () => {
    expect(loadGuestDefs(path.join(dir, 'nope'), { home: HOME })).toEqual({ defs: [], errors: [] });
  });

  it('reports a path that is not a directory with its whole path', () => {
    write({ 'plain': '' });
    const { defs, errors } = loadGuestDefs(path.join(dir, 'plain'), { home: HOME });
    expect(defs).toEqual([]);
    expect(errors.map((e) => e.message)).toEqual([`${path.join(dir, 'plain')}: cannot read the guest definition directory: not a directory`]);
    expect(errors[0]!.code).toBe('io');
  });

  it('reports a *.toml it cannot read and goes on', () => {
    fs.mkdirSync(path.join(dir, 'a.toml'));
    write({ 'b.toml': '' });
    const { defs, errors } = loadGuestDefs(dir, { home: HOME });
    expect(defs.map((d) => d.name)).toEqual(['b']);
    expect(errors[0]!.message).toMatch(/^a\.toml: cannot read the file: .+$/);
    expect(errors[0]!.hint).toBe(`check ${path.join(dir, 'a.toml')} and its permissions`);
  });

  it('resolves a relative directory against the process cwd', () => {
    write({ 'a.toml': '' });
    const rel = path.relative(process.cwd(), dir);
    expect(loadGuestDefs(rel, { home: HOME }).defs[0]!.file).toBe(path.join(dir, 'a.toml'));
  });
});

describe('defaultConfigDir', () => {
  it('takes $UMUX_CONFIG_DIR first', () => {
    expect(defaultConfigDir({ UMUX_CONFIG_DIR: '/etc/umux', XDG_CONFIG_HOME: '/x', HOME })).toBe('/etc/umux');
  });

  it('then $XDG_CONFIG_HOME/umux/guests', () => {
    expect(defaultConfigDir({ XDG_CONFIG_HOME: '/x/config', HOME })).toBe('/x/config/umux/guests');
  });

  it('then ~/.config/umux/guests', () => {
    expect(defaultConfigDir({ HOME })).toBe('/home/ann/.config/umux/guests');
  });

  it('ignores empty values and a relative $XDG_CONFIG_HOME, as the XDG spec says', () => {
    expect(defaultConfigDir({ UMUX_CONFIG_DIR: '', XDG_CONFIG_HOME: 'config', HOME })).toBe('/home/ann/.config/umux/guests');
  });

  it('falls back to the account home directory without $HOME', () => {
    expect(defaultConfigDir({})).toBe(path.join(os.homedir(), '.config', 'umux', 'guests'));
  });
});
