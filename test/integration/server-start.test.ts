// A client starts the server wherever it runs: a HOME that does not exist (a system account, a broken login) must
// not crash the client with Node's spawn error; the server starts in / instead.

import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UmuxWorld } from '../helpers/server.js';

describe('starting the server', () => {
  const world = new UmuxWorld({ HOME: path.join(os.tmpdir(), `umux-no-such-home-${process.pid}`) });
  afterAll(() => world.dispose());

  it('starts it when HOME does not exist, without a stack trace', async () => {
    const r = await world.umux(['ls']);
    expect(r.stderr.toString()).not.toMatch(/ENOENT|node:internal|^\s+at /m);
    expect(r.code).toBe(0);
    expect(world.serverPid()).toBeGreaterThan(0);
  });
});
