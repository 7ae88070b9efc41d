// parseGuestDef on good files: every default, every key, paths made absolute (`~`, relative to cwd), and the
// GUEST_KEYS table agreeing with the parser. The error messages are in guest-def-errors.test.ts.

import { describe, expect, it } from 'vitest';
import { GUEST_KEYS, parseGuestDef, type GuestDef } from '../../../src/config/guest-def.js';

const FILE = '/etc/umux/guests/web1.toml';
const HOME = '/home/ann';
const parseDef = (text: string, file = FILE): GuestDef => parseGuestDef(text, file, { home: HOME });

describe('parseGuestDef: defaults', () => {
  it('gives an empty file every default', () => {
    expect(parseDef('')).toEqual({
      name: 'web1',
      file: FILE,
      kernel: '/usr/bin/linux',
      mem: '128M',
      umid: 'web1',
      umlDir: '/home/ann/.uml',
      disks: [],
      args: [],
      consoles: 1,
      serials: 1,
      consoleTransport: 'socketpair',
      ports: [],
      autostart: false,
      restart: 'never',
      restartDelayMs: 1000,
      restartMaxDelayMs: 60000,
      cwd: '/etc/umux/guests',
      scrollback: 2000,
      logTimestamps: false,
      logMaxBytes: 16 * 1024 * 1024,
      logKeep: 3,
      hooks: { commands: {}, timeoutMs: 30000 },
    });
  });

  it('leaves hostfsRoot, init and user out when unset', () => {
    const def = parseDef('# nothing but a comment\n');
    expect('hostfsRoot' in def || 'init' in def || 'user' in def).toBe(false);
  });

  it('makes a relative file name absolute', () => {
    const def = parseDef('', 'guests/db.toml');
    expect(def.file).toBe(`${process.cwd()}/guests/db.toml`);
    expect(def.name).toBe('db');
    expect(def.cwd).toBe(`${process.cwd()}/guests`);
  });

  it('raises the restart cap to restart_delay_ms when only the delay is given and it is larger', () => {
    expect(parseDef('restart_delay_ms = 120000').restartMaxDelayMs).toBe(120000);
    expect(parseDef('restart_delay_ms = 5000').restartMaxDelayMs).toBe(60000);
  });
});

describe('parseGuestDef: every key', () => {
  const full = `
kernel = "/opt/uml/linux-6.1"
mem = "1G"
umid = "web-1.prod"
uml_dir = "/srv/uml"
cwd = "/srv/guests/web1"
disks = ["ubda=root.img", "ubdbr=/srv/cow/web1.cow,../base.img", "ubd2s=~/swap.img"]
hostfs_root = "rootfs"
init = "/sbin/init"
args = ["quiet", "loglevel=4", "console=tty0"]
consoles = 3
serials = 2
console_transport = "pty"
autostart = true
restart = "on-panic"
restart_delay_ms = 500
restart_max_delay_ms = 30000
user = "uml"
scrollback = 5000
log_timestamps = true
log_max_bytes = "64M"
log_keep = 10
lines = { ssl2 = "port:9123" }
[hooks]
panic = ["/usr/bin/mail", "-s", "panic", "root"]
timeout_ms = 5000
`;

  it('reads each key into its field', () => {
    expect(parseDef(full)).toEqual({
      name: 'web1',
      file: FILE,
      kernel: '/opt/uml/linux-6.1',
      mem: '1G',
      umid: 'web-1.prod',
      umlDir: '/srv/uml',
      disks: ['ubda=/srv/guests/web1/root.img', 'ubdbr=/srv/cow/web1.cow,/srv/guests/base.img', 'ubd2s=/home/ann/swap.img'],
      hostfsRoot: '/srv/guests/web1/rootfs',
      init: '/sbin/init',
      args: ['quiet', 'loglevel=4', 'console=tty0'],
      consoles: 3,
      serials: 2,
      consoleTransport: 'pty',
      ports: [{ name: 'ssl2', port: 9123 }],
      autostart: true,
      restart: 'on-panic',
      restartDelayMs: 500,
      restartMaxDelayMs: 30000,
      cwd: '/srv/guests/web1',
      user: 'uml',
      scrollback: 5000,
      logTimestamps: true,
      logMaxBytes: 64 * 1024 * 1024,
      logKeep: 10,
      hooks: { commands: { panic: ['/usr/bin/mail', '-s', 'panic', 'root'] }, timeoutMs: 5000 },
    });
  });

  it('takes every restart policy', () => {
    for (const restart of ['never', 'on-panic', 'always']) expect(parseDef(`restart = "${restart}"`).restart).toBe(restart);
  });

  it('takes the limits of each number', () => {
    expect(parseDef('consoles = 0\nserials = 0').consoles).toBe(0);
    expect(parseDef('consoles = 15\nserials = 8')).toMatchObject({ consoles: 15, serials: 8 });
    expect(parseDef('scrollback = 100').scrollback).toBe(100);
    expect(parseDef('log_keep = 0').logKeep).toBe(0);
    expect(parseDef('log_keep = 100').logKeep).toBe(100);
    expect(parseDef('scrollback = 100_000').scrollback).toBe(100000);
    expect(parseDef('restart_delay_ms = 0\nrestart_max_delay_ms = 0')).toMatchObject({ restartDelayMs: 0, restartMaxDelayMs: 0 });
  });

  it('writes mem in upper case and keeps K, M and G', () => {
    expect(parseDef('mem = "262144K"').mem).toBe('262144K');
    expect(parseDef('mem = "64m"').mem).toBe('64M');
    expect(parseDef('mem = "2G"').mem).toBe('2G');
  });

  it('reads log_max_bytes as a size string or a number of bytes', () => {
    expect(parseDef('log_max_bytes = "4K"').logMaxBytes).toBe(4096);
    expect(parseDef('log_max_bytes = "1g"').logMaxBytes).toBe(1024 ** 3);
    expect(parseDef('log_max_bytes = "100000"').logMaxBytes).toBe(100000);
    expect(parseDef('log_max_bytes = 1_048_576').logMaxBytes).toBe(1048576);
  });

  it('expands ~ in kernel, uml_dir, cwd, hostfs_root and disks', () => {
    const def = parseDef('kernel = "~/bin/linux"\numl_dir = "~"\ncwd = "~/uml/web1"\nhostfs_root = "~/roots/web1"\ndisks = ["ubda=~/web1.img"]');
    expect(def).toMatchObject({
      kernel: '/home/ann/bin/linux',
      umlDir: '/home/ann',
      cwd: '/home/ann/uml/web1',
      hostfsRoot: '/home/ann/roots/web1',
      disks: ['ubda=/home/ann/web1.img'],
    });
  });

  it('resolves relative paths against cwd, and a relative cwd against the file', () => {
    const def = parseDef('cwd = "../vm"\numl_dir = "run"\ndisks = ["ubdb=./data/../disk.img"]\nhostfs_root = "."');
    expect(def).toMatchObject({ cwd: '/etc/umux/vm', umlDir: '/etc/umux/vm/run', disks: ['ubdb=/etc/umux/vm/disk.img'], hostfsRoot: '/etc/umux/vm' });
  });

  it('takes disk numbers and letters a to p, every flag, and : between a COW file and its backing file', () => {
    expect(parseDef('disks = ["ubd0=/a", "ubdp=/p", "ubd14rc=/x", "ubdbrsdct=/c:/b"]').disks)
      .toEqual(['ubd0=/a', 'ubdp=/p', 'ubd14rc=/x', 'ubdbrsdct=/c,/b']);
  });

  it('lets other kernel arguments through, console= and root= without hostfs_root included', () => {
    expect(parseDef('args = ["console=tty0", "root=/dev/ubda", "rootfstype=ext4", "eth0=tuntap,tap0"]').args)
      .toEqual(['console=tty0', 'root=/dev/ubda', 'rootfstype=ext4', 'eth0=tuntap,tap0']);
  });

  it('takes user names and uids', () => {
    for (const user of ['uml', '_uml', 'build-bot', 'machine$', '1000']) expect(parseDef(`user = "${user}"`).user).toBe(user);
  });

  it('takes port lines in line order, and they default to none', () => {
    expect(parseDef('').ports).toEqual([]);
    expect(parseDef('[lines]\nssl1 = "port:9124"\ncon2 = "port:9125"\nssl0 = "port:9123"').ports).toEqual([
      { name: 'con2', port: 9125 }, { name: 'ssl0', port: 9123 }, { name: 'ssl1', port: 9124 },
    ]);
  });

  it('accepts the example line of every key in GUEST_KEYS', () => {
    for (const row of GUEST_KEYS) expect(() => parseDef(row.example), row.key).not.toThrow();
  });
});

describe('GUEST_KEYS', () => {
  it('lists every key once, in snake_case, each with a type, a summary and an example that sets it', () => {
    const keys = GUEST_KEYS.map((k) => k.key);
    expect(keys).toEqual([
      'kernel', 'mem', 'umid', 'uml_dir', 'disks', 'hostfs_root', 'init', 'args', 'consoles', 'serials', 'console_transport', 'lines', 'autostart',
      'restart', 'restart_delay_ms', 'restart_max_delay_ms', 'cwd', 'user', 'scrollback', 'log_timestamps', 'log_max_bytes', 'log_keep',
      'hooks',
    ]);
    for (const row of GUEST_KEYS) {
      expect(row.type).not.toBe('');
      expect(row.summary).not.toMatch(/\n|\.$/);
      expect(row.example.startsWith(`${row.key} = `)).toBe(true);
    }
  });

  it('states the defaults the parser applies', () => {
    const def = parseDef('');
    const shown = Object.fromEntries(GUEST_KEYS.map((k) => [k.key, k.default]));
    expect(shown).toMatchObject({
      kernel: def.kernel, mem: def.mem, consoles: String(def.consoles), serials: String(def.serials),
      autostart: String(def.autostart), restart: def.restart, restart_delay_ms: String(def.restartDelayMs),
      restart_max_delay_ms: String(def.restartMaxDelayMs), scrollback: String(def.scrollback),
      log_timestamps: String(def.logTimestamps), log_max_bytes: '16M', uml_dir: '~/.uml',
    });
  });
});
