// The [hooks] table (guest definitions and server.toml), server.toml's autostart keys and the no-start file: what
// each accepts, and the one-line error each mistake gives.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { ConfigError } from '../../../src/config/config-error.js';
import { DEFAULT_HOOK_TIMEOUT_MS, parseHooks } from '../../../src/config/hooks-config.js';
import { loadServerSettings, parseServerSettings, readNoStart } from '../../../src/config/server-settings.js';
import { loadGuestDefs } from '../../../src/config/load.js';

const FILE = '/etc/umux/server.toml';

function hooksOf(text: string) {
  return parseHooks(parse(text, { integersAsBigInt: true })['hooks'], text, FILE);
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('no error');
}

describe('[hooks]', () => {
  it('reads an argv per kind and the timeout', () => {
    const h = hooksOf('[hooks]\npanic = ["/usr/bin/mail", "-s", "x", "root"]\nhang = ["/bin/sh", "-c", "echo $UMUX_GUEST"]\ntimeout_ms = 500\n');
    expect(h).toEqual({ commands: { panic: ['/usr/bin/mail', '-s', 'x', 'root'], hang: ['/bin/sh', '-c', 'echo $UMUX_GUEST'] }, timeoutMs: 500 });
    expect(hooksOf('[hooks]\n').timeoutMs).toBe(DEFAULT_HOOK_TIMEOUT_MS);
  });

  it('refuses a command line as one string: umux runs no shell of its own', () => {
    const err = errorOf(() => hooksOf('[hooks]\npanic = "mail -s x root"\n'));
    expect(err.message).toBe('server.toml: hooks.panic: expected a list: the program\'s absolute path, then its arguments, got "mail -s x root" (string)');
    expect(err.hint).toMatch(/^write it as \["mail", …\] \(umux runs no shell of its own\); for a shell line write \["\/bin\/sh", "-c", "..."\]/);
    expect(err.line).toBe(1);
  });

  it('refuses a relative program, an empty list, a non-string and an unknown kind', () => {
    expect(errorOf(() => hooksOf('[hooks]\nexit = ["mail"]\n')).message).toBe('server.toml: hooks.exit: expected an absolute path first, such as /usr/bin/mail, got "mail"');
    expect(errorOf(() => hooksOf('[hooks]\nexit = []\n')).message).toMatch(/hooks\.exit: expected a list/);
    expect(errorOf(() => hooksOf('[hooks]\nexit = ["/bin/echo", 3]\n')).message).toBe('server.toml: hooks.exit: expected only strings in the list, got 3 (integer)');
    expect(errorOf(() => hooksOf('[hooks]\npanik = ["/bin/true"]\n')).message).toBe('server.toml: hooks.panik: unknown hook (did you mean panic?)');
    expect(errorOf(() => hooksOf('[hooks]\ntimeout_ms = 0\n')).message).toBe('server.toml: hooks.timeout_ms: expected a whole number of milliseconds from 1 to 3600000, got 0');
    expect(errorOf(() => hooksOf('hooks = 3\n')).message).toBe('server.toml: hooks: expected a table of kind = ["/path/to/program", "arg"] lines, got 3 (integer)');
  });
});

describe('server.toml', () => {
  it('reads the autostart keys and the hooks; unknown keys are named', () => {
    const s = parseServerSettings('autostart_delay_ms = 5000\nautostart_jitter_ms = 600000\n[hooks]\nmemory = ["/bin/true"]\n', FILE);
    expect(s).toMatchObject({ autostartDelayMs: 5000, autostartJitterMs: 600000, hooks: { commands: { memory: ['/bin/true'] } } });
    expect(errorOf(() => parseServerSettings('autostart_dealy_ms = 1\n', FILE)).message).toBe('server.toml: autostart_dealy_ms: unknown key (did you mean autostart_delay_ms?)');
    expect(errorOf(() => parseServerSettings('autostart_delay_ms = "5s"\n', FILE)).message).toBe('server.toml: autostart_delay_ms: expected a whole number of milliseconds from 0 to 3600000, got "5s" (string)');
  });

  it('sits beside the guests under UMUX_CONFIG_DIR without being taken for a guest; nostart says what it says', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umux-srv-'));
    try {
      const env = { UMUX_CONFIG_DIR: dir };
      expect(loadServerSettings(env).autostartDelayMs).toBe(1000);
      fs.writeFileSync(path.join(dir, 'server.toml'), 'autostart_delay_ms = 7\n');
      expect(loadServerSettings(env).autostartDelayMs).toBe(7);
      expect(loadGuestDefs(dir, { home: dir })).toEqual({ defs: [], errors: [] });
      expect(readNoStart(env)).toBeUndefined();
      fs.writeFileSync(path.join(dir, 'nostart'), '');
      expect(readNoStart(env)).toEqual({ all: true, file: path.join(dir, 'nostart') });
      fs.writeFileSync(path.join(dir, 'nostart'), 'web1\n# a comment\nweb2  # why\n');
      expect(readNoStart(env)).toEqual({ all: false, names: new Set(['web1', 'web2']), file: path.join(dir, 'nostart') });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('README', () => {
  it('shows server.toml examples that parse: a mail hook, a webhook, the autostart order', () => {
    const readme = fs.readFileSync(path.resolve('README.md'), 'utf8');
    const blocks = [...readme.matchAll(/```toml\n(# ~\/\.config\/umux\/server\.toml\n[\s\S]*?)```/g)].map((m) => m[1]!);
    expect(blocks).toHaveLength(2);
    const [hooks, order] = blocks.map((b) => parseServerSettings(b, FILE));
    expect(hooks!.hooks.commands.panic!.join(' ')).toMatch(/mail -s .*< "\$UMUX_CONSOLE_TAIL"/);
    expect(hooks!.hooks.commands.hang!.join(' ')).toMatch(/curl .* https:\/\//);
    expect(order).toMatchObject({ autostartDelayMs: 5000, autostartJitterMs: 60000 });
  });
});
