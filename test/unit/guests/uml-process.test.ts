// verifyUmlPid against a made-up /proc: a pid file is believed only for a live process of the directory's owner
// that runs that umid (in that uml_dir) or holds the directory's mconsole socket.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { holdsSocket, verifyUmlPid } from '../../../src/guests/uml-process.js';

const proc = fs.mkdtempSync(path.join(os.tmpdir(), 'umx-proc-'));
afterAll(() => fs.rmSync(proc, { recursive: true, force: true }));

/** A process in the fake /proc: stat, status (Uid), NUL-separated cmdline, cwd link, and socket fds. */
function fakeProcess(pid: number, o: { uid: number; argv: string[]; state?: string; cwd?: string; sockets?: string[] }): void {
  const dir = path.join(proc, String(pid));
  fs.mkdirSync(path.join(dir, 'fd'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'stat'), `${pid} (linux) ${o.state ?? 'S'} 1 ${pid} ${pid} 0 -1\n`);
  fs.writeFileSync(path.join(dir, 'status'), `Name:\tlinux\nUid:\t${o.uid}\t${o.uid}\t${o.uid}\t${o.uid}\n`);
  fs.writeFileSync(path.join(dir, 'cmdline'), o.argv.join('\0') + '\0');
  fs.symlinkSync(o.cwd ?? '/', path.join(dir, 'cwd'));
  (o.sockets ?? []).forEach((inode, i) => fs.symlinkSync(`socket:[${inode}]`, path.join(dir, 'fd', String(3 + i))));
}

fs.mkdirSync(path.join(proc, 'net'));
fs.writeFileSync(
  path.join(proc, 'net', 'unix'),
  'Num       RefCount Protocol Flags    Type St Inode Path\n' +
    '0000000000000000: 00000002 00000000 00000000 0002 01 77001 /tmp/uml/rnd123/mconsole\n' +
    '0000000000000000: 00000002 00000000 00000000 0002 01 77002 /tmp/uml/web1/mconsole\n',
);
fakeProcess(100, { uid: 0, argv: ['sleep', '1000'] });
fakeProcess(101, { uid: 1000, argv: ['linux', 'umid=web1', 'mem=64M'] });
fakeProcess(102, { uid: 1000, argv: ['linux', 'umid=web1', 'uml_dir=uml'], cwd: '/srv' });
fakeProcess(103, { uid: 1000, argv: ['linux', 'mem=64M'], sockets: ['77001'] });
fakeProcess(104, { uid: 1000, argv: ['linux', 'umid=web1'], state: 'Z' });
fakeProcess(105, { uid: 1000, argv: ['linux', 'umid=db1'] });

describe('verifyUmlPid', () => {
  it('believes a process of the owner that runs the umid', () => {
    expect(verifyUmlPid({ umid: 'web1', dir: '/tmp/uml/web1', pid: 101, uid: 1000 }, proc)).toEqual({ ok: true });
  });
  it('refuses another user\'s process, whatever it runs', () => {
    expect(verifyUmlPid({ umid: 'planted', dir: '/tmp/uml/planted', pid: 100, uid: 1001 }, proc)).toEqual({
      ok: false,
      why: 'pid 100 runs as uid 0 but /tmp/uml/planted belongs to uid 1001: not trusted',
    });
    expect(verifyUmlPid({ umid: 'web1', dir: '/tmp/uml/web1', pid: 101, uid: 1001 }, proc).ok).toBe(false);
  });
  it('refuses the owner\'s process when it is not that guest', () => {
    const v = verifyUmlPid({ umid: 'web1', dir: '/tmp/uml/web1', pid: 105, uid: 1000 }, proc);
    expect(v).toEqual({ ok: false, why: 'pid 105 (linux) runs umid=db1 and does not hold /tmp/uml/web1/mconsole: not this guest' });
  });
  it('checks uml_dir against the process\'s working directory', () => {
    expect(verifyUmlPid({ umid: 'web1', dir: '/srv/uml/web1', pid: 102, uid: 1000 }, proc)).toEqual({ ok: true });
    const v = verifyUmlPid({ umid: 'web1', dir: '/tmp/uml/web1', pid: 102, uid: 1000 }, proc);
    expect(v.ok).toBe(false);
    expect(v.ok ? '' : v.why).toContain('runs umid=web1 in another uml_dir');
  });
  it('ties a made-up umid to its directory through the mconsole socket the process holds', () => {
    expect(verifyUmlPid({ umid: 'rnd123', dir: '/tmp/uml/rnd123', pid: 103, uid: 1000 }, proc)).toEqual({ ok: true });
    expect(holdsSocket(103, '/tmp/uml/rnd123/mconsole', proc)).toBe(true);
    expect(holdsSocket(103, '/tmp/uml/web1/mconsole', proc)).toBe(false);
    const v = verifyUmlPid({ umid: 'other', dir: '/tmp/uml/other', pid: 103, uid: 1000 }, proc);
    expect(v.ok ? '' : v.why).toBe('pid 103 (linux) has no umid= on its command line and does not hold /tmp/uml/other/mconsole: not this guest');
  });
  it('calls a zombie or a missing pid gone', () => {
    expect(verifyUmlPid({ umid: 'web1', dir: '/tmp/uml/web1', pid: 104, uid: 1000 }, proc)).toEqual({ ok: false, why: 'pid 104 is gone' });
    expect(verifyUmlPid({ umid: 'web1', dir: '/tmp/uml/web1', pid: 999, uid: 1000 }, proc)).toEqual({ ok: false, why: 'pid 999 is gone' });
  });
});
