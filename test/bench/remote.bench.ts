// Several hosts (issue 17): keystroke to echo and attach time over ssh to loopback beside the same figures for a
// local server, same run. The far "host" is another login user's umux server behind a real sshd on 127.0.0.1
// (test/helpers/sshd.ts), reached as `umux --host` reaches it; each side has one idle guest with the same definition.

import { ServerSession } from '../../src/client/session.js';
import { SshTransport } from '../../src/client/ssh-transport.js';
import { hostsToml, RemoteHost, writeHostsToml } from '../helpers/remote-host.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';
import { TestSshd } from '../helpers/sshd.js';
import { ms, percentile, table } from './stats.js';

const ROUNDS = 4;
const KEYS = 200;
const ATTACHES = 20;
const GUEST_TOML = 'consoles = 1\nserials = 0\nscrollback = 2000\n';

interface Figures {
  connect: number[];
  echo: number[];
  attach: number[];
  snapshotKb: number;
}

/** Types one letter at a time into the guest's shell and waits for its echo (the tty echoes it before the shell reads). */
async function echoTimes(session: ServerSession, guest: string): Promise<number[]> {
  const stream = await session.attach(guest, 'con0', { readOnly: false });
  const times: number[] = [];
  try {
    let waiting: ((b: Uint8Array) => void) | undefined;
    stream.onData((b) => waiting?.(b));
    for (let i = 0; i < KEYS / ROUNDS; i++) {
      const key = String.fromCharCode(97 + (i % 26));
      const t0 = performance.now();
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no echo of keystroke ${i + 1} in 5 s`)), 5000);
        waiting = (b) => {
          if (Buffer.from(b).toString('latin1').includes(key)) {
            clearTimeout(timer);
            waiting = undefined;
            resolve();
          }
        };
        stream.write(Buffer.from(key));
      });
      times.push(performance.now() - t0);
      if (i % 40 === 39) stream.write(Buffer.from('\x15')); // ^U: the line never grows long
    }
    stream.write(Buffer.from('\x15'));
  } finally {
    stream.dispose();
  }
  return times;
}

async function connectTimes(open: () => Promise<ServerSession>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const s = await open();
    times.push(performance.now() - t0);
    s.dispose();
  }
  return times;
}

async function attachTimes(session: ServerSession, guest: string, f: Figures): Promise<void> {
  for (let i = 0; i < ATTACHES / ROUNDS; i++) {
    const t0 = performance.now();
    const st = await session.attach(guest, 'con0', { readOnly: true, scrollback: 2000 });
    f.attach.push(performance.now() - t0);
    f.snapshotKb = st.snapshot.data.length / 1024;
    st.dispose();
  }
}

/** Both sides in turns (a block of keystrokes and attaches each, the order swapped each round), so a busy moment of the machine hits both alike. */
async function measureBoth(sides: Array<{ open: () => Promise<ServerSession>; guest: string }>): Promise<Figures[]> {
  const figures: Figures[] = [];
  for (const side of sides) figures.push({ connect: await connectTimes(side.open), echo: [], attach: [], snapshotKb: 0 });
  const sessions = await Promise.all(sides.map((s) => s.open()));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      // Each side first in every other round: neither gains from going second (a warm path, a settled machine).
      const order = round % 2 === 0 ? sides.map((_, i) => i) : sides.map((_, i) => sides.length - 1 - i);
      for (const i of order) {
        figures[i]!.echo.push(...(await echoTimes(sessions[i]!, sides[i]!.guest)));
        await attachTimes(sessions[i]!, sides[i]!.guest, figures[i]!);
      }
    }
  } finally {
    for (const s of sessions) s.dispose();
  }
  return figures;
}

export async function benchRemote(log: (s: string) => void): Promise<void> {
  const far = new RemoteHost('umux-t-hostb');
  const local = new UmuxWorld();
  let sshd: TestSshd | undefined;
  try {
    far.world.define('farb', GUEST_TOML);
    far.handOver();
    local.define('nearb', GUEST_TOML);
    sshd = await TestSshd.start({ users: [far.user.name] });
    writeHostsToml(local, hostsToml(sshd, [{ name: 'b', remote: far }]));
    const started = await Promise.all([local.umux(['start', 'nearb']), local.umux(['--host', 'b', 'start', 'farb'])]);
    for (const r of started) if (r.code !== 0) throw new Error(`start: ${r.stderr}`);
    await local.waitForShell('nearb');
    await waitUntil('farb\'s shell', () => (far.world.logText('farb').includes('/ # ') ? true : undefined), 30_000);
    // The same text in both scrollbacks, so the snapshots are the same size.
    for (const [w, argv] of [[local, ['send', 'nearb']], [local, ['--host', 'b', 'send', 'farb']]] as const) await w.ok([...argv, 'seq 1 3000']);
    await new Promise((r) => setTimeout(r, 1500));

    const transport = new SshTransport({ name: 'b', destination: `${far.user.name}@127.0.0.1`, umux: far.command, sshConfig: sshd.clientConfig });
    const [here, there] = (await measureBoth([
      { open: () => ServerSession.connect({ env: local.env }), guest: 'nearb' },
      { open: () => ServerSession.connect({ transport }), guest: 'farb' },
    ])) as [Figures, Figures];
    const row = (what: string, f: (x: Figures) => string) => [what, f(here), f(there)];
    log(`\n### several hosts: local server beside one over ssh to 127.0.0.1 (same run)\n`);
    log(
      table(
        ['figure', 'local (unix socket)', 'over ssh (loopback)'],
        [
          row('connect + hello (ssh login, far umux server --stdio), p50 of 5', (x) => ms(percentile(x.connect, 50))),
          row(`keystroke to echo, p50 of ${KEYS}`, (x) => ms(percentile(x.echo, 50))),
          row(`keystroke to echo, p99 of ${KEYS}`, (x) => ms(percentile(x.echo, 99))),
          row(`attach with scrollback (snapshot ${Math.round(here.snapshotKb)} KB), p50 of ${ATTACHES}`, (x) => ms(percentile(x.attach, 50))),
          row(`attach, p99 of ${ATTACHES}`, (x) => ms(percentile(x.attach, 99))),
        ],
      ),
    );
    log('\n');
  } finally {
    await far.dispose();
    await local.dispose();
    await sshd?.dispose();
  }
}
