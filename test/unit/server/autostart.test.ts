// Autostart once per host boot: due on a new boot id, not again on the same one; always due when the boot id is
// unknown.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { autostartDue, AUTOSTART_MARK, markAutostarted } from '../../../src/server/autostart.js';

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
