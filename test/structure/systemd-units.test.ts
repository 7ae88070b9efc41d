// The systemd units in contrib/systemd: each runs `umux server` in the foreground with the server's node flags, stops
// only the server (guests and the console keeper outlive it), and passes `systemd-analyze verify` where installed.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../src/client/connect.js';

const DIR = path.resolve('contrib/systemd');
const BIN = path.resolve('bin/umux');
const hasAnalyze = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).status === 0;

/** section → key → values, as systemd reads a unit (comments and blank lines dropped). */
function sections(text: string): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  let current: Map<string, string[]> | undefined;
  for (const line of text.split('\n')) {
    const l = line.trim();
    if (!l || l.startsWith('#') || l.startsWith(';')) continue;
    const head = /^\[(.+)\]$/.exec(l);
    if (head) out.set(head[1]!, (current = new Map()));
    else {
      const eq = l.indexOf('=');
      const key = l.slice(0, eq);
      current!.set(key, [...(current!.get(key) ?? []), l.slice(eq + 1)]);
    }
  }
  return out;
}

describe('contrib/systemd', () => {
  for (const [file, wantedBy] of [['umux.service', 'default.target'], ['umux@.service', 'multi-user.target']] as const) {
    it(`${file} runs umux server in the foreground and stops only the server`, () => {
      const unit = sections(fs.readFileSync(path.join(DIR, file), 'utf8'));
      const service = unit.get('Service')!;
      // node's flags as the client gives a server it starts (SERVER_NODE_FLAGS), then umux server.
      expect(service.get('ExecStart')).toEqual([`/usr/bin/env node ${SERVER_NODE_FLAGS.join(' ')} /usr/local/bin/umux server`]);
      expect(service.get('Type')).toEqual(['simple']);
      expect(service.get('KillMode')).toEqual(['process']);
      expect(unit.get('Install')?.get('WantedBy')).toEqual([wantedBy]);
    });
  }

  it.skipIf(!hasAnalyze)('passes systemd-analyze verify (with ExecStart pointed at this checkout)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'umux-units-'));
    try {
      for (const file of ['umux.service', 'umux@.service']) {
        fs.writeFileSync(path.join(tmp, file), fs.readFileSync(path.join(DIR, file), 'utf8').replace('/usr/local/bin/umux', BIN));
      }
      // The template is verified as an instance, for an account that exists everywhere.
      for (const unit of ['umux.service', `umux@${os.userInfo().username}.service`]) {
        const r = spawnSync('systemd-analyze', ['verify', path.join(tmp, unit)], { encoding: 'utf8', timeout: 20_000 });
        expect({ unit, status: r.status, stderr: r.stderr }).toEqual({ unit, status: 0, stderr: '' });
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
