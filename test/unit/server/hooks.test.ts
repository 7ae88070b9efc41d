// Hooks without guests: which event texts run which hook, when a config file is trusted to name programs, and the
// runner on real short processes (a good run, a failing one, one cut off with its whole group, one that cannot start).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hookTrigger, Hooks, MEMORY_EVENT, untrustedReason } from '../../../src/server/hooks.js';
import type { Guest } from '../../../src/server/guest.js';
import type { HostSample } from '../../../src/protocol/host-types.js';
import { memoryWarnings } from '../../../src/host/warnings.js';
import { runHook } from '../../../src/guests/hook-runner.js';
import { processExists } from '../../../src/guests/process-group.js';
import { EventLog } from '../../../src/server/event-log.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'umux-hooks-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('hookTrigger', () => {
  it('maps the state changes and notices the server writes', () => {
    expect(hookTrigger('running -> crashed: kernel panic: Attempted to kill init! (signal SIGABRT)')).toEqual({ kind: 'panic', reason: 'kernel panic: Attempted to kill init! (signal SIGABRT)', state: 'crashed' });
    expect(hookTrigger('running -> unresponsive: pid 42 is stopped on the host')).toMatchObject({ kind: 'hang', state: 'unresponsive' });
    expect(hookTrigger('hang notification (watchdog)')).toMatchObject({ kind: 'hang' });
    expect(hookTrigger('running -> exited: exited (exit code 0)')).toMatchObject({ kind: 'exit', state: 'exited' });
    expect(hookTrigger('running -> stale: the process is gone and left its umid directory (killed, or crashed)')).toMatchObject({ kind: 'exit', state: 'stale' });
    expect(hookTrigger('restart policy on-panic: restarting in 1000 ms')).toMatchObject({ kind: 'restart' });
    expect(hookTrigger('user notification: disk full\n')).toEqual({ kind: 'notify', reason: 'disk full\n' });
    expect(hookTrigger(`${MEMORY_EVENT}SIGBUS risk`)).toEqual({ kind: 'memory', reason: 'SIGBUS risk' });
  });

  it('runs nothing for a stop the admin asked for, a recovery, or its own reports', () => {
    expect(hookTrigger('stopping -> stopped: stopped (exit code 0)')).toBeUndefined();
    expect(hookTrigger('stopping -> exited: halted')).toBeUndefined();
    expect(hookTrigger('unresponsive -> running: answers MConsole again')).toBeUndefined();
    expect(hookTrigger('hook panic failed: /bin/false exit code 1')).toBeUndefined();
    expect(hookTrigger('uml: running -> crashed: fake')).toBeUndefined();
  });
});

describe('untrustedReason', () => {
  it('trusts a file of our own in a directory of our own, not one others can write', () => {
    const file = path.join(dir, 'server.toml');
    fs.writeFileSync(file, '', { mode: 0o644 });
    fs.chmodSync(dir, 0o755);
    expect(untrustedReason(file, process.getuid!())).toBeUndefined();
    fs.chmodSync(file, 0o666);
    expect(untrustedReason(file, process.getuid!())).toBe(`${file} is writable by everyone (mode 666): chmod go-w ${file}`);
    fs.chmodSync(file, 0o644);
    fs.chmodSync(dir, 0o775);
    expect(untrustedReason(file, process.getuid!())).toMatch(/is writable by its group \(mode 775\)/);
    fs.chmodSync(dir, 0o700);
    // Root's own files are trusted by every server: as root, the stranger is a file given away.
    if (process.getuid!() === 0) fs.chownSync(file, 54321, 54321);
    expect(untrustedReason(file, process.getuid!() === 0 ? 0 : process.getuid!() + 1)).toMatch(/belongs to uid \d+, not to this server's user/);
  });
});

describe('runHook', () => {
  const run = (argv: string[], timeoutMs = 5000) =>
    runHook({ argv, env: { ...process.env, GREETING: 'hi' }, timeoutMs, logFile: path.join(dir, 'hook.log'), cwd: dir, graceMs: 300 });

  it('runs detached with stdin empty, its output in the log', async () => {
    const out = await run(['/bin/sh', '-c', 'echo "$GREETING pgid=$(ps -o pgid= -p $$ | tr -d " ") pid=$$"; cat']);
    expect(out.ok).toBe(true);
    const m = /hi pgid=(\d+) pid=(\d+)/.exec(fs.readFileSync(path.join(dir, 'hook.log'), 'utf8'));
    expect(m?.[1]).toBe(m?.[2]); // its own process group
  });

  it('reports a failure, a spawn error and a cut-off, and leaves nothing of the group behind', async () => {
    expect(await run(['/bin/sh', '-c', 'exit 3'])).toMatchObject({ ok: false, why: 'exit code 3' });
    expect(await run([path.join(dir, 'missing')])).toMatchObject({ ok: false, why: expect.stringMatching(/^could not be started: .*ENOENT/) });
    const pidFile = path.join(dir, 'child.pid');
    const t0 = Date.now();
    const out = await run(['/bin/sh', '-c', `trap '' TERM; sleep 30 & echo $! > ${pidFile}; wait`], 300);
    expect(out).toMatchObject({ ok: false, why: expect.stringMatching(/^cut off after 300 ms/) });
    expect(Date.now() - t0).toBeLessThan(3000);
    const child = Number(fs.readFileSync(pidFile, 'utf8'));
    const deadline = Date.now() + 2000;
    while (processExists(child) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(processExists(child)).toBe(false);
  });
});

describe('EventLog.listAll', () => {
  it('merges guests in time order, each event with its guest', async () => {
    const log = new EventLog(path.join(dir, 'events'));
    const tick = () => new Promise((r) => setTimeout(r, 3));
    log.add('a', 'one');
    await tick();
    log.add('b', 'two');
    await tick();
    log.add('a', 'three');
    expect(log.listAll(['a', 'b']).map((e) => `${e.guest}:${e.text}`)).toEqual(['a:one', 'b:two', 'a:three']);
    expect(log.listAll(['a', 'b'], 1).map((e) => e.text)).toEqual(['three']);
  });
});

describe('memory pressure', () => {
  it('marks the memory-file warnings, and tells each running guest once per time the filesystem comes under pressure', () => {
    const host = { ramTotal: 8e9, ramAvailable: 4e9, swapTotal: 0, swapFree: 0 };
    const fsu = { path: '/tmp', type: 'tmpfs', typeHex: '0x1021994', size: 1e9, used: 9e8, avail: 1e8 };
    const tight = memoryWarnings({ guestsMem: 5e8, memfileFs: fsu, host } as never);
    expect(tight.filter((w) => w.memfile)).toHaveLength(1);
    expect(memoryWarnings({ guestsMem: 5e7, memfileFs: fsu, host } as never).some((w) => w.memfile)).toBe(false);
    const heard: string[] = [];
    const g = { name: 'web1', event: (t: string) => heard.push(t) } as unknown as Guest;
    const hooks = new Hooks({ events: new EventLog(path.join(dir, 'ev2')), guest: () => undefined, stateDir: dir, logRoot: dir, env: { UMUX_CONFIG_DIR: dir }, log: () => undefined });
    const sample = (warnings: HostSample['warnings']) => ({ warnings }) as HostSample;
    hooks.hostSample(sample(tight), [g]);
    hooks.hostSample(sample(tight), [g]);
    expect(heard).toEqual([`${MEMORY_EVENT}${tight.find((w) => w.memfile)!.text}`]);
    hooks.hostSample(sample([]), [g]);
    hooks.hostSample(sample(tight), [g]);
    expect(heard).toHaveLength(2);
    hooks.dispose();
  });
});

describe('Hooks', () => {
  it('runs the exit hook for an exit nobody asked for, not after umux kill, halt or reboot', async () => {
    const cfg = fs.mkdtempSync(path.join(dir, 'cfg-'));
    const ran = path.join(dir, 'exit-ran');
    fs.writeFileSync(path.join(cfg, 'server.toml'), `[hooks]\nexit = ["/bin/sh", "-c", "echo $UMUX_GUEST >> ${ran}"]\n`);
    const events = new EventLog(path.join(dir, 'ev3'));
    const hooks = new Hooks({ events, guest: () => undefined, stateDir: dir, logRoot: dir, env: { ...process.env, UMUX_CONFIG_DIR: cfg }, log: () => undefined });
    const reports = (g: string) => events.list(g).filter((e) => e.text.startsWith('hook '));
    try {
      events.add('killed', 'kill: SIGTERM to pid 5');
      events.add('killed', 'running -> exited: exited (signal SIGTERM)');
      events.add('halted', 'halt requested');
      events.add('halted', 'running -> exited: exited (exit code 0)');
      events.add('halted', 'exited -> starting: umux start');
      events.add('halted', 'running -> exited: exited (signal SIGKILL)');
      await waitFor(() => reports('halted').length > 0);
      expect(reports('halted').map((e) => e.text)).toEqual([expect.stringMatching(/^hook exit ran: \/bin\/sh ended well in \d+ ms$/)]);
      expect(fs.readFileSync(ran, 'utf8')).toBe('halted\n');
      expect(reports('killed')).toEqual([]);
    } finally {
      hooks.dispose();
    }
  });
});

async function waitFor(ok: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
