// Scrollback keys: arrows and vi letters, a lone Esc leaves, sequences are never split into letters.

import { describe, expect, it } from 'vitest';
import { scrollActions } from '../../../src/tui/scroll-keys.js';

describe('scrollActions', () => {
  it('maps arrows, pages and letters', () => {
    expect(scrollActions('\x1b[A')).toEqual(['up']);
    expect(scrollActions('\x1b[6~')).toEqual(['page-down']);
    expect(scrollActions('jjk')).toEqual(['down', 'down', 'up']);
    expect(scrollActions('/')).toEqual(['search']);
    expect(scrollActions('nN')).toEqual(['next', 'prev']);
    expect(scrollActions('t')).toEqual(['times']);
  });

  it('reads a lone Esc as leaving, and an arrow sequence as one key', () => {
    expect(scrollActions('\x1b')).toEqual(['quit']);
    expect(scrollActions('\x1b[B')).toEqual(['down']);
    expect(scrollActions('\x1bOA')).toEqual(['up']);
  });

  it('drops keys it does not know', () => {
    expect(scrollActions('xyz\x1b[15~')).toEqual([]);
  });
});
