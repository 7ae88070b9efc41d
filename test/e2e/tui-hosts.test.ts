// The TUI over two hosts in a real terminal (tmux): two host users made by the test, each with a guest: hostb's run
// by the admin's root server here, hosta's by hosta's own server reached over a real sshd on 127.0.0.1 (hosts.toml). The sidebar groups them by host; the far guest attaches and
// echoes, and a `:` command runs on it; when the far host goes away (sshd stopped, the ssh link killed) its header
// says why while the local guest still works, and it comes back once sshd is back; the host meters follow the
// focused guest's host. One guest a host.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/ports.js';
import { ensureLoginUser, otherUserSkip } from '../helpers/other-user.js';
import { hostsToml, RemoteHost, writeHostsToml } from '../helpers/remote-host.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { processesMentioning, UmuxWorld, waitUntil } from '../helpers/server.js';
import { hasSshd, TestSshd } from '../helpers/sshd.js';
import { hasTmux, shellQuote, TmuxTerminal } from '../helpers/tmux.js';
import { umlSkip } from '../helpers/uml.js';

const sidebarOf = (screen: string) => screen.split('\n').map((l) => [...l].slice(0, 26).join('')).join('\n');
const skip = umlSkip() || otherUserSkip() || ((!hasSshd || !hasTmux) && process.env.CI !== 'true');

describe.skipIf(skip)('the TUI over two hosts', () => {
  let sshd: TestSshd;
  let far: RemoteHost;
  let local: UmuxWorld;
  let term: TmuxTerminal;
  const prefix = (key: string) => {
    term.type('', 'C-]');
    term.type(key);
  };
  const command = async (line: string) => {
    prefix(':');
    await term.waitFor(/^:\s*$/m);
    term.type(line, 'Enter');
  };

  beforeAll(async () => {
    far = new RemoteHost('umux-t-hosta');
    far.define('far1');
    far.handOver();
    sshd = await TestSshd.start({ users: [far.user.name] });
    local = new UmuxWorld();
    // The local guest runs as the second host user (a root server runs a `user =` guest as that user).
    const hostb = ensureLoginUser('umux-t-hostb');
    fs.chmodSync(local.dir, 0o755);
    local.define('near1', `user = "${hostb.name}"\n`);
    // A second far host that never answers (nothing listens on its port): shown, never in the way.
    const deadConfig = path.join(local.dir, 'ssh_config_dead');
    fs.writeFileSync(deadConfig, fs.readFileSync(sshd.clientConfig, 'utf8').replace(/Port \d+/, `Port ${await freePort()}`));
    writeHostsToml(local, `${hostsToml(sshd, [{ name: 'b', remote: far, timeoutS: 3 }])}\n\n[[host]]\nname = "dead"\nssh = "${far.user.name}@127.0.0.1"\nssh_config = "${deadConfig}"\nconnect_timeout = 2\n`);
    const [a, b] = await Promise.all([local.umux(['start', 'near1']), local.umux(['--host', 'b', 'start', 'far1'])]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    await local.waitForShell('near1');
    await waitUntil('far1\'s shell', () => (far.world.logText('far1').includes('/ # ') ? true : undefined), 30_000);
    const env = { UMUX_SOCKET_DIR: local.socketDir, UMUX_STATE_DIR: local.stateDir, UMUX_CONFIG_DIR: local.configDir, UMUX_UML_DIRS: local.handDir, TERM: 'xterm-256color', LANG: 'C.UTF-8' };
    term = new TmuxTerminal(`${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)} tui; echo EXIT=$?`, { width: 100, height: 30, env });
  }, 120_000);

  afterAll(async () => {
    term?.dispose();
    await far?.dispose();
    await local?.dispose();
    await sshd?.dispose();
  });

  it('groups both hosts\' guests by host: the local one and the far user\'s, named NAME@HOST', async () => {
    const side = sidebarOf(await term.waitFor(/far1@b/, 20_000));
    expect(side).toMatch(/── local 1 ─/);
    expect(side).toMatch(/── b 1 ─/);
    expect(side.indexOf('near1')).toBeLessThan(side.indexOf('── b'));
    expect(side.indexOf('far1@b')).toBeGreaterThan(side.indexOf('── b'));
    expect(side).toMatch(/RUN\s+far1@b/);
    // Both users' guests, each under its owner: the admin's ls here says near1 is hostb's, b's says far1 is hosta's.
    expect((await local.ok(['ls'])).split('\n').find((l) => l.includes('near1'))).toContain('umux-t-hostb');
    expect((await local.ok(['--host', 'b', 'ls'])).split('\n').find((l) => l.includes('far1'))).toContain('umux-t-hosta');
    // The host that cannot be reached: its header, and why under it (ssh's words), after the reachable ones.
    const dead = sidebarOf(await term.waitFor(/Connection refused/, 15_000));
    expect(dead).toMatch(/── dead 0 ─+│\n│unreachable, retry \d+ s +│\n│Connection refused +│/);
  });

  it('attaches to the far guest, whose echo comes back over ssh, and runs a : command on it', async () => {
    await command('goto far1@b');
    await term.waitFor(/far1@b:con0/);
    // The meters at the sidebar's foot follow the focused guest's host.
    await term.waitFor(/│─ host b ─+│/);
    term.type('', 'Enter');
    await term.waitFor('/ #');
    term.type('echo remote-$((3*4))', 'Enter');
    await term.waitFor('remote-12');
    expect(far.world.logText('far1')).toContain('remote-12');
    await command('send far1@b echo sent-$((2*8))');
    // The reply (bytes sent) opens over the pane; closed, the pane shows what the far shell made of it.
    await term.waitFor(/"bytes": 19/);
    term.type('q');
    await term.waitFor('sent-16');
  }, 40_000);

  it('shows a far host that went away as unreachable with the reason, the local guest still works, and it comes back', async () => {
    await sshd.stop();
    for (const pid of processesMentioning(`${sshd.clientConfig}\0`)) process.kill(pid, 'SIGKILL');
    await waitUntil('b unreachable', () => (/── b 0 ─+│\n│unreachable, retry \d+ s +│\n│Connection refused/.test(sidebarOf(term.screen())) ? true : undefined), 15_000);
    expect(sidebarOf(term.screen())).not.toContain('far1@b');
    // The pane that showed far1@b stays; a split pane shows the local guest, which works as before.
    prefix('s');
    await term.waitFor(/near1:con0/);
    await term.waitFor(/│─ host ─+│/);
    term.type('', 'Enter');
    term.type('echo local-$((9*9))', 'Enter');
    await term.waitFor('local-81');
    await waitUntil('local-81 in near1\'s log', () => (local.logText('near1').includes('local-81') ? true : undefined), 5000);
    await sshd.restart();
    await waitUntil('far1@b back in the sidebar', () => {
      const s = sidebarOf(term.screen());
      return s.includes('far1@b') && !/── b 0/.test(s) ? true : undefined;
    }, 20_000);
    // The first pane attached again by itself: typed into, it echoes from the far guest.
    prefix('o');
    term.type('', 'Enter');
    term.type('echo back-$((6*6))', 'Enter');
    await term.waitFor('back-36');
    // Typed into the far guest, not the local one: its console log has it.
    await waitUntil('back-36 in far1\'s log', () => (far.world.logText('far1').includes('back-36') ? true : undefined), 5000);
    expect(local.logText('near1')).not.toContain('back-36');
  }, 60_000);
});
