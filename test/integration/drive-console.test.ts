// Consoles scripts can drive (issue 15 item 4), on one real guest: con0 asks login: (an account with a password),
// con1 is a shell. umux run prints uname -r, umux wait finds output or times out, umux login works and is refused,
// and the password never shows in argv, umux's logs or the console log.

import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';
import { EXIT } from '../../src/core/exit-codes.js';

const PASSWORD = 'Tr0ub4dor-drive-7';

/** Every file under dir (recursively) whose bytes hold `text`. */
function filesHolding(dir: string, text: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).flatMap((e) => {
    if (!e.isFile()) return [];
    const p = path.join(e.parentPath, e.name);
    return fs.readFileSync(p).includes(text) ? [p] : [];
  });
}

describe.skipIf(umlSkip())('umux wait, run and login on a real guest', () => {
  let world: UmuxWorld;
  let release = '';

  beforeAll(async () => {
    world = new UmuxWorld();
    world.define('dc', 'consoles = 1\nserials = 0\nargs = ["umux_guest=dc"]\n', {
      root: { consoleLogin: true, gettys: ['tty1'], users: [{ name: 'alice', password: PASSWORD }] },
    });
    await world.ok(['start', 'dc']);
    await waitUntil('con0 login: and the con1 shell', () => {
      try {
        return world.logText('dc').includes('login:') && world.logText('dc', 'con1').includes('# ') ? true : undefined;
      } catch {
        return undefined;
      }
    }, 60_000);
    release = /INIT: up (\S+)/.exec(world.logText('dc'))![1]!;
  }, 90_000);
  afterAll(async () => {
    await world?.dispose();
  });

  it('run prints what uname -r printed: the guest kernel release, the one linux --version names', async () => {
    const r = await world.umux(['run', 'dc:con1', 'uname -r']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe(`${release}\n`);
    const hostSays = execFileSync('linux', ['--version'], { encoding: 'utf8' }).trim();
    expect(release.startsWith(hostSays)).toBe(true);
  });

  it('run strips the echo of a command longer than the console is wide, and gives JSON', async () => {
    const word = 'x'.repeat(150);
    const r = await world.umux(['run', 'dc:con1', `echo ${word} | wc -c; echo two`]);
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('151\ntwo\n');
    const j = await world.umux(['run', '--json', 'dc:con1', 'echo one; echo two']);
    expect(j.code).toBe(0);
    const doc = JSON.parse(j.stdout.toString()) as { guest: string; console: string; command: string; output: string; prompt: string };
    expect(doc).toMatchObject({ guest: 'dc', console: 'con1', command: 'echo one; echo two', output: 'one\ntwo\n' });
    expect(doc.prompt).toMatch(/# $/);
  });

  it('run of a command with much output prints every line, in order', async () => {
    const r = await world.umux(['run', 'dc:con1', 'seq 1 20000']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.toString()).toBe(Array.from({ length: 20000 }, (_, i) => `${i + 1}\n`).join(''));
  });

  it('wait finds a line printed after it started, and prints it', async () => {
    await world.ok(['send', 'dc:con1', 'sleep 2; echo marker-$((40+2))']);
    const r = await world.umux(['wait', 'dc:con1', 'marker-\\d+']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.toString()).toBe('marker-42\n');
  });

  it('wait times out on text already shown unless --recent lets it count', async () => {
    await world.ok(['run', 'dc:con1', 'echo shown-$((6*7))']);
    const r = await world.umux(['wait', '-t', '1500', 'dc:con1', 'shown-42']);
    expect(r.code).toBe(EXIT.timeout);
    expect(r.stdout.toString()).toBe('');
    expect(r.stderr).toMatch(/^umux: dc:con1: waited 1[5-9]\d\d ms for \/shown-42\/; the last line it showed: "\/ # "\n/);
    const recent = await world.umux(['wait', '--recent', '5', '--json', 'dc:con1', '^shown-(\\d+)$']);
    expect(recent.code).toBe(0);
    expect(JSON.parse(recent.stdout.toString())).toMatchObject({ guest: 'dc', console: 'con1', line: 'shown-42' });
  });

  it('wait --json on a timeout: the error as JSON on stderr with exit 4', async () => {
    const r = await world.umux(['wait', '--json', '-t', '500', 'dc:con1', 'never-printed']);
    expect(r.code).toBe(EXIT.timeout);
    const err = JSON.parse(r.stderr) as { error: { code: string; message: string }; exit: number };
    expect(err.error.code).toBe('timeout');
    expect(err.error.message).toContain('/never-printed/');
    expect(err.exit).toBe(EXIT.timeout);
  });

  it('run times out while the command runs on, exit 4', async () => {
    const r = await world.umux(['run', '-t', '800', 'dc:con1', 'sleep 2']);
    expect(r.code).toBe(EXIT.timeout);
    expect(r.stderr).toMatch(/^umux: dc:con1: waited \d+ ms for the prompt \/\[#\$\] \$\/ after typing "sleep 2"; the last line it showed: /);
    await world.ok(['wait', '--recent', '1', 'dc:con1', '# $']); // the prompt back for the next case
  });

  it('run on a console that shows login: types nothing and says so (exit 1)', async () => {
    const r = await world.umux(['run', 'dc', 'id -un']);
    expect(r.code).toBe(EXIT.failed);
    expect(r.stderr).toMatch(/^umux: dc:con0 shows ".*login: ", not a shell prompt: nothing typed\n  hint: log in first: umux login dc:con0/);
  });

  it('login refuses a password file others can read, and one given on argv is no option at all', async () => {
    const file = path.join(world.dir, 'pw-open');
    fs.writeFileSync(file, `${PASSWORD}\n`, { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    const r = await world.umux(['login', 'dc', '--user', 'alice', '--password-file', file]);
    expect(r.code).toBe(EXIT.permission);
    expect(r.stderr).toContain(`password file ${file} has mode 0644: refused, it must be 0600 or 0400`);
    const none = await world.umux(['login', 'dc', '--user', 'alice']);
    expect(none.code).toBe(EXIT.usage);
    expect(none.stderr).toContain('--password-file FILE (mode 0600) or --password-stdin');
  });

  it('login with a wrong password fails with "Login incorrect" (exit 6)', async () => {
    const file = path.join(world.dir, 'pw-wrong');
    fs.writeFileSync(file, 'not-the-password\n', { mode: 0o600 });
    const r = await world.umux(['login', 'dc', '--user', 'alice', '--password-file', file]);
    expect(r.stderr).toMatch(/^umux: dc:con0: login as alice refused: the guest said "Login incorrect"\n/);
    expect(r.code).toBe(EXIT.permission);
  });

  it('login with the right password from stdin: the prompt shows; never in argv, umux logs or the console log', async () => {
    const child = spawn(process.execPath, [UMUX_BIN, 'login', '--json', 'dc', '--user', 'alice', '--password-stdin'], { env: world.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    // While it waits for the password: what ps shows of it.
    const cmdline = await waitUntil('umux login running', () => {
      try {
        return fs.readFileSync(`/proc/${child.pid}/cmdline`, 'latin1');
      } catch {
        return undefined;
      }
    });
    expect(cmdline).toContain('--password-stdin');
    expect(cmdline).not.toContain(PASSWORD);
    child.stdin.end(`${PASSWORD}\n`);
    const code = await exited;
    expect(Buffer.concat(err).toString()).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(Buffer.concat(out).toString())).toMatchObject({ guest: 'dc', console: 'con0', user: 'alice' });
    const who = await world.umux(['run', 'dc', 'id -un']);
    expect(who.stdout.toString()).toBe('alice\n');
    expect(filesHolding(world.stateDir, PASSWORD)).toEqual([]); // server.log, events, the console logs
    expect(filesHolding(world.socketDir, PASSWORD)).toEqual([]);
    expect(world.logText('dc')).not.toContain(PASSWORD);
  });

  it('login on a console that shows a shell prompt says someone is logged in (exit 1)', async () => {
    const file = path.join(world.dir, 'pw-right');
    fs.writeFileSync(file, `${PASSWORD}\n`, { mode: 0o400 });
    const r = await world.umux(['login', 'dc', '--user', 'alice', '--password-file', file, '-t', '5000']);
    expect(r.code).toBe(EXIT.failed);
    expect(r.stderr).toContain('dc:con0 shows a shell prompt, not "login:": someone is logged in there');
    // Logged out, the same file logs in.
    await world.umux(['send', 'dc', 'exit']);
    await world.ok(['wait', '-t', '10000', 'dc', 'login: $']);
    expect((await world.umux(['login', 'dc', '--user', 'alice', '--password-file', file])).code).toBe(0);
  });

  it('a missing guest or console is exit 3, saying so', async () => {
    const guest = await world.umux(['wait', '-t', '2000', 'nosuch', 'x']);
    expect(guest.code).toBe(EXIT.noGuest);
    expect(guest.stderr).toMatch(/^umux: .*nosuch/);
    const console = await world.umux(['run', '-t', '2000', 'dc:con7', 'true']);
    expect(console.code).toBe(EXIT.noGuest);
    expect(console.stderr).toMatch(/^umux: .*con7/);
  });

  it('wait ends with exit 3 when the guest goes away while it waits (last: the guest is killed)', async () => {
    const waiting = world.umux(['wait', '-t', '20000', 'dc:con1', 'never-printed']);
    await new Promise((r) => setTimeout(r, 1000));
    await world.ok(['kill', '--hard', '--yes', 'dc']);
    const r = await waiting;
    expect(r.code).toBe(EXIT.noGuest);
    expect(r.stderr).toMatch(/^umux: dc:con1 closed while umux waited on it: /);
    expect(r.ms).toBeLessThan(15_000);
  });
});
