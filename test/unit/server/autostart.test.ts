// Autostart once per host boot: due on a new boot id, not again on the same one; always due when the boot id is
// unknown.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { autostartDue, autostartGuests, AUTOSTART_MARK, markAutostarted } from '../../../src/server/autostart.js';
import type { GuestRegistry } from '../../../src/server/registry.js';

const dirs: string[] = [];
function dir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'umux-autostart-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('autostart once per host boot', () => {
  it('is due on a boot it has not run on, and not again on the same boot', () => {
    const state = dir();
    const boot = path.join(dir(), 'boot_id');
    fs.writeFileSync(boot, 'aaaa-1111\n');
    expect(autostartDue(state, boot)).toBe(true);
    markAutostarted(state, boot);
    expect(fs.readFileSync(path.join(state, AUTOSTART_MARK), 'latin1')).toBe('aaaa-1111\n');
    expect(autostartDue(state, boot)).toBe(false);
    fs.writeFileSync(boot, 'bbbb-2222\n'); // the host rebooted
    expect(autostartDue(state, boot)).toBe(true);
  });

  it('is always due when the boot cannot be told, and marks nothing', () => {
    const state = dir();
    const boot = path.join(state, 'no-such-boot-id');
    markAutostarted(state, boot);
    expect(autostartDue(state, boot)).toBe(true);
    expect(fs.existsSync(path.join(state, AUTOSTART_MARK))).toBe(false);
  });

  it('reads this host\'s own boot id', () => {
    expect(fs.readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim()).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('autostartGuests', () => {
  function world(nostart: string | undefined) {
    const cfg = dir();
    const state = dir();
    if (nostart !== undefined) fs.writeFileSync(path.join(cfg, 'nostart'), nostart);
    fs.writeFileSync(path.join(cfg, 'server.toml'), 'autostart_delay_ms = 0\n');
    const started: string[] = [];
    const events: string[] = [];
    const guest = (name: string, autostart = true) => ({ name, state: 'stopped', def: { autostart }, start: async () => void started.push(name), event: (t: string) => events.push(`${name}: ${t}`) });
    const registry = { managedGuests: () => [guest('a'), guest('b'), guest('c', false)] } as unknown as GuestRegistry;
    const logs: string[] = [];
    const run = () => autostartGuests({ registry, stateDir: state, env: { UMUX_CONFIG_DIR: cfg }, log: (l) => logs.push(l), delayMs: undefined, stopping: () => false });
    return { run, started, events, logs, marked: () => fs.existsSync(path.join(state, AUTOSTART_MARK)) };
  }

  it('starts the autostart guests in order and records the boot', async () => {
    const w = world(undefined);
    await w.run();
    expect(w.started).toEqual(['a', 'b']);
    expect(w.marked()).toBe(fs.existsSync('/proc/sys/kernel/random/boot_id'));
  });

  it('starts none when the nostart file is empty, and leaves the boot unrecorded', async () => {
    const w = world('');
    await w.run();
    expect(w.started).toEqual([]);
    expect(w.logs[0]).toMatch(/^autostart held back: .*\/nostart is there/);
    expect(w.marked()).toBe(false);
  });

  it('leaves out the guests the nostart file names, saying so in their events', async () => {
    const w = world('a\n');
    await w.run();
    expect(w.started).toEqual(['b']);
    expect(w.events).toEqual([expect.stringMatching(/^a: not autostarted: .*\/nostart names it$/)]);
  });
});
