// A guest started by hand with `ssl0=port:N` and the in.telnetd wrapper an admin sets up on Debian 12 (which ships no
// in.telnetd -L): umux holds the port console over TELNET, logs it without UML's banner or TELNET bytes, takes
// typing, and goes on through a restart of the getty on the line.

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { UmuxWorld, waitUntil } from '../helpers/server.js';
import { groupMembers } from '../../src/guests/process-group.js';
import { killLeftovers, leftoverPortHelpers, portBound } from '../../src/guests/port-helpers.js';
import { freePort } from '../helpers/ports.js';

interface LsConsole {
  name: string;
  status?: string;
  note?: string;
  spec?: string;
}

/** The wrapper of uml-host-findings §4: UML runs `in.telnetd -L /usr/lib/uml/port-helper`; busybox telnetd does it. */
const IN_TELNETD = '#!/bin/sh\n[ "$1" = "-L" ] && exec busybox telnetd -i -f /dev/null -l "$2"\nexec busybox telnetd -i "$@"\n';

/** The host telnetd serving a guest's port connections: in the kernel's process group, run by UML per connection. */
function telnetds(guestPid: number): number[] {
  return groupMembers(guestPid).filter((p) => {
    try {
      return /telnetd/.test(fs.readFileSync(`/proc/${p}/cmdline`, 'latin1'));
    } catch {
      return false;
    }
  });
}

/** Types `echo WORD-$((7*6))` into NAME:LINE until the answer comes back. */
async function echoThrough(world: UmuxWorld, guest: string, line: string, word: string): Promise<void> {
  const s = await world.session();
  try {
    const stream = await s.attach(guest, line, { readOnly: false });
    let seen = '';
    stream.onData((b) => (seen += Buffer.from(b).toString('latin1')));
    await waitUntil(`the echo of ${word} on ${guest}:${line}`, async () => {
      stream.write(new TextEncoder().encode(`echo ${word}-$((7*6))\r`));
      await new Promise((r) => setTimeout(r, 700));
      return seen.includes(`${word}-42`) ? true : undefined;
    }, 30_000);
  } finally {
    s.dispose();
  }
}


describe.skipIf(umlSkip())('a port console held over TELNET', { timeout: 90_000 }, () => {
  let world: UmuxWorld;
  let port: number;
  let pid: number;
  const ssl0 = async (): Promise<LsConsole | undefined> => {
    const guests = (JSON.parse(await world.ok(['ls', '--json'])) as { guests: Array<{ name: string; consoles: LsConsole[] }> }).guests;
    return guests.find((g) => g.name === 'porty')?.consoles.find((c) => c.name === 'ssl0');
  };

  beforeAll(async () => {
    world = new UmuxWorld({ UMUX_PING_MS: '500' });
    const bin = path.join(world.dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'in.telnetd'), IN_TELNETD, { mode: 0o755 });
    await world.ok(['ls']);
    port = await freePort();
    // A getty that comes back when its shell exits, as inittab's respawn does.
    const getty = '(while :; do setsid getty -n -l /bin/sh 0 /dev/ttyS0 vt100; sleep 1; done) &';
    pid = await world.startByHand('porty', ['con=null', 'ssl=null', 'con0=fd:0,fd:1', `ssl0=port:${port}`], { root: { commands: [getty] }, pathPrefix: bin });
  });
  afterAll(async () => {
    await world.dispose();
    // The teardown SIGKILLs the guest with its server: its port-helper would keep the port.
    await killLeftovers(leftoverPortHelpers([port], process.getuid!(), 'porty'));
  });

  it('holds ssl0, takes typing, and logs only the console text', async () => {
    const line = await waitUntil('ssl0 held', async () => {
      const c = await ssl0();
      return c?.status === 'held' ? c : undefined;
    }, 60_000);
    expect(line.spec).toBe(`port:${port}`);
    expect(line.note).toBe(`umux holds port:${port} (telnet to 127.0.0.1:${port})`);
    const s = await world.session();
    try {
      const stream = await s.attach('porty', 'ssl0', { readOnly: false });
      let seen = '';
      stream.onData((b) => (seen += Buffer.from(b).toString('latin1')));
      // "held" is the TCP connection; the telnetd and shell behind it may still be starting on a loaded host, and
      // typing before the shell reads is lost: type again until it answers, as an admin would.
      await waitUntil('the echo through the port console', async () => {
        stream.write(new TextEncoder().encode('echo port-$((6*7))\r'));
        await new Promise((r) => setTimeout(r, 700));
        return seen.includes('port-42') ? true : undefined;
      }, 30_000);
    } finally {
      s.dispose();
    }
    const log = fs.readFileSync(path.join(world.stateDir, 'logs', 'porty', 'ssl0.log'), 'latin1');
    expect(log).toContain('port-42');
    expect(log).not.toContain('\xff');
    expect(log).not.toContain('\r\0');
    expect(await world.ok(['events', 'porty'])).toContain(`ssl0: connected to 127.0.0.1:${port}`);
  });

  it('goes on holding the line through a getty restart (UML keeps the connection)', async () => {
    const echo = async (word: string): Promise<void> => {
      const s = await world.session();
      try {
        const stream = await s.attach('porty', 'ssl0', { readOnly: false });
        let seen = '';
        stream.onData((b) => (seen += Buffer.from(b).toString('latin1')));
        await waitUntil(`the echo of ${word}`, async () => {
          stream.write(new TextEncoder().encode(`echo ${word}-$((7*6))\r`));
          await new Promise((r) => setTimeout(r, 700));
          return seen.includes(`${word}-42`) ? true : undefined;
        }, 30_000);
      } finally {
        s.dispose();
      }
    };
    // The shell exits and the getty comes back: UML keeps the line's connection, umux keeps holding it.
    const s = await world.session();
    try {
      (await s.attach('porty', 'ssl0', { readOnly: false })).write(new TextEncoder().encode('exit\r'));
    } finally {
      s.dispose();
    }
    await echo('respawned');
    await echo('again');
    const log = fs.readFileSync(path.join(world.stateDir, 'logs', 'porty', 'ssl0.log'), 'latin1');
    expect(log).toContain('again-42');
    expect(log).not.toContain('There are currently no UML consoles');
  });

  it('connects again when the session ends: its telnetd dies and UML keeps the dead connection open', async () => {
    // Killing the getty or shell in the guest does not end the session (the test above): UML keeps the line's
    // channel open. What ends it is the telnetd going away; the TCP connection stays open all the same (UML keeps a
    // copy of the accepted socket), so umux must see from /proc that nobody serves it any more.
    const served = telnetds(pid);
    expect(served.length).toBeGreaterThan(0);
    for (const p of served) process.kill(p, 'SIGKILL');
    await waitUntil('umux to notice the ended session', async () => ((await world.ok(['events', 'porty'])).includes('the session ended') ? true : undefined), 30_000);
    await echoThrough(world, 'porty', 'ssl0', 'reconnected');
    expect(world.logText('porty', 'ssl0')).toContain('reconnected-42');
  });

  it('umux clean ends the port-helper a killed guest left holding its port', async () => {
    process.kill(-pid, 'SIGKILL');
    await waitUntil('porty stale', async () => ((await world.ok(['ls'])).split('\n').find((l) => l.startsWith('porty '))?.includes('stale') ? true : undefined), 30_000);
    // What the findings saw: the next boot on this port would fail with errno 98.
    expect(portBound(port)).toBe(true);
    const out = await world.ok(['clean', 'porty']);
    expect(out).toMatch(/ended .*port-helper pid \d+ \(port \d+\).*, which kept its port bound/);
    await waitUntil(`port ${port} free`, () => (portBound(port) ? undefined : true), 10_000);
    expect(leftoverPortHelpers([port], process.getuid!(), 'porty')).toEqual([]);
  });
});

describe.skipIf(umlSkip())('a port serial line of a guest umux boots (Debian 12 has no in.telnetd -L)', { timeout: 120_000 }, () => {
  let world: UmuxWorld;
  let port: number;
  const line = async (): Promise<LsConsole | undefined> => {
    const guests = (JSON.parse(await world.ok(['ls', '--json'])) as { guests: Array<{ name: string; consoles: LsConsole[] }> }).guests;
    return guests.find((g) => g.name === 'portm')?.consoles.find((c) => c.name === 'ssl0');
  };

  beforeAll(async () => {
    world = new UmuxWorld({ UMUX_PING_MS: '500' });
    port = await freePort();
    const getty = '(while :; do setsid getty -n -l /bin/sh 0 /dev/ttyS0 vt100; sleep 1; done) &';
    // No wrapper of the admin's on any PATH: umux's own shim must do it.
    world.define('portm', `lines = { ssl0 = "port:${port}" }\n`, { root: { commands: [getty] } });
    await world.ok(['start', 'portm']);
  });
  afterAll(async () => {
    await world.dispose();
    await killLeftovers(leftoverPortHelpers([port], process.getuid!(), 'portm'));
  });

  it('boots with ssl0 on the port, holds it, logs it and takes typing; ls and --json say so', async () => {
    const c = await waitUntil('ssl0 held', async () => {
      const l = await line();
      return l?.status === 'held' ? l : undefined;
    }, 60_000);
    expect(c.spec).toBe(`port:${port}`);
    expect(c.note).toBe(`umux holds port:${port} (telnet to 127.0.0.1:${port})`);
    const table = await world.ok(['ls']);
    expect(table.split('\n').find((l) => l.startsWith('portm '))).toMatch(/con0,con1,ssl0\s/);
    await echoThrough(world, 'portm', 'ssl0', 'managed');
    const log = world.logText('portm', 'ssl0');
    expect(log).toContain('managed-42');
    expect(log).not.toContain('\xff');
    expect(log).not.toContain('There are currently no UML consoles');
    // The guest got the shim on its PATH, not the admin's: the kernel's command line names the port.
    expect(fs.readFileSync(`/proc/${world.guestPid('portm')}/cmdline`, 'latin1').split('\0')).toContain(`ssl0=port:${port}`);
  });

  it('connects again after the session ends, and the line keeps working', async () => {
    for (const p of telnetds(world.guestPid('portm')!)) process.kill(p, 'SIGKILL');
    await waitUntil('umux to notice the ended session', async () => ((await world.ok(['events', 'portm'])).includes('the session ended') ? true : undefined), 30_000);
    await echoThrough(world, 'portm', 'ssl0', 'after');
  });

  it('leaves the port free when the guest stops, so it starts again on the same port', async () => {
    await world.ok(['stop', 'portm']);
    await waitUntil(`port ${port} free after the stop`, () => (portBound(port) ? undefined : true), 15_000);
    await world.ok(['start', 'portm']);
    // The line is connected on the holder's next check (every second), not by the start itself.
    await waitUntil('ssl0 held again', async () => ((await line())?.status === 'held' ? true : undefined), 60_000);
    await echoThrough(world, 'portm', 'ssl0', 'second');
  });
});

describe.skipIf(umlSkip())('the console list of a guest started the seeds\' way', { timeout: 90_000 }, () => {
  let world: UmuxWorld;
  beforeAll(async () => {
    world = new UmuxWorld({ UMUX_PING_MS: '500' });
    await world.ok(['ls']);
    await world.startByHand('seedway', ['con0=fd:0,fd:1', 'con1=none', 'con=pts', 'ssl=pts']);
  });
  afterAll(async () => {
    await world.dispose();
  });

  it('says con=pts ssl=pts in one line of ranges, in the table and in --json', async () => {
    const row = await waitUntil('the full console scan', async () => {
      const table = await world.ok(['ls']);
      const line = table.split('\n').find((l) => l.startsWith('seedway '));
      return line?.includes('ssl0-63(waiting)') ? table : undefined;
    }, 60_000);
    expect(row).toMatch(/^seedway\s+running\s+adopted\s+\S+\s+\d+\s+64M\s+con0\(elsewhere\),con2-15\(waiting\),ssl0-63\(waiting\)\s+0\s+\S+$/m);
    expect(row).toContain('seedway:ssl0-63 are pts: 64 lines waiting for a getty or shell in the guest to open them; umux attaches when one does');
    expect(row.split('\n').filter((l) => l.startsWith('seedway:'))).toHaveLength(3);
    const json = JSON.parse(await world.ok(['ls', '--json'])) as { guests: Array<{ name: string; consoleGroups: Array<{ names: string; lines: string[] }> }> };
    const groups = json.guests.find((g) => g.name === 'seedway')!.consoleGroups;
    expect(groups.map((g) => g.names)).toEqual(['con0', 'con2-15', 'ssl0-63']);
    expect(groups[2]!.lines).toHaveLength(64);
  });
});
