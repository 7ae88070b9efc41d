// Proves the real-guest harness (test/helpers/uml.ts) on UML 6.1: boot, notify socket, con0 and extra consoles,
// panic notification, and teardown that leaves no process of the guest's group and no temp dir.

import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { bootGuest, groupMembers, killAllGuests, umlSkip } from '../helpers/uml.js';

const T = 30_000;

describe.skipIf(umlSkip())('real-guest harness', () => {
  afterAll(killAllGuests, T);

  it('boots, reports its mconsole socket, and runs a command typed on con0', async () => {
    const g = await bootGuest({ waitForShell: true });
    try {
      expect(g.socket).toBe(`${g.umlDir}/${g.umid}/mconsole`);
      expect(g.dir).toBe(`${g.umlDir}/${g.umid}`);
      expect(fs.statSync(g.socket).isSocket()).toBe(true);
      expect(fs.readFileSync(`${g.dir}/pid`, 'utf8').trim()).toBe(String(g.pid));
      expect(g.notifications[0]?.type).toBe('socket');
      expect(g.notify.stats.garbage).toBe(0);
      await g.waitForOutput(/INIT: up 6\.1\.\d+/, 5000);
      expect(g.stderr()).toMatch(/Checking that ptrace can change system call numbers/);
      const mark = g.output().length;
      g.write('echo hi-$((6*7))\r');
      const text = await g.waitForOutput('hi-42', 5000, mark);
      expect(text).toContain('echo hi-$((6*7))');
      const mark2 = g.output().length;
      g.write('echo user=$(whoami)\r');
      await g.waitForOutput('user=root', 5000, mark2);
      expect(g.isAlive()).toBe(true);
    } finally {
      await g.kill();
    }
  }, T);

  it('answers on an extra console with a getty on tty1', async () => {
    const g = await bootGuest({ consoles: 1, rootfs: { gettys: ['tty1'] }, waitForShell: true });
    try {
      expect(g.consoles).toHaveLength(1);
      const con1 = g.consoles[0]!;
      let seen = '';
      con1.setEncoding('utf8');
      con1.on('data', (s: string) => (seen += s));
      const waitFor = async (what: string): Promise<void> => {
        const until = Date.now() + 10_000;
        while (!seen.includes(what)) {
          if (Date.now() > until) throw new Error(`no ${what} on con1; got: ${seen.slice(-500)}\n${g.diagnostics()}`);
          await new Promise((r) => setTimeout(r, 25));
        }
      };
      // getty may start before or after we listen: poke the line until a shell answers.
      con1.write('\r');
      await waitFor('# ');
      con1.write('echo con1-$((40+2)) $(tty)\r');
      await waitFor('con1-42 /dev/tty1');
    } finally {
      await g.kill();
    }
  }, T);

  it('kill() leaves no live process in the group and removes the temp dir', async () => {
    const g = await bootGuest({ waitForShell: true });
    expect(groupMembers(g.pid).length).toBeGreaterThanOrEqual(2); // kernel + helpers
    await g.kill();
    expect(groupMembers(g.pid)).toEqual([]);
    expect(g.isAlive()).toBe(false);
    expect(fs.existsSync(g.tmp)).toBe(false);
    const exit = await g.exited;
    expect(exit.signal).toBe('SIGKILL');
    await g.kill(); // idempotent
  }, T);

  it('sends a panic notification when init exits', async () => {
    const g = await bootGuest({ rootfs: { panic: true, commands: ['echo about-to-exit'] } });
    try {
      const n = await g.waitForNotification('panic', 10_000);
      expect(n.data).toMatch(/Attempted to kill init/);
      await g.waitForOutput('about-to-exit', 1000);
      const exit = await g.exited;
      expect(exit.signal).toBe('SIGABRT');
    } finally {
      await g.kill();
    }
  }, T);

  it('reports a boot timeout with the console and stderr tails', async () => {
    // init never prints a prompt: waitForShell must time out with diagnostics, and clean up after itself. The wait
    // is long enough for init's first line on a loaded host (two test files boot guests at once).
    const err = await bootGuest({ rootfs: { shell: false }, waitForShell: true, timeoutMs: 10_000 }).then(
      () => new Error('booted'),
      (e: unknown) => e as Error,
    );
    expect(err.message).toMatch(/timed out after 10000 ms waiting for output/);
    expect(err.message).toContain('INIT: up 6.1');
    expect(err.message).toContain('--- stderr tail ---');
    const tmp = /pid (\d+) in (\S+)/.exec(err.message);
    expect(tmp).not.toBeNull();
    expect(fs.existsSync(tmp![2]!)).toBe(false);
    expect(groupMembers(Number(tmp![1]))).toEqual([]);
  }, T);
});
