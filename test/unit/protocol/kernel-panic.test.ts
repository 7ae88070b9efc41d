// The panic line taken from console text: plain, from a kmsg dump with its level prefix, the last of several, none.

import { describe, expect, it } from 'vitest';
import { kernelPanicLine } from '../../../src/protocol/kernel-panic.js';

describe('kernelPanicLine', () => {
  it('takes the reason from a console line and from a kmsg dump line', () => {
    expect(kernelPanicLine('Run /init as init process\r\nKernel panic - not syncing: Attempted to kill init! exitcode=0x00000000\r\n')).toBe(
      'Attempted to kill init! exitcode=0x00000000',
    );
    expect(kernelPanicLine('kmsg_dump:\n<0>Kernel panic - not syncing: Requested init /nonexistent failed (error -2).\n<4>CPU: 0 PID: 1')).toBe(
      'Requested init /nonexistent failed (error -2).',
    );
  });

  it('takes the last panic of several, and null when there is none or it is empty', () => {
    expect(kernelPanicLine('Kernel panic - not syncing: first\nKernel panic - not syncing: second\n')).toBe('second');
    expect(kernelPanicLine('INIT: up 6.1.176\n/ # ')).toBeNull();
    expect(kernelPanicLine('Kernel panic - not syncing: \n')).toBeNull();
  });
});
