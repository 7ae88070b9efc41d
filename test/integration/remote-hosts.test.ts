// `umux --host` over a real ssh: a second "host" is another login user's umux server, reached through a real sshd on
// 127.0.0.1 with keys made here. Commands, a console driven remotely and attach reach its guest; bad destinations are
// refused with one line before ssh runs; an unreachable or silent port ends in one line within the timeout; a far
// server that dies mid-session is seen gone and is back once a new one answers. One far guest serves every case.

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerSession } from '../../src/client/session.js';
import { SshTransport } from '../../src/client/ssh-transport.js';
import { otherUserSkip } from '../helpers/other-user.js';
import { freePort } from '../helpers/ports.js';
import { hostsToml, RemoteHost, writeHostsToml } from '../helpers/remote-host.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';
import { hasSshd, TestSshd } from '../helpers/sshd.js';
import { hasTmux, TmuxTerminal } from '../helpers/tmux.js';
import { umlSkip } from '../helpers/uml.js';
import { runTool, UMUX_BIN } from '../helpers/run-tool.js';

const FAR = 'far1';
const skip = umlSkip() || otherUserSkip() || (!hasSshd && process.env.CI !== 'true');

describe.skipIf(skip)('umux --host over ssh', () => {
  let sshd: TestSshd;
  let far: RemoteHost;
  let local: UmuxWorld;

  beforeAll(async () => {
    far = new RemoteHost('umux-t-hostb');
    far.define(FAR);
    far.handOver();
    sshd = await TestSshd.start({ users: [far.user.name] });
    local = new UmuxWorld();
    writeHostsToml(local, hostsToml(sshd, [{ name: 'b', remote: far, timeoutS: 3 }]));
    const started = await local.umux(['--host', 'b', 'start', FAR], { timeoutMs: 60_000 });
    expect(started.code, started.stderr).toBe(0);
    await waitUntil('the far guest\'s shell', () => (fs.existsSync(path.join(far.world.stateDir, 'logs', FAR, 'con0.log')) && far.world.logText(FAR).includes('/ # ') ? true : undefined), 30_000);
  }, 120_000);

  afterAll(async () => {
    await far?.dispose();
    await local?.dispose();
    await sshd?.dispose();
  });

  it('ls on the far host lists its guest, run by the far user, and nothing of the local host', async () => {
    const r = await local.umux(['--host', 'b', 'ls']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.toString()).toContain(FAR);
    const mine = await local.umux(['ls']);
    expect(mine.stdout.toString()).not.toContain(FAR);
    const pid = far.serverPid();
    expect(pid).toBeDefined();
    expect(fs.statSync(`/proc/${pid}`).uid).toBe(far.user.uid);
  });

  it('a command and a driven console work on the far guest (run: typed, its output read back)', async () => {
    const r = await local.umux(['--host', 'b', 'run', FAR, 'echo far-$((6*7))'], { timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.toString()).toContain('far-42');
    const j = await local.umux(['--host', 'b', 'ls', '--json']);
    const doc = JSON.parse(j.stdout.toString()) as { guests: Array<{ name: string; state: string }> };
    expect(doc.guests.find((g) => g.name === FAR)?.state).toBe('running');
  });

  it('attach reaches the far guest\'s console in a terminal: typing echoes back through ssh', async () => {
    if (!hasTmux) throw new Error('tmux is needed');
    const env = Object.fromEntries(Object.entries(local.env).filter((e): e is [string, string] => e[1] !== undefined));
    const term = new TmuxTerminal(`${process.execPath} ${UMUX_BIN} --host b attach ${FAR}`, { env });
    try {
      await term.waitFor('/ #', 20_000);
      term.type('echo attached-$((5*5))', 'Enter');
      await term.waitFor('attached-25', 10_000);
    } finally {
      term.dispose();
    }
  }, 40_000);

  it('umux --host b tui is b\'s view alone: its guest, its name in the status line', async () => {
    const env = Object.fromEntries(Object.entries(local.env).filter((e): e is [string, string] => e[1] !== undefined));
    const term = new TmuxTerminal(`${process.execPath} ${UMUX_BIN} --host b tui`, { env: { ...env, TERM: 'xterm-256color', LANG: 'C.UTF-8' } });
    try {
      const screen = await term.waitFor(/RUN\s+far1 /, 20_000);
      expect(screen).toMatch(/^ umux b \|/m);
      expect(screen).not.toContain('@b');
    } finally {
      term.dispose();
    }
  }, 40_000);

  it('refuses a destination ssh would take for an option, or with blanks or controls, in one line; nothing runs', async () => {
    const planted = path.join(local.dir, 'planted');
    for (const bad of [`-oProxyCommand=touch ${planted}`, '-oProxyCommand=sh', 'a b', 'evil\x1b]0;x\x07', 'a@b@c', '']) {
      const r = await local.umux(['--host', bad, 'ls']);
      expect(r.code, bad).toBe(2);
      expect(r.stderr.trimEnd().split('\n').length, r.stderr).toBeLessThanOrEqual(2);
      expect(r.stderr).toMatch(/^umux: --host: expected an ssh destination/);
      expect(r.stderr).not.toContain('\x1b');
    }
    expect(fs.existsSync(planted)).toBe(false);
  });

  it('a hosting customer gets no --host, neither before the command nor as the TUI\'s option', async () => {
    for (const [args, env] of [
      [['shell'], { SSH_ORIGINAL_COMMAND: 'tui --host b' }],
      [['shell'], { SSH_ORIGINAL_COMMAND: '--host b ls' }],
      [['--shared', 'tui', '--host', 'b'], {}],
      [['--shared', '--host', 'b', 'ls'], {}],
    ] as const) {
      const r = await runTool(process.execPath, [UMUX_BIN, ...args], { env: { ...local.env, ...env } });
      expect(r.code, `${args.join(' ')} ${JSON.stringify(env)}`).not.toBe(0);
      expect(r.stderr).toMatch(/^umux: (tui: --host is not for a hosting customer|"--host": not allowed for a hosting customer)\n/);
    }
  });

  it('a port where nobody listens, or one that never speaks, ends in one line within the timeout', async () => {
    const closedPort = await freePort();
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const silentPort = (silent.address() as net.AddressInfo).port;
    try {
      for (const [name, port] of [['closed', closedPort], ['silent', silentPort]] as const) {
        const cfg = path.join(local.dir, `ssh_config_${name}`);
        fs.writeFileSync(cfg, fs.readFileSync(sshd.clientConfig, 'utf8').replace(/Port \d+/, `Port ${port}`));
        const toml = hostsToml(sshd, [{ name: 'b', remote: far, timeoutS: 3 }]) + `\n\n[[host]]\nname = "${name}"\nssh = "${far.user.name}@127.0.0.1"\nssh_config = "${cfg}"\nconnect_timeout = 2\n`;
        writeHostsToml(local, toml);
        const r = await local.umux(['--host', name, 'ls'], { timeoutMs: 20_000 });
        expect(r.code, name).not.toBe(0);
        expect(r.ms, name).toBeLessThan(9000);
        expect(r.stderr, name).toMatch(new RegExp(`^umux: cannot reach ${name} over ssh: .+\\n  hint: .+\\n$`));
      }
    } finally {
      silent.close();
      writeHostsToml(local, hostsToml(sshd, [{ name: 'b', remote: far, timeoutS: 3 }]));
    }
  }, 40_000);

  it('a far side without umux (or a wrong umux command) is one line quoting the far shell, never a hang', async () => {
    writeHostsToml(local, `${hostsToml(sshd, [{ name: 'b', remote: far, timeoutS: 3 }])}\n\n[[host]]\nname = "nou"\nssh = "${far.user.name}@127.0.0.1"\numux = "/nonexistent/umux"\nssh_config = "${sshd.clientConfig}"\n`);
    try {
      const r = await local.umux(['--host', 'nou', 'ls'], { timeoutMs: 20_000 });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/^umux: cannot reach nou over ssh: .*\/nonexistent\/umux: not found\n  hint: .+\n$/);
      // What the far side writes on stderr reaches this terminal only as printable text.
      writeHostsToml(local, `[[host]]\nname = "loud"\nssh = "${far.user.name}@127.0.0.1"\numux = "printf '\\\\033]0;pwned\\\\007\\\\033[2Jwiped' >&2; exit 3; :"\nssh_config = "${sshd.clientConfig}"\n`);
      const loud = await local.umux(['--host', 'loud', 'ls'], { timeoutMs: 20_000 });
      expect(loud.code).not.toBe(0);
      expect(loud.stderr).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
      expect(loud.stderr).toMatch(/^umux: cannot reach loud over ssh: \?\]0;pwned\?\?\[2Jwiped\n/);
    } finally {
      writeHostsToml(local, hostsToml(sshd, [{ name: 'b', remote: far, timeoutS: 3 }]));
    }
  });

  it('a far server that dies mid-session is seen gone, and the session is back once a new one answers', async () => {
    const transport = new SshTransport({ name: 'b', destination: `${far.user.name}@127.0.0.1`, umux: far.command, sshConfig: sshd.clientConfig, connectTimeoutS: 3 });
    const session = await ServerSession.connect({ transport, ride: true, rideTimes: { graceMs: 0, minRetryMs: 200, maxRetryMs: 1000, giveUpMs: 30_000 } });
    try {
      const statuses: string[] = [];
      session.onRideStatus((t) => statuses.push(t));
      const away = new Promise<string>((r) => session.onAway((a) => r(a.text)));
      const back = new Promise<number>((r) => session.onBack(r));
      const before = session.serverPid;
      process.kill(far.serverPid()!, 'SIGKILL');
      expect(await Promise.race([away, new Promise((r) => setTimeout(() => r('no away in 10 s'), 10_000))])).toMatch(/server gone/);
      const pid = await Promise.race([back, new Promise<number>((r) => setTimeout(() => r(0), 30_000))]);
      expect(pid).not.toBe(0);
      expect(pid).not.toBe(before);
      const rows = await session.request(['ls']);
      expect(JSON.stringify(rows.data)).toContain(FAR);
    } finally {
      session.dispose();
    }
  }, 60_000);

  it('kill-server stops the far server, and a second one says none runs instead of starting one first', async () => {
    const pid = far.serverPid();
    expect(pid).toBeDefined();
    const r = await local.umux(['--host', 'b', 'kill-server']);
    expect(r.code, r.stderr).toBe(0);
    await waitUntil('the far server to stop', () => (far.serverPid() === undefined ? true : undefined), 10_000);
    const again = await local.umux(['--host', 'b', 'kill-server']);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/no umux server is running/);
    expect(far.serverPid()).toBeUndefined();
  });
});
