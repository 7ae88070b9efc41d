// The hosting customer over a real sshd (issue 17 item 4): README "Hosting"'s sshd_config lines with ForceCommand
// `umux shell`, alice's commands and attacks as ssh sends them, her full-screen view over `ssh -t`, and her own
// umux reaching her guests with `umux --host` (the bridge is the one line the ForceCommand lets through whole).

import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UmuxWorld, waitUntil } from '../helpers/server.js';
import { ensureLoginUser, otherUserSkip } from '../helpers/other-user.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { runTool } from '../helpers/run-tool.js';
import { TestSshd } from '../helpers/sshd.js';
import { hasTmux, shellQuote, TmuxTerminal } from '../helpers/tmux.js';

const ALICE = 'umux-t-alice';

describe.skipIf(otherUserSkip() || !hasTmux)('a hosting customer over a real sshd', () => {
  let world: UmuxWorld;
  let sshd: TestSshd;
  const ssh = (cmd: string) => spawnSync('ssh', sshd.sshArgv(ALICE, cmd), { encoding: 'utf8', timeout: 20_000 });

  beforeAll(async () => {
    const alice = ensureLoginUser(ALICE);
    world = new UmuxWorld({ UMUX_POLICY_POLL_MS: '200' });
    fs.chmodSync(world.dir, 0o755);
    fs.writeFileSync(path.join(world.configDir, 'policy.toml'), `[[grant]]\nusers = ["${ALICE}"]\nowned = true\nconsole = "read-write"\ncommands = ["sysrq s"]\n`, { mode: 0o644 });
    world.define('web1', `user = "${ALICE}"\nconsoles = 0\nserials = 0\n`, { root: { consoleGetty: true } });
    world.define('db1', 'consoles = 0\nserials = 0\n');
    await world.ok(['start', 'web1']);
    await world.ok(['start', 'db1']);
    await waitUntil("web1's shell", () => (world.logText('web1').includes('# ') ? true : undefined), 20_000);
    sshd = await TestSshd.start({
      users: [alice.name],
      extraConfig: [
        'PermitUserEnvironment no',
        `Match User ${alice.name}`,
        `    ForceCommand ${process.execPath} ${UMUX_BIN} shell --hosting-dir ${world.env['UMUX_HOSTING_DIR']}`,
        '    PermitTTY yes', '    DisableForwarding yes', '    AllowTcpForwarding no', '    AllowStreamLocalForwarding no',
        '    AllowAgentForwarding no', '    X11Forwarding no', '    PermitTunnel no', '    PermitUserRC no',
      ],
    });
  }, 90_000);

  afterAll(async () => {
    await sshd?.dispose();
    await world?.dispose();
  });

  it('runs her commands and refuses the rest, each in one line', () => {
    const ls = ssh('ls');
    expect(ls.status, ls.stderr).toBe(0);
    expect(ls.stdout).toContain('web1');
    expect(ls.stdout).not.toContain('db1');
    expect(ssh('sysrq web1 s').stdout).toContain('Emergency Sync');
    const refusals: Record<string, RegExp> = {
      'sysrq db1 s': /can't find guest: "db1"/,
      'ls; sh': /the character ";"/,
      '$(id)': /the character "\$"/,
      'attach ../x': /the character "\/"/,
      'mconsole /path': /the character "\/"/,
      server: /"server": not allowed/,
      'server --stdio --json': /"server": not allowed/,
      demo: /"demo": not allowed/,
      'kill-server': /"kill-server": not allowed/,
      'halt web1': /"halt web1": the hosting policy does not allow it/,
    };
    for (const [cmd, why] of Object.entries(refusals)) {
      const r = ssh(cmd);
      expect(r.status, cmd).not.toBe(0);
      expect(r.stderr.split('\n')[0], cmd).toMatch(why);
    }
  });

  it('gives her the full-screen view of her guest over ssh -t', async () => {
    const term = new TmuxTerminal(`ssh -F ${shellQuote(sshd.clientConfig)} -t ${ALICE}@127.0.0.1`, { width: 100, height: 24, env: { TERM: 'xterm-256color' } });
    try {
      const screen = await term.waitFor(/1 attached/, 20_000);
      expect(screen).toContain('web1');
      expect(screen).not.toContain('db1');
    } finally {
      term.dispose();
    }
  });

  it('lets her own umux reach her guests with --host (the bridge), and nothing more', async () => {
    const home = fs.mkdtempSync(path.join(world.dir, 'laptop-'));
    fs.mkdirSync(path.join(home, 'config'));
    fs.writeFileSync(path.join(home, 'config', 'hosts.toml'), `[[host]]\nname = "box"\nssh = "${ALICE}@127.0.0.1"\nssh_config = "${sshd.clientConfig}"\n`);
    // Her laptop: a umux of its own (its own socket and config directories), nothing of the host's.
    const env = { ...process.env, HOME: home, UMUX_SOCKET_DIR: path.join(home, 'sock'), UMUX_CONFIG_DIR: path.join(home, 'config'), UMUX_STATE_DIR: path.join(home, 'state') };
    const umux = async (...args: string[]) => {
      const r = await runTool(process.execPath, [UMUX_BIN, '--host', 'box', ...args], { env, timeoutMs: 30_000 });
      return { code: r.code, stdout: String(r.stdout), stderr: String(r.stderr) };
    };
    const ls = await umux('ls');
    expect(ls.code, ls.stderr).toBe(0);
    expect(ls.stdout).toContain('web1');
    expect(ls.stdout).not.toContain('db1');
    const sync = await umux('sysrq', 'web1', 's');
    expect(sync.stdout).toContain('Emergency Sync');
    for (const [args, why] of [[['halt', 'web1', '--yes'], /the hosting policy does not allow it/], [['sysrq', 'db1', 's'], /can't find guest: "db1"/], [['kill-server'], /"kill-server": the hosting policy does not allow it/]] as const) {
      const r = await umux(...args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr.split('\n')[0], args.join(' ')).toMatch(why);
    }
    expect(await world.ok(['ls'])).toMatch(/web1\s+running/);
  });
});
