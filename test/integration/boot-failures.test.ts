// Managed guests whose boot goes wrong, with real UML: a kernel panic (or an exit) while umux still waits for the
// guest's consoles wins over "running".

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { umlSkip } from '../helpers/uml.js';
import { UmuxWorld } from '../helpers/server.js';

interface LsGuest {
  name: string;
  state: string;
  pid: number | null;
  adopted: boolean;
  panic: string | null;
}

describe.skipIf(umlSkip())('managed guests whose boot goes wrong', () => {
  let world: UmuxWorld;
  const ls = async (): Promise<LsGuest[]> => (JSON.parse(await world.ok(['ls', '--json'])) as { guests: LsGuest[] }).guests;
  const guest = async (name: string) => (await ls()).find((g) => g.name === name)!;

  beforeAll(() => {
    // A loaded host takes over 15 s (the default wait for the consoles) to get to init: wait long enough that the
    // guest always dies inside the wait.
    world = new UmuxWorld({ UMUX_BOOT_READY_MS: '120000' });
  });
  afterAll(async () => {
    await world.dispose();
  });

  // initcall_blacklist=stdio_init keeps UML's console driver from ever coming up, so con0 never answers the spec umux
  // waits for and the ready wait is deterministically still open when the kernel goes on to run init and panics
  // (without it the panic races the wait's last reply: the 32M guests of issue 9 lost that race 7 times).
  const noConsoles = 'args = ["initcall_blacklist=stdio_init"]\n';
  const panicsInBoot = `consoles = 1\nserials = 0\ninit = "/nonexistent"\n${noConsoles}`;

  it('reports a panic during the boot wait as a crash: start fails with the panic line, ls says crashed', async () => {
    world.define('bootpanic', panicsInBoot);
    const r = await world.umux(['start', 'bootpanic']);
    expect(r.stdout.toString()).toBe('');
    expect(r.code).not.toBe(0);
    expect(r.stderr.toString()).toMatch(/^umux: bootpanic crashed while booting: kernel panic: Requested init \/nonexistent failed \(error -2\)\. \(signal SIGABRT\)\n {2}hint: /);
    const g = await guest('bootpanic');
    expect([g.state, g.pid]).toEqual(['crashed', null]);
    expect(g.panic).toBe('Requested init /nonexistent failed (error -2).');
    const events = await world.ok(['events', 'bootpanic']);
    expect(events).toMatch(/starting -> crashed: kernel panic: Requested init \/nonexistent failed/);
    expect(events).not.toMatch(/-> running/);
    // The wait ended when the guest died, not when its 15 s for the consoles ran out.
    expect(events).not.toMatch(/consoles slow to come up/);
    expect(await world.ok(['ls'])).toMatch(/^bootpanic\s+crashed\s+managed\s+-\s+-\s/m);
  });

  it('start and restart work after a boot crash: the same crash again, then a good boot once the definition is fixed', async () => {
    const again = await world.umux(['start', 'bootpanic']);
    expect(again.code).not.toBe(0);
    expect(again.stderr.toString()).toMatch(/^umux: bootpanic crashed while booting: kernel panic: Requested init/);
    const restart = await world.umux(['restart', 'bootpanic']);
    expect(restart.code).not.toBe(0);
    expect(restart.stderr.toString()).toMatch(/^umux: bootpanic crashed while booting: kernel panic: Requested init/);
    expect((await guest('bootpanic')).state).toBe('crashed');
    world.define('bootpanic', 'consoles = 1\nserials = 0\n');
    const good = await world.ok(['restart', 'bootpanic']);
    const pid = Number(/^bootpanic: restarted, pid (\d+)\n$/.exec(good)?.[1]);
    expect(pid).toBeGreaterThan(0);
    const g = await guest('bootpanic');
    expect([g.state, g.pid, g.panic]).toEqual(['running', pid, null]);
    await world.ok(['stop', '--force', 'bootpanic']);
  }, 120_000);

  it('reports a guest that exits during the boot wait as exited, not running', async () => {
    world.define('bootexit', `consoles = 1\nserials = 0\n${noConsoles}`, { root: { commands: ['poweroff -f'] } });
    const r = await world.umux(['start', 'bootexit']);
    expect(r.code).not.toBe(0);
    expect(r.stderr.toString()).toMatch(/^umux: bootexit exited while booting \(exit code 0\)\n/);
    const g = await guest('bootexit');
    expect([g.state, g.pid, g.panic]).toEqual(['exited', null, null]);
  });
});
