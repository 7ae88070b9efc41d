// Hooks on real guests (issue 15): a panic runs the guest's panic hook once with the right variables and console
// tail; a SIGSTOPped guest runs server.toml's hang hook; a failing hook and a slow one (cut off) are events; and
// `umux events -f --json` without a name prints one JSON object a line for both guests all along.

import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { UMUX_BIN } from '../helpers/run-tool.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';

/** A hook that records its UMUX_ variables and the console tail it was given into DIR/EVENT.GUEST.PID.{env,tail}. */
function recorder(dir: string): string {
  // The .env file last, renamed into place: a reader that sees it finds the tail complete.
  const script = `out=${dir}/$UMUX_EVENT.$UMUX_GUEST.$$; cat "$UMUX_CONSOLE_TAIL" > $out.tail; { env | grep '^UMUX_[A-Z_]*=' | sort; echo tail=$UMUX_CONSOLE_TAIL; } > $out.tmp; mv $out.tmp $out.env`;
  return JSON.stringify(['/bin/sh', '-c', script]);
}

function records(dir: string, prefix: string): Array<{ env: Record<string, string>; tail: string }> {
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.env'))
    .map((f) => {
      const env = Object.fromEntries(fs.readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
      return { env, tail: fs.readFileSync(path.join(dir, f.replace(/\.env$/, '.tail')), 'utf8') };
    });
}

describe.skipIf(umlSkip())('hooks on real guests', () => {
  let world: UmuxWorld;
  let out: string;
  let follower: ChildProcess;
  let followed = '';

  beforeAll(async () => {
    // UMUX_PING_MS is the admin's setting for how often guests are pinged: a hang shows within a second.
    world = new UmuxWorld({ UMUX_PING_MS: '500', UMUX_PING_TIMEOUT_MS: '500' });
    out = path.join(world.dir, 'hook-out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(world.configDir, 'server.toml'), `[hooks]\nhang = ${recorder(out)}\nexit = ${recorder(out)}\nnotify = ${recorder(out)}\n`);
    world.define('pan', `restart = "on-panic"\nrestart_delay_ms = 3600000\nconsoles = 0\nserials = 0\n[hooks]\npanic = ${recorder(out)}\nrestart = ["/bin/sh", "-c", "echo no pager here >&2; exit 7"]\n`, { root: { commands: ['echo about to end init', 'sleep 1'], panic: true } });
    world.define('hung', `consoles = 0\nserials = 0\n[hooks]\nexit = ["/bin/sleep", "30"]\ntimeout_ms = 800\n`);
    await world.ok(['ls']); // the server is up before the follower connects
    follower = spawn(process.execPath, [UMUX_BIN, 'events', '-f', '--json'], { env: world.env, stdio: ['ignore', 'pipe', 'pipe'] });
    follower.stdout!.on('data', (b: Buffer) => (followed += b.toString('utf8')));
  });
  afterAll(async () => {
    follower?.kill('SIGINT');
    await world.dispose();
  });

  it('runs the panic hook once, with the guest, event, state, reason and console tail', async () => {
    await world.ok(['start', 'pan']).catch(() => undefined); // it may panic before the start returns
    const [rec] = await waitUntil('the panic hook', () => (records(out, 'panic.pan.').length > 0 ? records(out, 'panic.pan.') : undefined), 20_000);
    expect(rec!.env).toMatchObject({ UMUX_GUEST: 'pan', UMUX_UMID: 'pan', UMUX_EVENT: 'panic', UMUX_STATE: 'crashed' });
    expect(rec!.env['UMUX_REASON']).toMatch(/^kernel panic: Attempted to kill init!/);
    expect(rec!.tail).toMatch(/about to end init/);
    expect(rec!.tail).not.toMatch(/\x1b/);
    const events = await waitUntil('the hook reports', async () => {
      const text = await world.ok(['events', 'pan']);
      return /hook panic ran/.test(text) && /hook restart failed/.test(text) ? text : undefined;
    });
    // The tail file was private to the run and is gone once it ended.
    expect(fs.existsSync(rec!.env['tail']!)).toBe(false);
    expect(fs.readdirSync(path.join(world.stateDir, 'hooks')).filter((f) => f.startsWith('run-'))).toEqual([]);
    expect(events).toMatch(/hook restart failed: \/bin\/sh exit code 7; its output is in .*\/hooks\/pan\.restart\.log/);
    expect(fs.readFileSync(path.join(world.stateDir, 'hooks', 'pan.restart.log'), 'utf8')).toMatch(/no pager here/);
    await new Promise((r) => setTimeout(r, 1000));
    expect(records(out, 'panic.pan.')).toHaveLength(1);
    // server.toml's exit hook is for exits, not for the panic.
    expect(records(out, 'exit.pan.')).toHaveLength(0);
    await world.ok(['stop', 'pan']);
  });

  it('runs the hang hook once for a guest SIGSTOPped on the host', async () => {
    await world.ok(['start', 'hung']);
    const pid = world.guestPid('hung')!;
    const t0 = Date.now();
    // The kernel's main pid only, as the other SIGSTOP tests: stopping its ptraced children as well crashes UML.
    process.kill(pid, 'SIGSTOP');
    try {
      const [rec] = await waitUntil('the hang hook', () => (records(out, 'hang.hung.').length > 0 ? records(out, 'hang.hung.') : undefined), 15_000);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(rec!.env).toMatchObject({ UMUX_GUEST: 'hung', UMUX_EVENT: 'hang', UMUX_STATE: 'unresponsive', UMUX_PID: String(pid) });
      expect(rec!.env['UMUX_REASON']).toMatch(/stopped on the host \(SIGSTOP/);
      await new Promise((r) => setTimeout(r, 1500)); // more pings of the same hang run nothing more
      expect(records(out, 'hang.hung.')).toHaveLength(1);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitUntil('running again', async () => ((await world.ok(['events', 'hung'])).includes('unresponsive -> running') ? true : undefined));
  });

  it('runs the notify hook with the guest\'s own words in UMUX_REASON, its controls shown, never run', async () => {
    await world.waitForShell('hung');
    await world.ok(['send', 'hung', `printf 'disk full\\033]0;pwn\\007 $(touch ${out}/pwned) now\\n' > /proc/mconsole`]);
    const [rec] = await waitUntil('the notify hook', () => (records(out, 'notify.hung.').length > 0 ? records(out, 'notify.hung.') : undefined), 15_000);
    expect(rec!.env['UMUX_EVENT']).toBe('notify');
    expect(rec!.env['UMUX_REASON']).toMatch(/^disk full\^\[\]0;pwn\^G .* now$/);
    expect(fs.existsSync(path.join(out, 'pwned'))).toBe(false);
  });

  it('cuts a slow hook off and says so among the events', async () => {
    // Killed from outside umux (as the OOM killer would): an exit nobody asked umux for.
    process.kill(world.guestPid('hung')!, 'SIGKILL');
    const t0 = Date.now();
    const events = await waitUntil('the cut-off', async () => {
      const text = await world.ok(['events', 'hung']);
      return /hook exit failed/.test(text) ? text : undefined;
    });
    expect(Date.now() - t0).toBeLessThan(6000);
    expect(events).toMatch(/hook exit failed: \/bin\/sleep cut off after 800 ms \(SIGTERM to its process group/);
    // The guest's own exit hook replaced server.toml's.
    expect(records(out, 'exit.hung.')).toHaveLength(0);
  });

  it('prints every guest\'s events as JSON lines with events -f --json and no name', async () => {
    await waitUntil('both guests in the follower', () => (/"guest":"pan"/.test(followed) && /"hook exit failed/.test(followed) ? true : undefined));
    const lines = followed.trimEnd().split('\n').map((l) => JSON.parse(l) as { guest: string; at: string; text: string });
    expect(new Set(lines.map((l) => l.guest))).toEqual(new Set(['pan', 'hung']));
    for (const l of lines) expect(Object.keys(l)).toEqual(['guest', 'at', 'text']);
    expect(lines.some((l) => l.guest === 'pan' && /-> crashed: kernel panic/.test(l.text))).toBe(true);
    expect(lines.some((l) => l.guest === 'hung' && /-> unresponsive/.test(l.text))).toBe(true);
    const all = await world.ok(['events']);
    expect(all).toMatch(/^\S+Z {2}pan {2}/m);
    expect(all).toMatch(/^\S+Z {2}hung {2}/m);
  });
});
