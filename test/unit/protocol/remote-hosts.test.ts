// Several hosts, the pure parts: what may be an ssh destination (no option smuggled in as a host), hosts.toml, the
// host a TUI command line goes to (its target's @HOST), a far guest list taken on receipt, and the sidebar by host.

import { describe, expect, it } from 'vitest';
import { checkHostName, checkSshDestination } from '../../../src/protocol/ssh-destination.js';
import { parseHosts, resolveHost } from '../../../src/config/hosts-config.js';
import { routeArgv } from '../../../src/commands/host-target.js';
import { receivedGuests, splitQualified } from '../../../src/protocol/host-guest.js';
import { sshArgv } from '../../../src/client/ssh-transport.js';
import { nextGrouping, sidebarRows, wrapWords } from '../../../src/tui/sidebar-model.js';
import type { GuestInfo } from '../../../src/protocol/wire-messages.js';
import type { GuestState } from '../../../src/protocol/guest-state.js';

const guest = (name: string, state = 'running'): GuestInfo => ({
  name, umid: name, state: state as GuestState, pid: 1, mem: '64M', consoles: [{ name: 'con0', clients: 0, lost: false }], clients: 0, uptimeMs: 0, adopted: false, restarts: 0, panic: null,
});

describe('checkSshDestination', () => {
  it('takes [user@]HOST, an alias, an IPv6 literal', () => {
    for (const ok of ['b', 'admin@b.example', 'umux-t-hostb@127.0.0.1', 'web_1', '[::1]', 'root@fe80::1%eth0']) expect(checkSshDestination(ok)).toBe(ok);
  });

  it('refuses an option, blanks, controls, shell words, two @ and overlong text, each in one line', () => {
    const bad = ['-oProxyCommand=touch /tmp/x', '-p', 'a b', 'a\tb', 'a\nb', 'evil\x1b]0;x\x07', 'a;id', '$(id)', 'a`id`', 'a@b@c', 'a@', '', 'x'.repeat(256), 'a/b'];
    for (const b of bad) {
      let msg = '';
      try {
        checkSshDestination(b);
      } catch (err) {
        msg = (err as Error).message;
      }
      expect(msg, JSON.stringify(b)).toMatch(/^--host: expected an ssh destination/);
      expect(msg).not.toMatch(/[\x00-\x1f]/);
    }
  });

  it('host names are short and plain, and never "local"', () => {
    expect(checkHostName('b-2.example')).toBe('b-2.example');
    for (const b of ['local', '', '-b', 'a b', 'x'.repeat(41), 'a@b']) expect(() => checkHostName(b)).toThrow(/expected a host name/);
  });
});

describe('hosts.toml', () => {
  const file = '/home/admin/.config/umux/hosts.toml';

  it('reads each [[host]]: name, ssh (default the name), umux, ssh_config (relative to the file, ~ expanded), timeout', () => {
    const hosts = parseHosts('[[host]]\nname = "b"\nssh = "admin@b.example"\numux = "/usr/local/bin/umux"\nssh_config = "~/.ssh/umux"\nconnect_timeout = 4\n\n[[host]]\nname = "c"\nssh_config = "c.conf"\n', file, '/home/admin');
    expect(hosts).toEqual([
      { name: 'b', ssh: 'admin@b.example', umux: '/usr/local/bin/umux', sshConfig: '/home/admin/.ssh/umux', connectTimeoutS: 4 },
      { name: 'c', ssh: 'c', sshConfig: '/home/admin/.config/umux/c.conf' },
    ]);
  });

  it('says what is wrong in one line: an option as ssh, an unknown key, two hosts of one name, a bad timeout', () => {
    expect(() => parseHosts('[[host]]\nname = "b"\nssh = "-oProxyCommand=sh"\n', file)).toThrow(/ssh: expected an ssh destination, got "-oProxyCommand=sh", which ssh would take for an option/);
    expect(() => parseHosts('[[host]]\nname = "b"\nsssh = "b"\n', file)).toThrow(/host 1: sssh: unknown key/);
    expect(() => parseHosts('[[host]]\nname = "b"\n[[host]]\nname = "b"\n', file)).toThrow(/two hosts are called "b"/);
    expect(() => parseHosts('[[host]]\nname = "b"\nconnect_timeout = 0\n', file)).toThrow(/connect_timeout: expected seconds from 1 to 300/);
    expect(() => parseHosts('[[host]]\nssh = "b"\n', file)).toThrow(/name: expected a host name/);
    expect(() => parseHosts('host = 3\n', file)).toThrow(/expected \[\[host\]\] tables/);
  });

  it('--host WORD is a hosts.toml name, else a destination (checked)', () => {
    const hosts = [{ name: 'b', ssh: 'admin@b.example' }];
    expect(resolveHost('b', hosts)).toBe(hosts[0]);
    expect(resolveHost('root@c', hosts)).toEqual({ name: 'root@c', ssh: 'root@c' });
    expect(() => resolveHost('-oProxyCommand=sh', hosts)).toThrow(/which ssh would take for an option/);
  });

  it('ssh gets -T, BatchMode, timeouts, -F, then -- before the destination and the far command last', () => {
    const argv = sshArgv({ name: 'b', destination: 'admin@b', umux: '/opt/umux', sshConfig: '/x/cfg', connectTimeoutS: 3 });
    expect(argv.slice(0, 1)).toEqual(['-T']);
    expect(argv).toContain('BatchMode=yes');
    expect(argv).toContain('ConnectTimeout=3');
    expect(argv.slice(-5)).toEqual(['-F', '/x/cfg', '--', 'admin@b', '/opt/umux server --stdio']);
    expect(() => sshArgv({ name: 'x', destination: '-oProxyCommand=sh' })).toThrow();
  });
});

describe('routeArgv', () => {
  it('sends a line to the host its target names, the target made plain', () => {
    expect(routeArgv(['restart', 'web1@b'])).toEqual({ host: 'b', argv: ['restart', 'web1'] });
    expect(routeArgv(['log', '--lines', '5', 'web1@b:con1'])).toEqual({ host: 'b', argv: ['log', '--lines', '5', 'web1:con1'] });
    expect(routeArgv(['send', 'web1@b', 'mail', 'me@c'])).toEqual({ host: 'b', argv: ['send', 'web1', 'mail', 'me@c'] });
  });

  it('keeps a local target, and a line with no target, on the local host', () => {
    expect(routeArgv(['restart', 'web1'])).toEqual({ host: 'local', argv: ['restart', 'web1'] });
    expect(routeArgv(['ls'])).toEqual({ host: 'local', argv: ['ls'] });
    expect(routeArgv(['events'])).toEqual({ host: 'local', argv: ['events'] });
  });
});

describe('a far guest list on receipt', () => {
  it('names each guest NAME@HOST and leaves out names no guest may have, and malformed rows', () => {
    const got = receivedGuests<GuestInfo>([guest('web1'), guest('../etc'), guest('a\x1b[2Jb'), { name: 'x' }, 'junk', { ...guest('db1'), consoles: [{ name: 'con0' }, { name: '../x' }] }], 'b');
    expect(got.guests.map((g) => g.name)).toEqual(['web1@b', 'db1@b']);
    expect(got.guests[1]!.consoles.map((c) => c.name)).toEqual(['con0']);
    expect(got.dropped).toBe(4);
    expect(receivedGuests('not a list', 'b')).toEqual({ guests: [], dropped: 0 });
    expect(splitQualified('web1@b')).toEqual({ guest: 'web1', host: 'b' });
    expect(splitQualified('web1')).toEqual({ guest: 'web1', host: 'local' });
  });
});

describe('the sidebar by host', () => {
  it('shows each host in order under its header, an unreachable one with why, wrapped at words', () => {
    const rows = sidebarRows([guest('web1@b'), guest('near1'), guest('db1@c', 'crashed')], {
      filter: '',
      group: 'host',
      hosts: [
        { host: 'local', state: 'up', reason: '' },
        { host: 'b', state: 'up', reason: '' },
        { host: 'c', state: 'up', reason: '' },
        { host: 'd', state: 'down', reason: 'ssh: connect to host d port 22: Connection refused', retryS: 5 },
        { host: 'e', state: 'connecting', reason: '' },
        { host: 'f', state: 'down', reason: 'umux-t-x@f: Permission denied (publickey,password).' },
      ],
    });
    const shown = rows.map((r) => (r.kind === 'guest' ? r.guest.name : r.kind === 'header' ? `## ${r.text} ${r.count}` : `   ${r.text}`));
    expect(shown).toEqual([
      '## local 1', 'near1', '## b 1', 'web1@b', '## c 1', 'db1@c',
      '## d 0', '   unreachable, retry 5 s', '   Connection refused',
      '## e 0', '   connecting…',
      '## f 0', '   unreachable', '   Permission denied', '   (publickey,password).',
    ]);
    expect(wrapWords('a'.repeat(30), 24, 3)).toEqual(['a'.repeat(24), 'a'.repeat(6)]);
  });

  it('steps to host after dir only with several hosts', () => {
    expect(nextGrouping('dir')).toBe('none');
    expect(nextGrouping('dir', true)).toBe('host');
    expect(nextGrouping('host', true)).toBe('none');
  });
});
