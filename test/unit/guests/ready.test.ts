import { describe, expect, it } from 'vitest';
import { expectedConsoleSpecs } from '../../../src/guests/ready.js';
import { umlCommandLine } from '../../../src/guests/launch.js';

describe('expectedConsoleSpecs', () => {
  it('lists con0 on stdin/stdout and each extra console and serial line on its own fd, as the command line sets them', () => {
    expect(expectedConsoleSpecs(0)).toEqual([['con0', 'fd:0,fd:1']]);
    expect(expectedConsoleSpecs(2, 1)).toEqual([
      ['con0', 'fd:0,fd:1'],
      ['con1', 'fd:3'],
      ['con2', 'fd:4'],
      ['ssl0', 'fd:5'],
    ]);
    const args = umlCommandLine({ umid: 'g', umlDir: '/u', root: '/r', notifySocket: '/n', consoles: 2, serials: 1 });
    for (const [name, spec] of expectedConsoleSpecs(2, 1)) expect(args).toContain(`${name}=${spec}`);
  });
});
