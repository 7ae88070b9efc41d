// A shared server for a hosting host (issue 17), as root, with two customers made by the test: alice (read-write
// and some commands on web1, which runs as her) and bob (read-only on what runs as him, db1). Each reaches only
// their own socket; every escape attempt is kept here and must be refused with one line, the guests undisturbed.

import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UmuxWorld, waitUntil } from '../helpers/server.js';
import { ensureLoginUser, otherUserSkip, type OtherUser } from '../helpers/other-user.js';
import { probeAs, umuxAs } from '../helpers/customer.js';
import { hasTmux, shellQuote, TmuxTerminal } from '../helpers/tmux.js';
import { UMUX_BIN } from '../helpers/run-tool.js';

const ALICE = 'umux-t-alice';
const BOB = 'umux-t-bob';

function policy(aliceToo: boolean, aliceConsole = 'read-write'): string {
  const alice = `[[grant]]\nusers = ["${ALICE}"]\nguests = ["web1"]\nconsole = "${aliceConsole}"\ncommands = ["sysrq s", "pause", "go"]\n\n`;
  const bob = `[[grant]]\nusers = ["${BOB}"]\nowned = true\nconsole = "read-only"\n`;
  return (aliceToo ? alice : '') + bob;
}

describe.skipIf(otherUserSkip())('a shared server and its customers', () => {
  let world: UmuxWorld;
  let hosting: string;
  let alice: OtherUser & { home: string };
  let bob: OtherUser & { home: string };
  const shared = (args: string[]) => ['--shared', '--hosting-dir', hosting, ...args];
  const asAlice = (args: string[], env: NodeJS.ProcessEnv = {}) => umuxAs(alice, shared(args), { env });
  const writePolicy = (text: string) => {
    const file = path.join(world.configDir, 'policy.toml');
    fs.writeFileSync(`${file}.new`, text, { mode: 0o644 });
    fs.renameSync(`${file}.new`, file);
  };

  beforeAll(async () => {
    alice = ensureLoginUser(ALICE);
    bob = ensureLoginUser(BOB);
    world = new UmuxWorld({ UMUX_POLICY_POLL_MS: '200' });
    hosting = world.env['UMUX_HOSTING_DIR']!;
    fs.chmodSync(world.dir, 0o755);
    writePolicy(policy(true));
    world.define('web1', `user = "${ALICE}"\nconsoles = 0\nserials = 0\n`, { root: { consoleGetty: true } });
    world.define('db1', `user = "${BOB}"\nconsoles = 0\nserials = 0\n`, { root: { consoleGetty: true } });
    await world.ok(['start', 'web1']);
    await world.ok(['start', 'db1']);
    for (const g of ['web1', 'db1']) await waitUntil(`${g}'s shell`, () => (fs.existsSync(path.join(world.stateDir, 'logs', g, 'con0.log')) && world.logText(g).includes('# ') ? true : undefined), 20_000);
  }, 90_000);

  afterAll(async () => {
    await world?.dispose();
  });

  it('answers MConsole of a guest that runs as its customer (the admin, a root server)', async () => {
    // Before the reply-directory fix this timed out: the guest, run as alice, could not send to root's 0700 directory.
    const out = await world.ok(['mc', 'web1', 'version']);
    expect(out).toMatch(/\d+\.\d+/);
  });

  it("lists only the customer's own guests", async () => {
    const a = await asAlice(['ls', '--json']);
    expect(a.code, a.stderr).toBe(0);
    expect((JSON.parse(a.stdout) as { guests: Array<{ name: string; dir?: string }> }).guests.map((g) => g.name)).toEqual(['web1']);
    expect(a.stdout).not.toContain(world.configDir);
    const b = await umuxAs(bob, shared(['ls', '--json']));
    expect((JSON.parse(b.stdout) as { guests: Array<{ name: string }> }).guests.map((g) => g.name)).toEqual(['db1']);
  });

  it('runs a granted command (sysrq s) on her guest; reads its log and events, only hers', async () => {
    const r = await asAlice(['sysrq', 'web1', 's']);
    expect(r.code, r.stderr).toBe(0);
    const log = await asAlice(['log', 'web1', '--lines', '50']);
    expect(log.code, log.stderr).toBe(0);
    expect(log.stdout).toContain('INIT: up');
    const events = await asAlice(['events', '--json']);
    expect(events.code, events.stderr).toBe(0);
    const guestsOf = (JSON.parse(events.stdout) as Array<{ guest?: string }>).map((e) => e.guest);
    expect(guestsOf.length).toBeGreaterThan(0);
    expect(guestsOf.every((g) => g === 'web1')).toBe(true);
    const other = await asAlice(['log', 'db1']);
    expect(other.stderr.split('\n')[0]).toBe('umux: can\'t find guest: "db1"');
  });

  it('lets her attach, type and see the echo; the feed shows her guest only', async () => {
    const lines = await probeAs(alice, hosting, [
      { attach: 'web1', readOnly: false, type: 'echo typed-$((6*7))\n', expect: 'typed-42' },
      { subscribe: true, waitMs: 500 },
    ]);
    expect(lines[0]).toMatchObject({ attach: 'web1', readOnly: false, found: true });
    expect(lines[1]).toMatchObject({ subscribe: true, guests: ['web1'] });
    expect((lines[1]!['events'] as string[]).every((g) => g === 'web1')).toBe(true);
  });

  it('tells her of the admin on her console only as "another client" (no name, no pid)', async () => {
    const admin = await world.session();
    const watching = await admin.attach('web1', 'con0', { readOnly: true });
    try {
      const lines = await probeAs(alice, hosting, [{ attach: 'web1', readOnly: true, holdMs: 300 }]);
      const seen = lines.find((l) => l['others'] !== undefined)!;
      expect(seen['others']).toEqual([{ id: expect.any(Number), pid: 0, user: 'another client', readOnly: true }]);
      expect(JSON.stringify(lines)).not.toContain(String(process.pid));
      // Her arrival is told to the admin with her name (the admin sees everyone).
      const told: string[] = [];
      watching.onNotice((n) => told.push(n.text));
      await probeAs(alice, hosting, [{ attach: 'web1', readOnly: true, holdMs: 300 }]);
      await waitUntil('the admin told of alice', () => (told.some((t) => t.startsWith(`${ALICE} (pid`)) ? true : undefined), 5000);
    } finally {
      watching.dispose();
      admin.dispose();
    }
  });

  it("answers another customer's guest exactly as one that does not exist", async () => {
    const other = await asAlice(['sysrq', 'db1', 's']);
    const none = await asAlice(['sysrq', 'nosuch', 's']);
    expect(other.code).not.toBe(0);
    expect(other.stderr.replace('db1', 'X')).toBe(none.stderr.replace('nosuch', 'X'));
    expect(other.stderr).toContain("can't find guest");
    expect(other.stderr).not.toContain('db1,');
    const attach = await probeAs(alice, hosting, [{ attach: 'db1', readOnly: true }, { req: ['events', 'db1'] }, { req: ['boots', 'db1'] }]);
    for (const l of attach) expect(String(l['error'])).toMatch(/^can't find guest: "db1"$/);
  });

  it('refuses every command and escape it was not given, each in one line, the guests undisturbed', async () => {
    const attempts: string[][] = [
      ['halt', 'web1'], ['sysrq', 'web1', 'b'], ['kill-server'], ['remove', 'web1', 'ubdb'], ['config', 'web1', 'ubdb=/etc/shadow'],
      ['clean', 'web1'], ['mc', 'web1', 'halt'], ['mc', 'web1', 'config', 'ubdb=/etc/shadow'], ['host'], ['backup', 'web1', '--to', '/tmp/x'],
      ['sysrq', '../web1', 's'], ['sysrq', 'web1/../db1', 's'], ['sysrq', 'web1\u001b[2J', 's'], ['sysrq', 'web1\n', 's'], ['send', 'db1', 'id'],
      ['events', '../../etc'], ['sysrq', 'web1', 's', ...Array<string>(40).fill('x')], ['sysrq', 'x'.repeat(5000), 's'], ['mconsole', '/tmp/x'],
      ['server'], ['demo'], ['ls', '--uml-dir', '/tmp'],
    ];
    const lines = await probeAs(alice, hosting, attempts.map((req) => ({ req })));
    if (process.env['UMUX_SHOW_REFUSALS']) for (const l of lines) process.stderr.write(`${JSON.stringify(l)}\n`);
    expect(lines.length).toBe(attempts.length);
    for (const [i, l] of lines.entries()) {
      expect(l['error'], JSON.stringify(attempts[i]).slice(0, 80)).toBeTypeOf('string');
      expect(String(l['error'])).not.toContain('\n');
      expect(String(l['error'])).not.toContain('\u001b');
    }
    const ls = await world.ok(['ls', '--json']);
    const states = (JSON.parse(ls) as { guests: Array<{ name: string; state: string }> }).guests.map((g) => `${g.name}:${g.state}`);
    expect(states.sort()).toEqual(['db1:running', 'web1:running']);
  });

  it('refuses admin words and options at the CLI, whatever the environment says', async () => {
    for (const args of [['kill-server'], ['server'], ['demo'], ['mconsole', '/tmp/x', 'version'], ['login', 'web1']]) {
      const r = await asAlice(args);
      expect(r.code, args.join(' ')).not.toBe(0);
      expect(r.stderr.trim().split('\n')[0]).toMatch(/not allowed for a hosting customer/);
    }
    // Environment that would point a client elsewhere is dropped: still her guest from the shared server. (NODE_OPTIONS
    // acts before umux runs: sshd must not pass it, README "Hosting".)
    const r = await asAlice(['ls', '--json'], { UMUX_SOCKET_DIR: '/tmp/evil', XDG_RUNTIME_DIR: '/tmp/evil', UMUX_BIN: '/bin/sh' });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('web1');
  });

  it("cannot open another customer's socket (EACCES from the kernel)", async () => {
    const lines = await probeAs(alice, hosting, [{ connect: path.join(hosting, 'users', `${bob.uid}.sock`) }]);
    expect(lines[0]).toMatchObject({ error: 'EACCES' });
  });

  it('holds at most 16 connections of one customer, telling the next why', async () => {
    const socketPath = path.join(hosting, 'users', `${alice.uid}.sock`);
    const open = (): Promise<{ sock: net.Socket; said: () => string }> =>
      new Promise((resolve, reject) => {
        let text = '';
        const sock = net.createConnection(socketPath, () => resolve({ sock, said: () => text }));
        sock.on('data', (d: Buffer) => (text += d.toString('latin1')));
        sock.on('error', reject);
      });
    const held = [];
    try {
      for (let i = 0; i < 16; i++) held.push(await open());
      const extra = await open();
      held.push(extra);
      await waitUntil('the refusal', () => (extra.said().includes('too many connections') ? true : undefined), 5000);
      expect(extra.said()).toContain('a hosting customer holds at most 16 at once');
      expect(held[0]!.said()).toBe('');
    } finally {
      for (const h of held) h.sock.destroy();
    }
  });

  it('the ssh ForceCommand entry takes plain words only', async () => {
    const shell = (cmd: string) => umuxAs(alice, ['shell', '--hosting-dir', hosting], { env: { SSH_ORIGINAL_COMMAND: cmd } });
    const ok = await shell('ls');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('web1');
    const attacks = ['ls; sh', '$(id)', '`id`', 'ls && id', 'ls | sh', 'attach ../x', 'attach web1\nid', '--socket-dir /tmp/x ls', 'server', 'server --stdio x', 'umux server', 'demo',
      'mconsole /path', 'kill-server', 'login web1 --password-file /etc/shadow', 'ls > /tmp/f', 'x'.repeat(5000), 'log db1', 'sysrq db1 s', 'halt web1', 'backup web1 --to /tmp/x',
      'backup web1 --to x', '--socket-dir x ls', 'ls --socket-dir x', 'run web1 id', 'send db1 id', 'tui --read-only x', 'help; id', 'ls\u001b]52;c;aGk=\u0007'];
    for (const cmd of attacks) {
      const r = await shell(cmd);
      if (process.env['UMUX_SHOW_REFUSALS']) process.stderr.write(`${JSON.stringify(cmd.slice(0, 50))} -> ${r.stderr}`);
      expect(r.code, cmd.slice(0, 40)).not.toBe(0);
      expect(r.stderr.trim().split('\n').length, r.stderr).toBeLessThanOrEqual(2); // the line and its hint
      expect(r.stderr).toMatch(/^umux: /);
    }
    const extra = await umuxAs(alice, ['shell', '--hosting-dir', hosting, 'ls']);
    expect(extra.code).not.toBe(0);
  });

  it.skipIf(!hasTmux)('shows her the full-screen view of her guests only, and its : line refuses the rest', async () => {
    const cmd = `runuser -u ${ALICE} -- env -i PATH=/usr/bin:/bin HOME=${alice.home} TERM=xterm-256color LANG=C.UTF-8 ${shellQuote(process.execPath)} ${shellQuote(UMUX_BIN)} --shared --hosting-dir ${shellQuote(hosting)}`;
    const term = new TmuxTerminal(cmd, { width: 100, height: 24 });
    try {
      const screen = await term.waitFor(/1 attached/, 15_000);
      expect(screen).toContain('web1');
      expect(screen).not.toContain('db1');
      term.type('', 'C-]');
      term.type(':');
      await term.waitFor(/^:\s*$/m);
      term.type('halt web1', 'Enter');
      await term.waitFor(/Halt it\? \[y\/N\]/, 10_000);
      term.type('y', 'Enter');
      await term.waitFor(/the hosting policy does not allow it/, 10_000);
    } finally {
      term.dispose();
    }
  });

  it('bob attaches read-only: his typing is refused', async () => {
    const lines = await probeAs(bob, hosting, [{ attach: 'db1', readOnly: false, type: 'echo bob-was-here\n', holdMs: 1500 }]);
    const last = lines[lines.length - 1]!;
    expect(last).toMatchObject({ attach: 'db1', readOnly: true });
    expect((last['notices'] as string[]).join(' ')).toMatch(/read-only access/);
    expect(world.logText('db1')).not.toContain('bob-was-here');
  });

  it('a grant made read-only closes her typing attach; she may still watch', async () => {
    const probe = probeAs(alice, hosting, [{ attach: 'web1', readOnly: false, holdMs: 15_000 }]);
    await new Promise((r) => setTimeout(r, 1500));
    writePolicy(policy(true, 'read-only'));
    const lines = await probe;
    expect(lines[lines.length - 1]!['closed']).toBe("the hosting policy no longer gives you web1's console to type");
    const again = await probeAs(alice, hosting, [{ attach: 'web1', readOnly: false, type: 'echo nope\n', holdMs: 1000 }]);
    expect(again[again.length - 1]).toMatchObject({ readOnly: true, closed: '' });
    writePolicy(policy(true));
  });

  it("a revoked grant closes alice's open attach and removes her socket", async () => {
    const probe = probeAs(alice, hosting, [{ attach: 'web1', readOnly: false, holdMs: 15_000 }]);
    await new Promise((r) => setTimeout(r, 1500));
    writePolicy(policy(false));
    const lines = await probe;
    if (process.env['UMUX_SHOW_REFUSALS']) process.stderr.write(`${JSON.stringify(lines)}\n`);
    const last = lines[lines.length - 1]!;
    expect(String(last['closed'])).toMatch(/hosting policy|closed|server/);
    await waitUntil('her socket gone', () => (!fs.existsSync(path.join(hosting, 'users', `${alice.uid}.sock`)) ? true : undefined), 5000);
    const r = await asAlice(['ls']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('no socket for you');
  });

  it('refuses a policy someone else could write: it grants nothing until put right', async () => {
    const file = path.join(world.configDir, 'policy.toml');
    const bobSocket = path.join(hosting, 'users', `${bob.uid}.sock`);
    expect(fs.existsSync(bobSocket)).toBe(true);
    fs.chownSync(file, alice.uid, alice.gid);
    await waitUntil("bob's socket gone", () => (!fs.existsSync(bobSocket) ? true : undefined), 5000);
    expect(fs.readFileSync(path.join(world.stateDir, 'server.log'), 'utf8')).toMatch(/hosting policy not used, so nobody is granted anything: .*policy.toml: hosting policy refused: owned by uid \d+, not by the server's user/);
    fs.chownSync(file, 0, 0);
    await waitUntil("bob's socket back", () => (fs.existsSync(bobSocket) ? true : undefined), 5000);
  });
});
