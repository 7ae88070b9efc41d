// umux mconsole against real UML 6.1 guests, side by side with uml_mconsole on the same guest: the output must
// be byte-identical; then what uml_mconsole cannot do (timeouts, checked verbs, incomplete replies).

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MconsoleClient } from '../../src/mconsole/client.js';
import { bootGuest, killAllGuests, umlSkip, type Guest } from '../helpers/uml.js';
import { dgramQlen, umlMconsole, umux, type ToolResult } from '../helpers/run-tool.js';
import { clientDir } from '../helpers/fake-mconsole.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(umlSkip())('umux mconsole on a real guest', () => {
  let guest: Guest;

  beforeAll(async () => {
    guest = await bootGuest({ umid: 'mc1', waitForShell: true });
  });
  afterAll(async () => {
    await killAllGuests();
  });

  async function both(...command: string[]): Promise<{ ours: ToolResult; theirs: ToolResult }> {
    const ours = await umux(['mconsole', guest.socket, ...command]);
    const theirs = await umlMconsole([guest.socket, ...command]);
    return { ours, theirs };
  }

  async function expectIdentical(...command: string[]): Promise<ToolResult> {
    const { ours, theirs } = await both(...command);
    expect(ours.stdout.toString()).toBe(theirs.stdout.toString());
    expect(ours.stdout.equals(theirs.stdout)).toBe(true);
    expect(ours.code).toBe(theirs.code === 0 ? 0 : 1);
    return ours;
  }

  it('prints version exactly as uml_mconsole does', async () => {
    const r = await expectIdentical('version');
    expect(r.stdout.toString()).toMatch(/^OK Linux \S+ 6\.1\.\d+ #\d+ .* x86_64\n$/);
    expect(r.code).toBe(0);
  });

  it('prints help (two packets, plus the local commands) exactly as uml_mconsole does', async () => {
    const r = await expectIdentical('help');
    expect(r.stdout.toString()).toContain('    proc <file> - returns the contents of the UML\'s /proc/<file>\n');
    expect(r.stdout.toString()).toContain('Additional local mconsole commands:\n    quit - Quit mconsole\n');
  });

  it('prints config con0 exactly as uml_mconsole does', async () => {
    const r = await expectIdentical('config', 'con0');
    expect(r.stdout.toString()).toBe('OK fd:0,fd:1\n');
  });

  it('hot-plugs con1=pts and queries it like uml_mconsole', async () => {
    const plug = await umux(['mconsole', guest.socket, 'config', 'con1=pts']);
    expect(plug.stdout.toString()).toBe('OK \n');
    const query = await expectIdentical('config', 'con1');
    expect(query.stdout.toString()).toBe('OK pts\n');
    const theirs = await umlMconsole([guest.socket, 'config', 'con2=pts']);
    const ours = await umux(['mconsole', guest.socket, 'config', 'con3=pts']);
    expect(ours.stdout.equals(theirs.stdout)).toBe(true);
  });

  it('prints ERR replies like uml_mconsole, with exit code 1', async () => {
    const r = await expectIdentical('remove', 'ubdb');
    expect(r.stdout.toString()).toBe("ERR Device doesn't exist\n");
    expect(r.code).toBe(1);
    const proc = await expectIdentical('proc', 'nonexistent');
    expect(proc.stdout.toString()).toBe('ERR Failed to open file\n');
  });

  it('logs text into the kernel log like uml_mconsole, ending the line', async () => {
    const from = guest.output().length;
    const r = await expectIdentical('log', 'hello', 'from-umux-test');
    expect(r.stdout.toString()).toBe('OK \nOK \n');
    await guest.waitForOutput('hello from-umux-test', 5000, from);
  });

  it('logs a file with log -f like uml_mconsole', async () => {
    const file = path.join(guest.tmp, 'log.txt');
    fs.writeFileSync(file, 'x'.repeat(1200));
    const r = await expectIdentical('log', '-f', file);
    expect(r.stdout.toString()).toBe('OK \n'.repeat(4));
  });

  it('reads proc meminfo (five packets) like uml_mconsole while the guest is stopped', async () => {
    expect((await umux(['mconsole', guest.socket, 'stop'])).stdout.toString()).toBe('OK stopped\n');
    try {
      const r = await expectIdentical('proc', 'meminfo');
      expect(r.stdout.toString()).toMatch(/^OK \nMemTotal: +\d+ kB\n/);
    } finally {
      expect((await umux(['mconsole', guest.socket, 'go'])).stdout.toString()).toBe('OK \n');
    }
  });

  it('shows sysrq m (about 16 packets) completely, or says why it cannot', async () => {
    if (dgramQlen() >= 64) {
      await umux(['mconsole', guest.socket, 'stop']);
      try {
        const r = await expectIdentical('sysrq', 'm');
        expect(r.stdout.toString()).toMatch(/^OK sysrq: Show Memory\n/);
        expect(r.stdout.toString()).toContain('pages RAM');
      } finally {
        await umux(['mconsole', guest.socket, 'go']);
      }
    } else {
      // The host drops the tail of the burst: uml_mconsole would hang forever; umux says what happened.
      const r = await umux(['mconsole', guest.socket, 'sysrq', 'm']);
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/^umux: reply from mc1 to "sysrq" is incomplete: \d+ packets arrived, the last never came\n/);
      expect(r.stderr).toContain('sysctl -w net.unix.max_dgram_qlen=512');
    }
  });

  it('stop pauses console output and go resumes it; both answer like uml_mconsole', async () => {
    guest.write('i=0; while true; do i=$((i+1)); echo tick-$i; sleep 0.1; done &\r');
    await guest.waitForOutput(/tick-3\b/, 5000);
    const stop = await umlMconsole([guest.socket, 'stop']);
    expect(stop.stdout.toString()).toBe('OK stopped\n');
    await sleep(150);
    const paused = guest.output().length;
    await sleep(800);
    expect(guest.output().length).toBe(paused);
    const go = await umlMconsole([guest.socket, 'go']);
    expect(go.stdout.toString()).toBe('OK \n');
    await guest.waitForOutput(/tick-\d+/, 3000, paused);
    const ourStop = await umux(['mconsole', guest.socket, 'stop']);
    expect(ourStop.stdout.equals(stop.stdout)).toBe(true);
    const ourGo = await umux(['mconsole', guest.socket, 'go']);
    expect(ourGo.stdout.equals(go.stdout)).toBe(true);
    guest.write('kill %1\r');
  });

  it('makes relative ubd file names absolute before sending, as uml_mconsole does', async () => {
    const cwd = path.join(guest.tmp, 'disks');
    fs.mkdirSync(cwd);
    for (const f of ['b.img', 'c.img']) {
      fs.closeSync(fs.openSync(path.join(cwd, f), 'w'));
      fs.truncateSync(path.join(cwd, f), 8 << 20);
    }
    const ours = await umux(['mconsole', guest.socket, 'config', 'ubdb=b.img'], { cwd });
    const theirs = await umlMconsole([guest.socket, 'config', 'ubdc=c.img'], { cwd });
    expect(ours.stdout.toString()).toBe('OK \n');
    expect(ours.stdout.equals(theirs.stdout)).toBe(true);
    expect((await umux(['mconsole', guest.socket, 'config', 'ubdb'])).stdout.toString()).toBe(`OK ${cwd}/b.img\n`);
    expect((await umux(['mconsole', guest.socket, 'config', 'ubdc'])).stdout.toString()).toBe(`OK ${cwd}/c.img\n`);
    expect((await umux(['mconsole', guest.socket, 'remove', 'ubdb'])).code).toBe(0);
    expect((await umux(['mconsole', guest.socket, 'remove', 'ubdc'])).code).toBe(0);
  });

  it('refuses an unknown verb that the kernel would run by prefix, and sends nothing', async () => {
    const r = await umux(['mconsole', guest.socket, 'haltx']);
    expect(r.code).toBe(2);
    expect(r.stdout.length).toBe(0);
    expect(r.stderr).toBe(
      'umux: unknown mconsole verb "haltx": the kernel matches by prefix and would run "halt"\n' +
        '  hint: known verbs: version, help, halt, reboot, config, remove, sysrq, cad, stop, go, log, proc, stack; --raw sends it anyway\n',
    );
    expect(guest.isAlive()).toBe(true);
    expect((await umux(['mconsole', guest.socket, 'sysrq', 't'])).code).toBe(2);
    expect((await umux(['mconsole', guest.socket, 'version'])).code).toBe(0);
  });

  it('sends an unknown verb with --raw and shows the kernel answer', async () => {
    const r = await umux(['mconsole', '--raw', guest.socket, 'bogus']);
    expect(r.stdout.toString()).toBe('ERR Unknown command\n');
    expect(r.code).toBe(1);
  });

  it('finds a guest by umid with --uml-dir', async () => {
    const r = await umux(['mconsole', '--uml-dir', guest.umlDir, 'mc1', 'config', 'con0']);
    expect(r.stdout.toString()).toBe('OK fd:0,fd:1\n');
  });

  it('reports a missing guest with exit code 3 and where it looked', async () => {
    const r = await umux(['mconsole', '--uml-dir', guest.umlDir, 'nosuch', 'version']);
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toBe(
      `umux: can't find guest: nosuch (looked at ${guest.umlDir}/nosuch/mconsole, ${process.env['HOME']}/.uml/nosuch/mconsole, /tmp/uml/nosuch/mconsole)`,
    );
  });

  it('times out on a SIGSTOPped guest, and answers correctly again after SIGCONT', async () => {
    process.kill(guest.pid, 'SIGSTOP');
    let stopped: ToolResult;
    try {
      stopped = await umux(['mconsole', '--timeout', '400', guest.socket, 'version']);
    } finally {
      process.kill(guest.pid, 'SIGCONT');
    }
    expect(stopped.code).toBe(4);
    expect(stopped.stderr.split('\n')[0]).toBe('umux: no reply from mc1 in 400 ms to "version": the guest may be wedged or SIGSTOPped');
    expect(stopped.ms).toBeLessThan(3000);
    const again = await umux(['mconsole', guest.socket, 'config', 'con0']);
    expect(again.stdout.toString()).toBe('OK fd:0,fd:1\n');
  });

  it('gives each request its own reply after a SIGSTOP mid-request (in-process client)', async () => {
    const dir = clientDir();
    const client = new MconsoleClient({ dir, timeoutMs: 300 });
    try {
      process.kill(guest.pid, 'SIGSTOP');
      const wedged = client.call(guest.socket, 'proc uptime').catch((e: Error) => e);
      await sleep(100);
      process.kill(guest.pid, 'SIGCONT');
      // The guest answers the first request late, to an address the client has abandoned.
      const first = await wedged;
      const next = await client.call(guest.socket, 'config con0', { timeoutMs: 3000 });
      expect(next.text).toBe('fd:0,fd:1');
      if (first instanceof Error) expect(first.message).toContain('no reply');
      else expect(first.text).toMatch(/^\n?\d+\.\d+ \d+\.\d+/);
    } finally {
      client.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('delivers a user notification written to /proc/mconsole', async () => {
    guest.write('echo user-note-42 > /proc/mconsole\r');
    const n = await guest.waitForNotification('user', 5000);
    expect(n.data).toBe('user-note-42\n');
  });

  it('runs an interactive session with the (umid) prompt, switch and local commands', async () => {
    // Right after the socket notification, config con0 can still answer "Bad configuration option": wait for the shell.
    const other = await bootGuest({ umid: 'mc2', waitForShell: true });
    try {
      const input = ['version', 'mconsole-version', `switch ${other.socket}`, 'config con0', 'haltx', 'quit', 'version', ''].join('\n');
      const r = await umux(['mconsole', guest.socket], { input });
      const out = r.stdout.toString();
      expect(out.startsWith('(mc1) OK Linux')).toBe(true);
      expect(out).toContain('(mc1) umux mconsole client version 2\n');
      // The refused verb prints nothing to stdout; quit then ends the session at the next prompt.
      expect(out).toContain(`(mc1) Switched to '${other.socket}'\n(mc2) OK fd:0,fd:1\n(mc2) (mc2) `);
      expect(r.stderr).toContain('unknown mconsole verb "haltx"');
      // quit ends the session: the version after it never ran.
      expect(out.match(/OK Linux/g)).toHaveLength(1);
      expect(r.code).toBe(0);
    } finally {
      await other.kill();
    }
  });
});

describe.skipIf(umlSkip())('guests that go away', () => {
  afterAll(async () => {
    await killAllGuests();
  });

  it('halt answers like uml_mconsole and the guest exits', async () => {
    const g = await bootGuest({ umid: 'halt1' });
    const r = await umux(['mconsole', g.socket, 'halt']);
    expect(r.stdout.toString()).toBe('OK \n');
    const exit = await Promise.race([g.exited, sleep(10000).then(() => 'still running')]);
    expect(exit).toMatchObject({ code: 0 });
  });

  it('int sends SIGINT to the pid in the umid directory and the guest shuts down', async () => {
    const g = await bootGuest({ umid: 'int1' });
    const r = await umux(['mconsole', g.socket], { input: 'int\n' });
    expect(r.stdout.toString()).toContain(`Sent SIGINT to pid ${g.pid}\n`);
    const exit = await Promise.race([g.exited, sleep(10000).then(() => 'still running')]);
    expect(exit).not.toBe('still running');
  });

  it('says a panicked guest is not running (stale socket), exit code 3', async () => {
    const g = await bootGuest({ umid: 'pan1', rootfs: { panic: true } });
    const n = await g.waitForNotification('panic', 10000);
    expect(n.data).toContain('Attempted to kill init');
    await g.exited;
    expect(fs.existsSync(g.socket)).toBe(true);
    const r = await umux(['mconsole', g.socket, 'version']);
    expect(r.code).toBe(3);
    expect(r.stderr.split('\n')[0]).toBe(`umux: guest not running: stale mconsole socket at ${g.socket}`);
    const theirs = await umlMconsole([g.socket, 'version']);
    expect(theirs.code).not.toBe(0);
  });
});
