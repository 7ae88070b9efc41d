// Hot-plug requests checked before sending: each device kind's accepted forms, the exact request sent, the files to
// check, warnings, and a one-line refusal for each malformed form; mem arithmetic; busy rules.

import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/core/errors.js';
import { busyRule, memRequest, planConfig, planRemove } from '../../../src/protocol/hotplug.js';

describe('planConfig', () => {
  it('takes a sparse image, a read-only image and a COW pair (comma or colon)', () => {
    expect(planConfig('ubdb=/srv/d.img')).toEqual({ kind: 'ubd', device: 'ubdb', request: 'config ubdb=/srv/d.img', files: [{ path: '/srv/d.img', role: 'image', mayCreate: false }] });
    expect(planConfig('ubd2r=/srv/ro.img').request).toBe('config ubd2r=/srv/ro.img');
    expect(planConfig('ubd2r=/srv/ro.img').device).toBe('ubd2');
    const cow = planConfig('ubdc=/srv/cow:/srv/base');
    expect(cow.request).toBe('config ubdc=/srv/cow,/srv/base');
    expect(cow.files.map((f) => [f.role, f.mayCreate])).toEqual([['cow', true], ['backing', false]]);
    expect(planConfig('ubdbc=/srv/ocfs').warning).toMatch(/cluster/);
  });

  it('refuses malformed disks with what was expected', () => {
    const cases: Array<[string, RegExp]> = [
      ['ubdq=/x', /below 16/],
      ['ubdbrr=/x', /each flag once/],
      ['ubdbx=/x', /ubd<letter/],
      ['ubdb=disk.img', /absolute file name, got "disk.img"/],
      ['ubdb=', /FILE or COW,BACKING/],
      ['ubdb=/a,/b,/c', /FILE or COW,BACKING/],
      ['ubdbd=/a,/b', /no COW pair with the d/],
    ];
    for (const [spec, re] of cases) expect(() => planConfig(spec), spec).toThrow(re);
  });

  it('checks eth transports field by field', () => {
    expect(planConfig('eth0=mcast').request).toBe('config eth0=mcast');
    expect(planConfig('eth1=mcast,,239.192.168.1,1103,1').device).toBe('eth1');
    expect(planConfig('eth0=tuntap,,,192.168.0.254').kind).toBe('eth');
    expect(planConfig('eth1=daemon,,unix,/tmp/switch.sock').kind).toBe('eth');
    expect(planConfig('eth0=pcap,eth0,tcp,promisc,optimize').kind).toBe('eth');
    const cases: Array<[string, RegExp]> = [
      ['eth0=carrier-pigeon', /a transport \(tuntap, ethertap/],
      ['eth0=mcast,zz:zz', /MAC address/],
      ['eth0=mcast,,300.1.1.1', /IPv4 address for the multicast IP/],
      ['eth0=mcast,,,70000', /port 1\.\.65535/],
      ['eth0=mcast,,,1102,999', /TTL 0\.\.255/],
      ['eth0=mcast,,,,,extra', /at most 4 fields/],
      ['eth0=ethertap', /ethertap's tap device/],
      ['eth0=slip', /slip's host IP/],
      ['eth0=daemon,,tcp', /unix as the daemon socket type/],
      ['eth0=pcap,eth0,,fast', /pcap flags/],
      ['ethX=mcast', /eth<number>/],
    ];
    for (const [spec, re] of cases) expect(() => planConfig(spec), spec).toThrow(re);
  });

  it("names the daemon transport's control socket as a file to check, UML's default when none is given", () => {
    expect(planConfig('eth2=daemon,,unix,/nonexistent.ctl').files).toEqual([{ path: '/nonexistent.ctl', role: 'socket', mayCreate: false }]);
    expect(planConfig('eth2=daemon').files).toEqual([{ path: '/tmp/uml.ctl', role: 'socket', mayCreate: false }]);
    expect(() => planConfig('eth2=daemon,,unix,switch.ctl')).toThrow(/an absolute control socket path, got "switch.ctl"/);
    expect(planConfig('eth0=mcast').files).toEqual([]);
  });

  it('takes console channels and warns about port and xterm', () => {
    expect(planConfig('con2=pts')).toEqual({ kind: 'con', device: 'con2', request: 'config con2=pts', files: [] });
    expect(planConfig('ssl1=tty:/dev/pts/4').files).toEqual([{ path: '/dev/pts/4', role: 'tty', mayCreate: false }]);
    expect(planConfig('ssl3=port:9020').warning).toMatch(/0\.0\.0\.0:9020/);
    expect(planConfig('con3=xterm').warning).toMatch(/X display/);
    expect(() => planConfig('con16=pts')).toThrow(/con0\.\.con15/);
    expect(() => planConfig('ssl64=pts')).toThrow(/ssl0\.\.ssl63/);
    expect(() => planConfig('con2=serial')).toThrow(/a channel: pts/);
  });

  it('turns mem=, mem+= and mem-= into the relative request UML 6.1 takes, refusing starvation and growth past boot', () => {
    const M = 2 ** 20;
    const view = { boot: 128 * M, available: 100 * M, unplugged: 0 };
    expect(planConfig('mem+=64M').memOp).toEqual({ op: '+=', bytes: 64 * M });
    expect(memRequest(planConfig('mem-=32M').memOp!, view)).toEqual({ request: 'config mem=-32768K', delta: -32 * M });
    expect(memRequest(planConfig('mem+=32M').memOp!, { ...view, unplugged: 32 * M })).toEqual({ request: 'config mem=+32768K', delta: 32 * M });
    expect(memRequest(planConfig('mem=96M').memOp!, view)).toEqual({ request: 'config mem=-32768K', delta: -32 * M });
    expect(memRequest(planConfig('mem=128M').memOp!, { ...view, unplugged: 16 * M }).request).toBe('config mem=+16384K');
    expect(memRequest(planConfig('mem=128M').memOp!, view)).toEqual({ request: '', delta: 0 });
    expect(() => memRequest(planConfig('mem+=1M').memOp!, view)).toThrow(/at most the boot size 128 MiB/);
    expect(() => memRequest(planConfig('mem-=90M').memOp!, view)).toThrow(/leave the guest 10 MiB available/);
    expect(() => planConfig('mem+=lots')).toThrow(UsageError);
  });

  it('takes mem=SIZE as the size wanted, against the boot size, not MemTotal (a mem=64M guest has MemTotal ~37 MiB)', () => {
    const M = 2 ** 20;
    const guest = { boot: 64 * M, available: 30 * M, unplugged: 0 };
    expect(memRequest(planConfig('mem=64M').memOp!, guest)).toEqual({ request: '', delta: 0 });
    expect(memRequest(planConfig('mem=56M').memOp!, guest)).toEqual({ request: 'config mem=-8192K', delta: -8 * M });
    expect(memRequest(planConfig('mem=64M').memOp!, { ...guest, unplugged: 8 * M })).toEqual({ request: 'config mem=+8192K', delta: 8 * M });
    expect(() => memRequest(planConfig('mem=65M').memOp!, guest)).toThrow(/at most the boot size 64 MiB of memory, got a request for 65 MiB/);
    // UML's own spelling is taken too.
    expect(planConfig('mem=-8M').memOp).toEqual({ op: '-=', bytes: 8 * M });
    expect(planConfig('mem=+8M').memOp).toEqual({ op: '+=', bytes: 8 * M });
  });

  it('refuses what is no device at all', () => {
    expect(() => planConfig('floppy0=/x')).toThrow(/a ubd, eth, con, ssl or mem device, got "floppy0"/);
    expect(() => planConfig('ubdb')).toThrow(/DEVICE=CONFIG/);
  });
});

describe('planRemove', () => {
  it('takes plain device names and refuses mem and flags', () => {
    expect(planRemove('ubdb')).toEqual({ kind: 'ubd', device: 'ubdb', request: 'remove ubdb' });
    expect(planRemove('eth0').kind).toBe('eth');
    expect(planRemove('con2').kind).toBe('con');
    expect(() => planRemove('mem')).toThrow(/con or ssl device, got "mem"/);
    expect(() => planRemove('ubdbr')).toThrow(/like ubdb/);
    expect(() => planRemove('ethx')).toThrow(/like ubdb/);
  });
});

describe('busyRule', () => {
  it('names what to do in the guest for each kind', () => {
    expect(busyRule('ubd', 'ubdb')).toMatch(/umount/);
    expect(busyRule('eth', 'eth0')).toMatch(/ip link set eth0 down/);
    expect(busyRule('con', 'con2')).toMatch(/getty/);
    expect(busyRule('mem', 'mem')).toMatch(/never removed completely/);
  });
});
