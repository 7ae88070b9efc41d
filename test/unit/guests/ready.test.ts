import { describe, expect, it } from 'vitest';
import { expectedConsoleSpecs } from '../../../src/guests/ready.js';
import { umlCommandLine } from '../../../src/guests/launch.js';

describe('expectedConsoleSpecs', () => {
  it('lists con0 on stdin/stdout and each extra console on its own fd, as the command line sets them', () => {
    expect(expectedConsoleSpecs(0)).toEqual(['fd:0,fd:1']);
    expect(expectedConsoleSpecs(2)).toEqual(['fd:0,fd:1', 'fd:3', 'fd:4']);
    const args = umlCommandLine({ umid: 'g', umlDir: '/u', root: '/r', notifySocket: '/n', consoles: 2 });
    for (const [i, spec] of expectedConsoleSpecs(2).entries()) expect(args).toContain(`con${i}=${spec}`);
  });
});
