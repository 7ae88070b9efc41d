// Every message parseGuestDef can give, word for word: `FILE: KEY: expected WHAT, got GOT`, unknown keys with
// their close matches, TOML syntax errors as FILE:LINE:COLUMN, each on one line with a one-line hint.

import { describe, expect, it } from 'vitest';
import { UmuxError } from '../../../src/core/errors.js';
import { ConfigError } from '../../../src/config/config-error.js';
import { parseGuestDef } from '../../../src/config/guest-def.js';

const FILE = '/etc/umux/guests/web1.toml';
const HOME = '/home/ann';

function errorOf(text: string, file = FILE): ConfigError {
  try {
    parseGuestDef(text, file, { home: HOME });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

const RANGE = (what: string) => `expected ${what}`;
const DISK = 'expected a UML disk such as "ubda=root.img" or "ubdbr=cow.img,backing.img"';
const UMID = "expected 1 to 63 letters, digits, '.', '_' or '-', not starting with '.' or '-'";

/** [file text, key, message after `web1.toml: `]. */
const CASES: [string, string, string][] = [
  // types: the value and its TOML type
  ['kernel = 1', 'kernel', 'kernel: expected an absolute path such as /usr/bin/linux, got 1 (integer)'],
  ['mem = 256', 'mem', 'mem: expected a size such as 256M or 1G, got 256 (integer)'],
  ['consoles = "two"', 'consoles', `consoles: ${RANGE('a whole number from 0 to 15')}, got "two" (string)`],
  ['consoles = 2.0', 'consoles', `consoles: ${RANGE('a whole number from 0 to 15')}, got 2.0 (float)`],
  ['serials = true', 'serials', `serials: ${RANGE('a whole number from 0 to 8')}, got true (boolean)`],
  ['autostart = "yes"', 'autostart', 'autostart: expected true or false, got "yes" (string)'],
  ['log_timestamps = 1', 'log_timestamps', 'log_timestamps: expected true or false, got 1 (integer)'],
  ['restart = false', 'restart', 'restart: expected never, on-panic or always, got false (boolean)'],
  ['console_transport = "tty"', 'console_transport', 'console_transport: expected socketpair or pty, got "tty"'],
  ['console_transport = 1', 'console_transport', 'console_transport: expected socketpair or pty, got 1 (integer)'],
  ['disks = "ubda=root.img"', 'disks', 'disks: expected a list of UML disks such as ["ubda=root.img"], got "ubda=root.img" (string)'],
  ['disks = ["ubda=/a", 2]', 'disks', 'disks: expected only strings in the list, got 2 (integer)'],
  ['args = "quiet"', 'args', 'args: expected a list of kernel arguments such as ["quiet"], got "quiet" (string)'],
  ['args = [["quiet"]]', 'args', 'args: expected only strings in the list, got an array'],
  ['umid = 7', 'umid', `umid: ${UMID}, got 7 (integer)`],
  ['uml_dir = []', 'uml_dir', 'uml_dir: expected a directory path without spaces, got an array'],
  ['[cwd]\npath = "/x"', 'cwd', 'cwd: expected a directory path, got a table'],
  ['user = 1000', 'user', 'user: expected a host user name such as uml, got 1000 (integer)'],
  ['scrollback = 1e4', 'scrollback', 'scrollback: expected a whole number of lines from 100 to 100000, got 10000.0 (float)'],
  ['log_max_bytes = true', 'log_max_bytes', 'log_max_bytes: expected a size of at least 4K such as 16M, or a number of bytes, got true (boolean)'],
  ['init = 1979-05-27', 'init', 'init: expected an absolute path inside the guest such as /sbin/init, got 1979-05-27 (date-time)'],
  ['restart_delay_ms = nan', 'restart_delay_ms', 'restart_delay_ms: expected a whole number of milliseconds from 0 to 3600000, got nan (float)'],
  // values
  ['kernel = "linux"', 'kernel', 'kernel: expected an absolute path such as /usr/bin/linux, got "linux"'],
  ['kernel = ""', 'kernel', 'kernel: expected an absolute path such as /usr/bin/linux, got ""'],
  ['mem = "lots"', 'mem', 'mem: expected a size such as 256M or 1G, got "lots"'],
  ['mem = "0M"', 'mem', 'mem: expected a size such as 256M or 1G, got "0M"'],
  ['mem = "256"', 'mem', 'mem: expected a size such as 256M or 1G, got "256"'],
  ['mem = "1.5G"', 'mem', 'mem: expected a size such as 256M or 1G, got "1.5G"'],
  ['umid = "web/1"', 'umid', `umid: ${UMID}, got "web/1"`],
  ['umid = ".web"', 'umid', `umid: ${UMID}, got ".web"`],
  ['umid = ""', 'umid', `umid: ${UMID}, got ""`],
  [`umid = "${'a'.repeat(64)}"`, 'umid', `umid: ${UMID}, got "${'a'.repeat(60)}…"`],
  ['uml_dir = "/srv/my uml"', 'uml_dir', 'uml_dir: expected a directory path without spaces, got "/srv/my uml"'],
  ['uml_dir = "~bob/uml"', 'uml_dir', 'uml_dir: expected a directory path without spaces, got "~bob/uml"'],
  ['cwd = ""', 'cwd', 'cwd: expected a directory path, got ""'],
  ['disks = ["root.img"]', 'disks', `disks: ${DISK}, got "root.img"`],
  ['disks = ["ubda="]', 'disks', `disks: ${DISK}, got "ubda="`],
  ['disks = ["ubdq=/x.img"]', 'disks', `disks: ${DISK}, got "ubdq=/x.img"`],
  ['disks = ["ubd16=/x.img"]', 'disks', `disks: ${DISK}, got "ubd16=/x.img"`],
  ['disks = ["ubdaw=/x.img"]', 'disks', `disks: ${DISK}, got "ubdaw=/x.img"`],
  ['disks = ["ubda=/a,/b,/c"]', 'disks', `disks: ${DISK}, got "ubda=/a,/b,/c"`],
  ['disks = ["ubda=/my disk.img"]', 'disks', `disks: ${DISK}, got "ubda=/my disk.img"`],
  ['disks = ["ubda=~bob/x.img"]', 'disks', `disks: ${DISK}, got "~bob/x.img"`],
  ['disks = ["ubda=/a.img", "ubd0r=/b.img"]', 'disks', 'disks: expected each device once, got "ubd0r=/b.img" after "ubda=/a.img"'],
  ['hostfs_root = "/srv/a,b"', 'hostfs_root', 'hostfs_root: expected a directory path without spaces or commas, got "/srv/a,b"'],
  ['init = "sbin/init"', 'init', 'init: expected an absolute path inside the guest such as /sbin/init, got "sbin/init"'],
  ['init = "/bin/sh -x"', 'init', 'init: expected an absolute path inside the guest such as /sbin/init, got "/bin/sh -x"'],
  ['args = ["quiet loglevel=4"]', 'args', 'args: expected one kernel argument per string, without spaces, got "quiet loglevel=4"'],
  ['args = [""]', 'args', 'args: expected one kernel argument per string, without spaces, got ""'],
  ['args = ["umid=x"]', 'args', 'args: expected no umid= (use the umid key), got "umid=x"'],
  ['args = ["uml_dir=/srv"]', 'args', 'args: expected no uml_dir= (use the uml_dir key), got "uml_dir=/srv"'],
  ['args = ["quiet", "mem=512M"]', 'args', 'args: expected no mem= (use the mem key), got "mem=512M"'],
  ['args = ["con=null"]', 'args', 'args: expected no con= (use the consoles key), got "con=null"'],
  ['args = ["con1=pts"]', 'args', 'args: expected no con1= (use the consoles key), got "con1=pts"'],
  ['args = ["ssl0=fd:5"]', 'args', 'args: expected no ssl0= (use the serials key), got "ssl0=fd:5"'],
  ['args = ["mconsole=notify:/tmp/n"]', 'args', 'args: expected no mconsole= (umux sets it), got "mconsole=notify:/tmp/n"'],
  ['args = ["ubdb=/x.img"]', 'args', 'args: expected no ubdb= (use the disks key), got "ubdb=/x.img"'],
  ['args = ["init=/bin/sh"]', 'args', 'args: expected no init= (use the init key), got "init=/bin/sh"'],
  ['hostfs_root = "/r"\nargs = ["root=/dev/ubda"]', 'args', 'args: expected no root= when hostfs_root is set (umux sets it), got "root=/dev/ubda"'],
  ['hostfs_root = "/r"\nargs = ["hostfs=/x"]', 'args', 'args: expected no hostfs= when hostfs_root is set (umux sets it), got "hostfs=/x"'],
  ['consoles = 16', 'consoles', `consoles: ${RANGE('a whole number from 0 to 15')}, got 16`],
  ['consoles = -1', 'consoles', `consoles: ${RANGE('a whole number from 0 to 15')}, got -1`],
  ['serials = 9', 'serials', `serials: ${RANGE('a whole number from 0 to 8')}, got 9`],
  ['restart = "panic"', 'restart', 'restart: expected never, on-panic or always, got "panic"'],
  ['restart_delay_ms = 3600001', 'restart_delay_ms', 'restart_delay_ms: expected a whole number of milliseconds from 0 to 3600000, got 3600001'],
  ['restart_max_delay_ms = 86400001', 'restart_max_delay_ms', 'restart_max_delay_ms: expected a whole number of milliseconds from 0 to 86400000, got 86400001'],
  ['restart_delay_ms = 5000\nrestart_max_delay_ms = 1000', 'restart_max_delay_ms', 'restart_max_delay_ms: expected at least restart_delay_ms (5000), got 1000'],
  ['user = "ann smith"', 'user', 'user: expected a host user name such as uml, got "ann smith"'],
  ['scrollback = 99', 'scrollback', 'scrollback: expected a whole number of lines from 100 to 100000, got 99'],
  ['scrollback = 99999999999999999999', 'scrollback', 'scrollback: expected a whole number of lines from 100 to 100000, got 99999999999999999999'],
  ['log_max_bytes = "1K"', 'log_max_bytes', 'log_max_bytes: expected a size of at least 4K such as 16M, or a number of bytes, got "1K"'],
  ['log_max_bytes = "16MB"', 'log_max_bytes', 'log_max_bytes: expected a size of at least 4K such as 16M, or a number of bytes, got "16MB"'],
  ['log_max_bytes = 100', 'log_max_bytes', 'log_max_bytes: expected a size of at least 4K such as 16M, or a number of bytes, got 100'],
  ['log_keep = 101', 'log_keep', 'log_keep: expected a whole number of files from 0 to 100, got 101'],
  ['log_keep = -1', 'log_keep', 'log_keep: expected a whole number of files from 0 to 100, got -1'],
  // port lines
  ['lines = "port:9123"', 'lines', 'lines: expected a table such as { ssl0 = "port:9123" }, got "port:9123" (string)'],
  ['lines = { ssl0 = "port:80" }', 'lines', 'lines: expected ssl0 = "port:N" with N from 1024 to 65535, got "port:80"'],
  ['lines = { ssl0 = "port:70000" }', 'lines', 'lines: expected ssl0 = "port:N" with N from 1024 to 65535, got "port:70000"'],
  ['lines = { ssl0 = 9123 }', 'lines', 'lines: expected ssl0 = "port:N" with N from 1024 to 65535, got 9123 (integer)'],
  ['lines = { ssl0 = "pts" }', 'lines', 'lines: expected ssl0 = "port:N" with N from 1024 to 65535, got "pts"'],
  ['lines = { con0 = "port:9123" }', 'lines', 'lines: expected a line con1..con15 or ssl0..ssl63, got "con0"'],
  ['lines = { ssl64 = "port:9123" }', 'lines', 'lines: expected a line con1..con15 or ssl0..ssl63, got "ssl64"'],
  ['[lines]\ncon1 = "port:9123"\nssl0 = "port:9123"', 'lines', 'lines: expected a port of its own for ssl0, got port 9123, which con1 has too'],
];

describe('parseGuestDef: wrong values', () => {
  it.each(CASES)('%s', (text, key, message) => {
    const err = errorOf(text);
    expect(err.message).toBe(`web1.toml: ${message}`);
    expect(err.key).toBe(key);
    expect(err.file).toBe(FILE);
    expect(err.code).toBe('usage');
    expect(err).toBeInstanceOf(UmuxError);
    expect(err.message).not.toMatch(/[\n\r]/);
    expect(err.hint).toBeTruthy();
    expect(err.hint).not.toMatch(/[\n\r]/);
  });

  it('says where the key is', () => {
    expect(errorOf('# web1\nkernel = "/usr/bin/linux"\n\n  mem = "lots"\n').line).toBe(4);
    expect(errorOf('autostart = true\n[cwd]\npath = "/x"').line).toBe(2);
  });

  it('hints at a line that would do, in the file at fault', () => {
    expect(errorOf('mem = "lots"').hint).toBe(`write it like mem = "256M" in ${FILE}`);
    expect(errorOf('kernel = "linux"').hint).toBe('give the kernel\'s full path (`command -v linux` finds it), e.g. kernel = "/usr/bin/linux"');
    expect(errorOf('args = ["mem=512M"]').hint).toBe('remove it from args and write mem = "512M"');
    expect(errorOf('args = ["con1=pts"]').hint).toBe('remove it from args and write consoles = 1');
    expect(errorOf('uml_dir = "~bob/uml"').hint).toBe('only ~ and ~/... are expanded (to /home/ann): write the full path');
  });

  it('refuses a file name that cannot be a guest name or default umid', () => {
    const err = errorOf('', '/etc/umux/guests/my web.toml');
    expect(err.message).toBe(`my web.toml: expected a file name of 1 to 63 letters, digits, '.', '_' or '-', not starting with '.' or '-', got "my web"`);
    expect(err.key).toBe('');
    expect(err.hint).toBe("rename /etc/umux/guests/my web.toml: the guest's name is its file name without .toml");
  });
});

describe('parseGuestDef: unknown keys', () => {
  it.each([
    ['memory = "1G"', 'memory', 'memory: unknown key (did you mean mem?)'],
    ['umlDir = "/x"', 'umlDir', 'umlDir: unknown key (did you mean uml_dir?)'],
    ['uml-dir = "/x"', 'uml-dir', 'uml-dir: unknown key (did you mean uml_dir?)'],
    ['consols = 2', 'consols', 'consols: unknown key (did you mean consoles?)'],
    ['restart_delay = 5', 'restart_delay', 'restart_delay: unknown key (did you mean restart_delay_ms?)'],
    ['disk = ["ubda=/x"]', 'disk', 'disk: unknown key (did you mean disks?)'],
    ['console = 2', 'console', 'console: unknown key (did you mean consoles?)'],
    ['serial = 2', 'serial', 'serial: unknown key (did you mean serials?)'],
    ['timestamps = true', 'timestamps', 'timestamps: unknown key (did you mean log_timestamps?)'],
    ['kernal = "/x"', 'kernal', 'kernal: unknown key (did you mean kernel?)'],
    ['colour = "red"', 'colour', 'colour: unknown key'],
    ['[network]\neth0 = "tuntap"', 'network', 'network: unknown key'],
    ['"a\\nb" = 1', '"a\\nb"', '"a\\nb": unknown key'],
  ])('%s', (text, key, message) => {
    const err = errorOf(text);
    expect(err.message).toBe(`web1.toml: ${message}`);
    expect(err.key).toBe(key);
    expect(err.message).not.toMatch(/[\n\r]/);
  });

  it('is reported before any other mistake, with its line and a hint', () => {
    const err = errorOf('mem = "lots"\n\nmemroy = "1G"');
    expect(err.message).toBe('web1.toml: memroy: unknown key (did you mean mem?)');
    expect(err.line).toBe(3);
    expect(err.hint).toBe(`rename it to mem in ${FILE}, or remove it`);
  });

  it('lists the keys when nothing is close', () => {
    expect(errorOf('colour = "red"').hint).toBe(
      `remove it from ${FILE}; the keys are kernel, mem, umid, uml_dir, disks, hostfs_root, init, args, consoles, serials, ` +
        'console_transport, lines, autostart, restart, restart_delay_ms, restart_max_delay_ms, cwd, user, scrollback, log_timestamps, log_max_bytes, log_keep, hooks',
    );
  });
});

describe('parseGuestDef: TOML syntax errors', () => {
  it.each([
    ['mem = ', 1, 7, 'invalid value'],
    ['mem = "256M"\nmem = "1G"', 2, 1, 'trying to redefine an already defined table or value'],
    ['# web1\nkernel = "/usr/bin/linux', 2, 10, 'unfinished string'],
    ['consoles = 1 2', 1, 14, 'each key-value declaration must be followed by an end-of-line'],
    ['args = ["quiet",', 1, 8, 'unfinished array'],
  ])('%j', (text, line, column, reason) => {
    const err = errorOf(text);
    expect(err.message).toBe(`web1.toml:${line}:${column}: invalid TOML: ${reason}`);
    expect(err).toMatchObject({ key: '', line, column, file: FILE, code: 'usage' });
    expect(err.hint).toBe(`fix line ${line}, column ${column} of ${FILE}`);
  });
});
