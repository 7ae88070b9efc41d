// Issue 9, attacks by another local user and bad paths, on the real CLI and server: a socket directory planted
// by someone else (with a listener, a linked start log, at the default path), a planted umid directory naming a
// root process, and /proc paths that used to hang the server for good.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { processExists } from '../../src/guests/process-group.js';
import { ensureUser, otherUserSkip, runAs, sharedTempDir, startAs, type OtherUser } from '../helpers/other-user.js';
import { runTool, UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';
import { umlSkip } from '../helpers/uml.js';

/** The attacker's listener: makes DIR (theirs), listens on DIR/server.sock and writes whatever arrives to DIR/heard. */
const IMPOSTOR = `
import fs from 'node:fs';
import net from 'node:net';
const dir = process.argv[2];
fs.mkdirSync(dir, { mode: 0o755 });
const srv = net.createServer((c) => {
  fs.appendFileSync(dir + '/heard', 'connection\\n');
  c.on('data', (d) => fs.appendFileSync(dir + '/heard', d));
});
srv.listen(dir + '/server.sock', () => {
  fs.chmodSync(dir + '/server.sock', 0o777);
  console.log('listening');
});
`;

function waitForLine(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no "${line}" from the script: ${out}`)), 10_000);
    const on = (d: Buffer) => {
      out += d.toString();
      if (out.includes(line)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', on);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(otherUserSkip())('another local user plants the socket directory', () => {
  let evil: OtherUser;
  let victim: OtherUser;
  const children: ChildProcess[] = [];
  const cleanup: string[] = [];
  beforeAll(() => {
    evil = ensureUser('umux-t-evil');
    victim = ensureUser('umux-t-victim');
  });
  afterEach(() => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    for (const d of cleanup.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('umux send refuses a directory another user made, and the listener there hears nothing', async () => {
    const dir = path.join(os.tmpdir(), `umx-plant-${process.pid}-${Date.now()}`);
    cleanup.push(dir);
    const impostor = startAs(evil, IMPOSTOR, [dir]);
    children.push(impostor);
    await waitForLine(impostor, 'listening');
    const state = sharedTempDir('umx-st-');
    cleanup.push(state);
    const r = await runTool(process.execPath, [UMUX_BIN, 'send', 'web1', 'S3cretRootPassw0rd'], {
      env: { ...process.env, UMUX_SOCKET_DIR: dir, UMUX_STATE_DIR: state, UMUX_CONFIG_DIR: state },
      timeoutMs: 15_000,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr.toString()).toContain(`socket directory ${dir} belongs to uid ${evil.uid}`);
    expect(r.stderr.toString()).not.toMatch(/at .*\.js:\d+/); // one line and a hint, no stack
    await sleep(200);
    expect(fs.existsSync(path.join(dir, 'heard'))).toBe(false);
  });

  it('a start log linked to a victim file is never written through', async () => {
    const dir = path.join(os.tmpdir(), `umx-plant-${process.pid}-${Date.now()}`);
    cleanup.push(dir);
    const precious = path.join(sharedTempDir('umx-victim-'), 'precious');
    cleanup.push(path.dirname(precious));
    fs.writeFileSync(precious, 'precious\n', { mode: 0o600 });
    const planted = await runAs(evil, `import fs from 'node:fs'; const d = process.argv[2]; fs.mkdirSync(d, { mode: 0o777 }); fs.chmodSync(d, 0o777); fs.symlinkSync(process.argv[3], d + '/server.start.log'); console.log('planted');`, [dir, precious]);
    expect(planted.out).toContain('planted');
    const state = sharedTempDir('umx-st-');
    cleanup.push(state);
    const r = await runTool(process.execPath, [UMUX_BIN, 'ls'], {
      env: { ...process.env, UMUX_SOCKET_DIR: dir, UMUX_STATE_DIR: state, UMUX_CONFIG_DIR: state },
      timeoutMs: 15_000,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr.toString()).toContain(`socket directory ${dir} belongs to uid ${evil.uid}`);
    expect(fs.readFileSync(precious, 'utf8')).toBe('precious\n');
    expect(fs.existsSync(path.join(dir, 'server.sock'))).toBe(false);
  });

  it('at the default path (/tmp/umux-UID, no XDG_RUNTIME_DIR) the victim refuses the planted directory', async () => {
    const dir = `/tmp/umux-${victim.uid}`;
    fs.rmSync(dir, { recursive: true, force: true });
    cleanup.push(dir);
    const impostor = startAs(evil, IMPOSTOR, [dir]);
    children.push(impostor);
    await waitForLine(impostor, 'listening');
    const home = sharedTempDir('umx-home-');
    cleanup.push(home);
    fs.chownSync(home, victim.uid, victim.gid);
    const r = await runAs(victim, `await import(${JSON.stringify(UMUX_BIN)});`, ['send', 'web1', 'S3cretRootPassw0rd'], { env: { HOME: home } });
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toContain(`socket directory ${dir} belongs to uid ${evil.uid}`);
    await sleep(200);
    expect(fs.existsSync(path.join(dir, 'heard'))).toBe(false);
  });
});

describe.skipIf(otherUserSkip() || umlSkip())('a root server and what others plant or name', () => {
  let world: UmuxWorld;
  let evil: OtherUser;
  let victimProc: ChildProcess;
  beforeAll(async () => {
    evil = ensureUser('umux-t-evil');
    world = new UmuxWorld({ UMUX_PING_MS: '500' });
    fs.chmodSync(world.dir, 0o755);
    fs.chmodSync(world.handDir, 0o1777); // like /tmp/uml, which umux watches by default
    await world.ok(['ls']);
  });
  afterAll(async () => {
    victimProc?.kill('SIGKILL');
    await world.dispose();
  });

  it('a umid directory whose pid file names a root process is not adopted, and kill, stop and clean spare that process', async () => {
    // A root process leading its own process group, as a UML kernel would.
    victimProc = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' });
    const pid = victimProc.pid!;
    const planted = await runAs(evil, `import fs from 'node:fs'; const d = process.argv[2] + '/planted'; fs.mkdirSync(d); fs.writeFileSync(d + '/pid', process.argv[3] + '\\n'); console.log('planted');`, [world.handDir, String(pid)]);
    expect(planted.out).toContain('planted');
    const g = await waitUntil('planted listed', async () => {
      const guests = (JSON.parse(await world.ok(['ls', '--json'])) as { guests: Array<{ name: string; state: string; pid: number | null }> }).guests;
      return guests.find((x) => x.name === 'planted');
    });
    expect(g.pid).toBeNull();
    expect(g.state).toBe('stale');
    const events = await world.ok(['events', 'planted']);
    expect(events).toContain(`pid ${pid} runs as uid 0 but ${path.join(world.handDir, 'planted')} belongs to uid ${evil.uid}`);
    for (const args of [['kill', 'planted', '--yes'], ['kill', '--hard', 'planted', '--yes']]) {
      const r = await world.umux(args);
      expect(r.code, `umux ${args.join(' ')}`).not.toBe(0);
      expect(r.stderr.toString()).toContain('planted is stale: no process to talk to');
      expect(processExists(pid), `after umux ${args.join(' ')}`).toBe(true);
    }
    const stop = await world.umux(['stop', 'planted', '--force']);
    expect(stop.stdout.toString() + stop.stderr.toString()).toContain('not running');
    expect(processExists(pid)).toBe(true);
    const clean = await world.umux(['clean', 'planted']);
    expect(clean.code, clean.stderr.toString()).toBe(0);
    await sleep(300);
    expect(processExists(pid)).toBe(true);
    expect(fs.existsSync(path.join(world.handDir, 'planted'))).toBe(false);
  });

  it('a console line naming another user\'s terminal is not held (the device must belong to the guest\'s user)', async () => {
    // Another user's terminal (their ssh session, say), and a "guest" of root's with umid= on its command line whose
    // MConsole socket answers config con1 with that terminal. Reading it would show root what that user types.
    const pty = startAs(evil, 'import { spawn } from "node:child_process"; spawn("python3", ["-c", "import os,pty,time; m,s=pty.openpty(); print(os.ttyname(s), flush=True); time.sleep(120)"], { stdio: ["ignore", "inherit", "inherit"] });');
    const userPts = await new Promise<string>((resolve) => pty.stdout!.once('data', (d: Buffer) => resolve(d.toString().trim())));
    expect(fs.statSync(userPts).uid).toBe(evil.uid);
    const dist = path.resolve(__dirname, '../../dist');
    const fake = startAs({ name: 'root', uid: 0, gid: 0 }, `
      import fs from 'node:fs';
      const { DgramSocket } = await import(${JSON.stringify(`${dist}/mconsole/dgram-socket.js`)});
      const { decodeRequest, encodeReplyPackets } = await import(${JSON.stringify(`${dist}/protocol/mconsole-codec.js`)});
      const [dir, pts] = process.argv.slice(2);
      fs.mkdirSync(dir);
      const sock = DgramSocket.bind(dir + '/mconsole');
      fs.chmodSync(dir + '/mconsole', 0o777);
      sock.onDatagram((d) => {
        const cmd = decodeRequest(d.bytes).command;
        const reply = cmd === 'config con1' ? 'pts:' + pts : cmd.startsWith('config ') ? 'none' : 'OK';
        if (d.from) for (const p of encodeReplyPackets(0, reply)) void sock.send(p, d.from).catch(() => {});
      });
      fs.writeFileSync(dir + '/pid', String(process.pid) + '\\n');
      console.log('ready');
    `, [path.join(world.handDir, 'evilg'), userPts, 'umid=evilg', 'con1=pts']);
    try {
      await waitForLine(fake, 'ready');
      const line = await waitUntil('evilg con1 looked at', async () => {
        const guests = (JSON.parse(await world.ok(['ls', '--json'])) as { guests: Array<{ name: string; consoles: Array<{ name: string; status?: string; note?: string }> }> }).guests;
        return guests.find((g) => g.name === 'evilg')?.consoles.find((c) => c.name === 'con1');
      });
      expect(line.status).toBe('unusable');
      expect(line.note).toContain(`${userPts} (con1 of evilg) belongs to uid ${evil.uid}, not to the guest's user (uid 0): not held`);
      expect(await world.ok(['events', 'evilg'])).not.toContain(`holding ${userPts}`);
    } finally {
      fake.kill('SIGKILL');
      pty.kill('SIGKILL');
      spawn('pkill', ['-u', evil.name, 'python3']);
    }
  });

  it('a definition with uml_dir under /proc fails at once instead of hanging the server', async () => {
    world.define('procdir', `mem = "64M"\numl_dir = "/proc/umux-nowhere/uml"\nhostfs_root = "${world.root()}"\n`, { raw: true });
    const t0 = Date.now();
    const r = await world.umux(['start', 'procdir'], { timeoutMs: 20_000 });
    expect(r.code).not.toBe(0);
    expect(r.stderr.toString()).toContain('cannot create uml_dir /proc/umux-nowhere/uml');
    expect(Date.now() - t0).toBeLessThan(10_000);
    const t1 = Date.now();
    const ls = await world.umux(['ls'], { timeoutMs: 5_000 });
    expect(ls.code, ls.stderr.toString()).toBe(0);
    expect(Date.now() - t1).toBeLessThan(1_000 + 500); // node start included
    fs.rmSync(path.join(world.configDir, 'procdir.toml'));
  });

  it('backup --to a /proc path fails at once, and the guest keeps running unpaused', async () => {
    const disk = path.join(world.dir, 'data.img');
    fs.writeFileSync(disk, '');
    fs.truncateSync(disk, 4 * 1024 * 1024);
    world.define('bk', `disks = ["ubdb=${disk}"]\n`);
    await world.ok(['start', 'bk']);
    const t0 = Date.now();
    const r = await world.umux(['backup', 'bk', '--to', '/proc/umux-x/y'], { timeoutMs: 20_000 });
    expect(r.code).not.toBe(0);
    expect(r.stderr.toString()).toContain('cannot create backup directory /proc/umux-x/y');
    expect(Date.now() - t0).toBeLessThan(10_000);
    const ls = await world.umux(['ls', '--json'], { timeoutMs: 5_000 });
    expect(ls.code).toBe(0);
    const bk = (JSON.parse(ls.stdout.toString()) as { guests: Array<{ name: string; state: string }> }).guests.find((x) => x.name === 'bk');
    expect(bk?.state).toBe('running');
    await world.ok(['stop', 'bk', '--force']);
  });
});
