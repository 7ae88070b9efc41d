// The read-only rule from the command table: which commands a read-only client is refused, and the one-line refusal.

import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../src/commands/table.js';
import { changesSomething, readOnlyAttachRefusal, readOnlyRefusal } from '../../../src/commands/read-only.js';
import { lookingSteps, recoverySteps } from '../../../src/tui/recovery.js';
import type { GuestInfo } from '../../../src/protocol/wire-messages.js';

const refused = (name: string) => readOnlyRefusal([name, 'g1'], 'umux-tui') !== undefined;

describe('read-only rule', () => {
  it('lets a read-only client look and nothing else', () => {
    const allowed = COMMANDS.filter((c) => !refused(c.name)).map((c) => c.name).sort();
    expect(allowed).toEqual(['attach', 'boots', 'events', 'help', 'host', 'log', 'ls', 'server', 'tui', 'version', 'wait']);
  });

  it('refuses every command that changes a guest or the server', () => {
    for (const name of ['start', 'stop', 'restart', 'send', 'cad', 'halt', 'reboot', 'sysrq', 'pause', 'go', 'kill', 'config', 'remove', 'backup', 'clean', 'mc', 'mconsole', 'demo', 'kill-server', 'run', 'login']) {
      expect(refused(name), name).toBe(true);
    }
  });

  it('says which command, what it changes and how to get a writer, in one line', () => {
    expect(readOnlyRefusal(['halt', 'g1', '--yes'], 'umux-tui')?.message).toBe('read-only client: "halt" changes the guest; ask for a writer (umux tui without --read-only)');
    expect(readOnlyRefusal(['kill-server'], 'attach')?.message).toBe('read-only client: "kill-server" changes the server; ask for a writer (umux attach without --read-only)');
    expect(readOnlyRefusal(['config', 'g1', 'ubdb=/x'], 'anything')?.message).toBe('read-only client: "config" changes the guest; ask for a writer (connect without --read-only)');
    expect(readOnlyRefusal(['halt', 'g1'], 'umux-tui')?.code).toBe('permission');
    expect(readOnlyAttachRefusal('umux-tui').message).toMatch(/^read-only client: "attach" to type .* ask for a writer \(umux tui without --read-only\)$/);
  });

  it('leaves unknown and empty command lines to the server (it refuses them as unknown)', () => {
    expect(readOnlyRefusal([], 'umux-tui')).toBeUndefined();
    expect(readOnlyRefusal(['frobnicate'], 'umux-tui')).toBeUndefined();
    expect(changesSomething(['frobnicate'])).toBe(false);
  });

  it('every command says what it changes (a new command cannot leave it out)', () => {
    for (const c of COMMANDS) expect([false, 'guest', 'server'], c.name).toContain(c.changes);
  });

  it("leaves a read-only TUI's recovery menu only the steps that look", () => {
    const g = { name: 'g1', state: 'unresponsive', pid: 42, adopted: false } as GuestInfo;
    expect(lookingSteps(recoverySteps(g)).map((s) => s.view)).toEqual(['events']);
    expect(lookingSteps(recoverySteps({ ...g, state: 'running' }))).toEqual([]);
    expect(lookingSteps(recoverySteps({ ...g, state: 'crashed', pid: null })).map((s) => s.view)).toEqual(['log', 'events']);
    expect(recoverySteps(g).some((s) => s.argv.join(' ') === 'kill g1 --hard' && changesSomething(s.argv))).toBe(true);
  });
});
