// Guests umux did not start, with real UML guests started by hand: adoption with a held pts console and a getty,
// health (SIGSTOP, SIGCONT), panic and user notifications on the server's notify socket, the whole stop ladder,
// hot-plug of a sparse disk and of memory, online backup, a stale directory after SIGKILL and its cleanup, restart
// from the recorded command line, and dangerous commands refused without confirmation.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupMembers } from '../../src/guests/process-group.js';
import { umlSkip } from '../helpers/uml.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';

interface LsGuest {
  name: string;
  state: string;
  pid: number | null;
  mem: string;
  adopted: boolean;
  owner?: string;
  panic: string | null;
  consoles: Array<{ name: string; status?: string; note?: string }>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(umlSkip())('guests umux did not start', () => {
  let world: UmuxWorld;
  const ls = async (): Promise<LsGuest[]> => (JSON.parse(await world.ok(['ls', '--json'])) as { guests: LsGuest[] }).guests;
  const guest = async (name: string) => (await ls()).find((g) => g.name === name);
  const waitState = (name: string, state: string, timeoutMs = 10_000) =>
    waitUntil(`${name} ${state}`, async () => ((await guest(name))?.state === state ? (await guest(name))! : undefined), timeoutMs);

  beforeAll(async () => {
    world = new UmuxWorld({ UMUX_PING_MS: '500', UMUX_PING_TIMEOUT_MS: '1000', UMUX_STOP_STEP_MS: '1500' });
    await world.ok(['ls']); // starts the server, so its notify socket exists before the guests boot
  });
  afterAll(async () => {
    await world.dispose();
  });

  it('adopts a guest started by hand with con1=pts and a getty: con1 held and attachable, con0 explained', async () => {
    const pid = await world.startByHand('hand1', ['con=null', 'ssl=null', 'con0=fd:0,fd:1', 'con1=pts'], { root: { gettys: ['tty1'] }, mem: '128M' });
    const g = await waitUntil('hand1 adopted with con1 held', async () => {
      const x = await guest('hand1');
      return x?.consoles.some((c) => c.name === 'con1' && c.status === 'held') ? x : undefined;
    });
    expect(g).toMatchObject({ state: 'running', adopted: true, pid, mem: '128M', owner: expect.any(String) as string, dir: world.handDir });
    const con0 = g.consoles.find((c) => c.name === 'con0')!;
    expect(con0.status).toBe('elsewhere');
    expect(con0.note).toMatch(/con0 is fd:0,fd:1: the guest's own fd 1 \(.*hand1\.out\)/);
    // Once con1 is held, con0's note offers it, not a config of a line umux already holds.
    await waitUntil('con0 offering con1', async () => ((await guest('hand1'))?.consoles.find((c) => c.name === 'con0')?.note?.includes('attach to hand1:con1 instead') ? true : undefined));
    expect((await guest('hand1'))!.consoles.find((c) => c.name === 'con0')!.note).not.toContain('con1=pts');
    const s = await world.session();
    try {
      const stream = await s.attach('hand1', 'con1', { readOnly: false });
      let seen = '';
      stream.onData((b) => (seen += Buffer.from(b).toString('latin1')));
      stream.write(new TextEncoder().encode('\recho adopted-$((6*7))\r'));
      await waitUntil('the echo through the held pts', () => (seen.includes('adopted-42') ? true : undefined));
    } finally {
      s.dispose();
    }
    expect(await world.ok(['log', 'hand1:con1'])).toContain('adopted-42');
    const events = await world.ok(['events', 'hand1']);
    expect(events).toMatch(/adopted: pid \d+, owner \S+, started as: \/usr\/bin\/linux umid=hand1 .*con1=pts/);
    expect(events).toMatch(/con1: holding \/dev\/pts\/\d+/);
    const table = await world.ok(['ls']);
    expect(table).toMatch(/^hand1\s+running\s+adopted\s+\S+\s+\d+\s+128M\s+con0\(elsewhere\),con1\s+0\s+\d+s$/m);
  });

  it('marks a SIGSTOPped guest unresponsive within the ping timeout, and running again after SIGCONT', async () => {
    const pid = (await guest('hand1'))!.pid!;
    process.kill(pid, 'SIGSTOP');
    const t0 = Date.now();
    try {
      await waitState('hand1', 'unresponsive', 5000);
      // one ping interval (500 ms) plus the 1 s scan tick, well inside a ping timeout plus interval
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitState('hand1', 'running', 5000);
    const events = await world.ok(['events', 'hand1']);
    expect(events).toMatch(new RegExp(`running -> unresponsive: pid ${pid} is stopped on the host \\(SIGSTOP or a debugger\\): kill -CONT ${pid} resumes it`));
    expect(events).toMatch(/unresponsive -> running: answers MConsole again/);
  });

  it('pauses with MConsole stop and resumes with go', async () => {
    expect(await world.ok(['pause', 'hand1'])).toBe('hand1: paused\n');
    expect((await guest('hand1'))!.state).toBe('paused');
    await sleep(1200); // health pings still answer while paused, and must not undo it
    expect((await guest('hand1'))!.state).toBe('paused');
    expect(await world.ok(['go', 'hand1'])).toBe('hand1: running\n');
    expect((await guest('hand1'))!.state).toBe('running');
  });

  it('hot-plugs a sparse disk, sees it in the guest, backs it up online, and removes it', async () => {
    const disk = path.join(world.dir, 'sparse.img');
    fs.writeFileSync(disk, '');
    fs.truncateSync(disk, 256 * 2 ** 20);
    fs.writeFileSync(disk, 'umux-backup-marker', { flag: 'r+' });
    const plugged = await world.ok(['config', 'hand1', `ubdb=${disk}`]);
    expect(plugged).toBe(`hand1: config ubdb=${disk}: OK\nconfig ubdb now: ${disk}\n`);
    const partitions = await world.umux(['mconsole', '--uml-dir', world.handDir, 'hand1', 'proc', 'partitions']);
    expect(partitions.stdout.toString()).toMatch(/\s98\s+16\s+262144\s+ubdb/);

    const to = path.join(world.dir, 'backup');
    const backup = await world.ok(['backup', 'hand1', '--to', to]);
    expect(backup).toBe(`hand1: backup into ${to}\n  ubdb: ${disk} -> ${to}/ubdb-sparse.img\n`);
    const copy = fs.statSync(path.join(to, 'ubdb-sparse.img'));
    expect(copy.size).toBe(256 * 2 ** 20);
    expect(copy.blocks * 512).toBeLessThan(1 << 20); // still sparse
    expect(fs.readFileSync(path.join(to, 'ubdb-sparse.img')).subarray(0, 18).toString()).toBe('umux-backup-marker');
    expect((await guest('hand1'))!.state).toBe('running'); // go was sent
    const events = await world.ok(['events', 'hand1']);
    expect(events).toMatch(/backup: ubdb .*sparse\.img -> .*ubdb-sparse\.img: copied/);

    const removed = await world.ok(['remove', 'hand1', 'ubdb', '--yes']);
    expect(removed).toBe('hand1: removed ubdb; config ubdb now: (empty)\n');
    const after = await world.umux(['mconsole', '--uml-dir', world.handDir, 'hand1', 'proc', 'partitions']);
    expect(after.stdout.toString()).not.toMatch(/ubdb/);
  });

  it('refuses bad hot-plug requests before sending anything, and explains a disk UML would die on', async () => {
    const missing = await world.umux(['config', 'hand1', `ubdc=${world.dir}/nope.img`]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^umux: hot-plug: expected an existing image file, got .*nope\.img \(ENOENT\)\n {2}hint: create a sparse one: truncate -s 1G /);
    const flags = await world.umux(['config', 'hand1', 'ubdcrr=/x']);
    expect(flags.stderr).toMatch(/expected each flag once, got "rr"/);
    const ubda = await world.umux(['remove', 'hand1', 'ubda', '--yes']);
    expect(ubda.code).not.toBe(0);
    expect(ubda.stderr).toMatch(/ubda of hand1 names "root_fs", which does not exist on the host: UML 6\.1 aborts the guest on remove/);
    expect((await guest('hand1'))!.state).toBe('running');
  });

  it('unplugs memory with mem-= and plugs it back with mem+=, checked against the guest\'s MemAvailable', async () => {
    const down = await world.ok(['config', 'hand1', 'mem-=32M']);
    expect(down).toMatch(/^hand1: config mem=-32768K: OK\nMemAvailable [\d.]+ MiB -> [\d.]+ MiB \(-[\d.]+ MiB, asked -32 MiB\)\n$/);
    expect(down).not.toMatch(/warning/);
    const up = await world.ok(['config', 'hand1', 'mem+=32M']);
    expect(up).toMatch(/^hand1: config mem=\+32768K: OK\nMemAvailable [\d.]+ MiB -> [\d.]+ MiB \(\+[\d.]+ MiB, asked \+32 MiB\)\n$/);
    const tooMuch = await world.umux(['config', 'hand1', 'mem+=32M']);
    expect(tooMuch.stderr).toMatch(/expected at most the boot size/);
  });

  it('refuses a dangerous command without confirmation, and leaves the guest alone', async () => {
    const r = await world.umux(['halt', 'hand1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("umux: not confirmed: halt stops hand1 now: no userspace shutdown, its filesystems need an fsck. Halt it?\n  hint: umux halt hand1 --yes\n");
    const t = await world.umux(['sysrq', 'hand1', 't']);
    expect(t.stderr).toMatch(/sysrq t panics UML 6\.1 guests/);
    expect((await guest('hand1'))!.state).toBe('running');
    expect(await world.ok(['sysrq', 'hand1', 'm'])).toMatch(/^OK sysrq: Show Memory/);
  });

  it('restarts an adopted guest from its recorded command line', async () => {
    const before = (await guest('hand1'))!.pid!;
    const cmdline = fs.readFileSync(`/proc/${before}/cmdline`, 'latin1');
    const r = await world.ok(['restart', 'hand1', '--force']);
    expect(r).toMatch(/^hand1: restarted from its recorded command line, pid \d+\n$/);
    const after = (await guest('hand1'))!;
    expect(after.pid).not.toBe(before);
    expect(groupMembers(before)).toEqual([]);
    // The same command line, but con0 (the guest's own stdio, a file here) on a pts umux holds.
    expect(fs.readFileSync(`/proc/${after.pid}/cmdline`, 'latin1')).toBe(cmdline.replace('\0con0=fd:0,fd:1\0', '\0con0=pts\0'));
  });

  it('walks the whole stop ladder on a guest that cannot answer (SIGSTOPped): cad, halt, SIGTERM, SIGKILL', async () => {
    const pid = await world.startByHand('frozen', []);
    await waitState('frozen', 'running');
    process.kill(pid, 'SIGSTOP');
    const out = await world.ok(['stop', 'frozen']);
    expect(out.split('\n').filter(Boolean)).toEqual([
      'frozen: stopped',
      '  cad (Ctrl-Alt-Del, the clean shutdown): still running after 1500 ms',
      '  halt: still running after 1500 ms',
      '  SIGTERM to pid: still running after 1500 ms',
      '  SIGKILL to the process group: guest exited',
    ]);
    expect(groupMembers(pid)).toEqual([]);
  });

  it('crashes with the panic text when a guest on the notify socket panics', async () => {
    await world.startByHand('panicky', [], { notify: true, root: { commands: ['sleep 2'], panic: true } });
    const g = await waitState('panicky', 'crashed', 15_000);
    expect(g.panic).toMatch(/Attempted to kill init!/);
    expect(await world.ok(['events', 'panicky'])).toMatch(/-> crashed: kernel panic: Attempted to kill init!/);
  });

  it('logs a user notification from a guest', async () => {
    await world.startByHand('chatty', [], { notify: true, root: { commands: ['sleep 2', 'echo hello-from-the-guest > /proc/mconsole'] } });
    await waitUntil('the user notification', async () => ((await world.ok(['events', 'chatty'])).includes('user notification: hello-from-the-guest') ? true : undefined));
  });

  it('shows a stale directory after SIGKILL, and cleans it up with the helpers that held the memory file', async () => {
    const pid = await world.startByHand('doomed', []);
    await waitState('doomed', 'running');
    process.kill(pid, 'SIGKILL');
    await waitState('doomed', 'stale');
    expect(fs.existsSync(path.join(world.handDir, 'doomed', 'mconsole'))).toBe(true);
    const r = await world.ok(['clean', 'doomed']);
    expect(r).toMatch(new RegExp(`^doomed: removed stale ${world.handDir}/doomed`));
    expect(fs.existsSync(path.join(world.handDir, 'doomed'))).toBe(false);
    expect(groupMembers(pid)).toEqual([]);
    expect(await guest('doomed')).toBeUndefined();
  });
});
