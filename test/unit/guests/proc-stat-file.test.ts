// ProcStatFile: the state letter of a real process read again through one open /proc/PID/stat (stopped shows T at
// once), and 'gone' once the process has ended and been reaped, never the state of whatever took the number.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ProcStatFile } from '../../../src/guests/proc-info.js';

const waitFor = async (what: () => boolean) => {
  for (let i = 0; i < 200 && !what(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe('ProcStatFile', () => {
  it('reads S, then T after SIGSTOP, then gone after the end', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    const stat = new ProcStatFile(child.pid!);
    try {
      await waitFor(() => stat.state() === 'S');
      expect(stat.state()).toBe('S');
      child.kill('SIGSTOP');
      await waitFor(() => stat.state() === 'T');
      expect(stat.state()).toBe('T');
      child.kill('SIGCONT');
      await waitFor(() => stat.state() === 'S'); // running (R) for a moment first
      expect(stat.state()).toBe('S');
      child.kill('SIGKILL');
      await once(child, 'exit');
      await waitFor(() => stat.state() === 'gone');
      expect(stat.state()).toBe('gone');
    } finally {
      stat.dispose();
      child.kill('SIGKILL');
    }
  });

  it('says undefined for a pid with no process (the caller asks kill(pid, 0))', () => {
    const stat = new ProcStatFile(2 ** 22 + 7);
    expect(stat.state()).toBeUndefined();
    stat.dispose();
  });
});
