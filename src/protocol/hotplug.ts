// Hot-plug requests checked before anything reaches the guest (seed 004 Table 8.1): `ubd<n><flags>=FILE[,BACKING]`,
// `eth<n>=TRANSPORT,...`, `con<n>=`/`ssl<n>=` channels, `mem=`/`mem+=`/`mem-=`/`mem=±` (sent as UML 6.1's `mem=±SIZE`); plus the busy rule that explains ERR.

import { UsageError } from '../core/errors.js';
import { parseMemSize } from './host-types.js';
import { parseChannelConfig } from './mconsole-replies.js';
import { MAX_DISKS } from './ubd-paths.js';

export type HotplugKind = 'ubd' | 'eth' | 'con' | 'ssl' | 'mem';

export interface HotplugFile {
  path: string;
  role: 'image' | 'cow' | 'backing' | 'tty' | 'socket';
  /** A COW file UML creates when it is missing. */
  mayCreate: boolean;
}

export interface HotplugPlan {
  kind: HotplugKind;
  /** `ubdb`, `eth0`, `con2`, `ssl1`, `mem`: what `config DEVICE` re-queries. */
  device: string;
  /** The request to send; for mem it is computed by memRequest from the guest's memory (UML 6.1 takes +/- only). */
  request: string;
  memOp?: { op: '=' | '+=' | '-='; bytes: number };
  /** Host files to check before sending. */
  files: HotplugFile[];
  /** A consequence the admin must accept first (asked on a terminal, --yes in scripts). */
  warning?: string;
}

/** Console lines UML 6.1 has: con0..con15, ssl0..ssl63 (uml-host-findings §4). */
export const MAX_CON = 15;
export const MAX_SSL = 63;

const ETH_TRANSPORTS: Readonly<Record<string, { fields: string[]; required: number }>> = {
  tuntap: { fields: ['tap device', 'MAC', 'host IP'], required: 0 },
  ethertap: { fields: ['tap device', 'MAC', 'host IP'], required: 1 },
  daemon: { fields: ['MAC', 'socket type (unix)', 'control socket'], required: 0 },
  mcast: { fields: ['MAC', 'multicast IP', 'port', 'TTL'], required: 0 },
  slip: { fields: ['host IP'], required: 1 },
  slirp: { fields: ['MAC', 'slirp command line'], required: 0 },
  pcap: { fields: ['host interface', 'filter expression', 'flags'], required: 1 },
};

const bad = (what: string, got: string, hint: string) => new UsageError(`hot-plug: expected ${what}, got "${got}"`, { hint });

const isMac = (s: string) => /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/i.test(s);
const isIpv4 = (s: string) => /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split('.').every((n) => Number(n) <= 255);

/** Checks `DEVICE=CONFIG` (or `mem+=SIZE`) and says what to send and what to check on the host first. */
export function planConfig(spec: string): HotplugPlan {
  const mem = /^mem(\+=|-=|=[+-]?)(.*)$/.exec(spec);
  if (mem) {
    const bytes = parseMemSize(mem[2]!);
    if (bytes <= 0) throw bad('a memory size above 0', mem[2]!, 'as in mem=256M, mem-=64M or mem=-64M');
    // UML's own mem=+SIZE and mem=-SIZE are mem+= and mem-=.
    const op = ({ '=+': '+=', '=-': '-=' } as Record<string, '+=' | '-='>)[mem[1]!] ?? (mem[1] as '=' | '+=' | '-=');
    return { kind: 'mem', device: 'mem', request: '', memOp: { op, bytes }, files: [] };
  }
  const eq = spec.indexOf('=');
  if (eq <= 0) throw bad('DEVICE=CONFIG (ubdb=FILE, eth0=TRANSPORT,..., con2=pts, mem=SIZE)', spec, 'umux help config lists the forms');
  const device = spec.slice(0, eq);
  const value = spec.slice(eq + 1);
  if (device.startsWith('ubd')) return planDisk(device, value);
  if (device.startsWith('eth')) return planEth(device, value);
  if (device.startsWith('con') || device.startsWith('ssl')) return planChannel(device, value);
  throw bad('a ubd, eth, con, ssl or mem device', device, 'e.g. ubdb=/srv/disk.img, eth0=mcast, con2=pts, mem=256M');
}

function planDisk(device: string, value: string): HotplugPlan {
  const m = /^ubd([a-z]|\d+)([rsdc]*)$/.exec(device);
  if (!m) throw bad('ubd<letter or number><flags r, s, d, c>', device, 'as in ubdb, ubdbr (read-only), ubd3s (synchronous)');
  const index = /^\d+$/.test(m[1]!) ? Number(m[1]) : m[1]!.charCodeAt(0) - 97;
  if (index >= MAX_DISKS) throw bad(`a disk number below ${MAX_DISKS} (ubda..ubdp)`, device, 'UML 6.1 has 16 ubd devices');
  const flags = m[2]!;
  if (new Set(flags).size !== flags.length) throw bad('each flag once', flags, 'flags: r read-only, s synchronous, d data only (never COW), c shared (cluster)');
  const parts = value.split(/[,:]/);
  if (value === '' || parts.length > 2 || parts.some((p) => p === '')) {
    throw bad('FILE or COW,BACKING', value, 'one image, or a COW file and its backing file separated by a comma');
  }
  for (const p of parts) {
    if (!p.startsWith('/')) throw bad('an absolute file name', p, `UML resolves names against its own directory: use ${'$'}PWD/${p}`);
  }
  if (parts.length === 2 && flags.includes('d')) throw bad('no COW pair with the d (data only) flag', value, 'drop d, or give one file');
  const files: HotplugFile[] =
    parts.length === 2
      ? [
          { path: parts[0]!, role: 'cow', mayCreate: true },
          { path: parts[1]!, role: 'backing', mayCreate: false },
        ]
      : [{ path: parts[0]!, role: 'image', mayCreate: false }];
  const name = `ubd${m[1]}`;
  return {
    kind: 'ubd',
    device: name,
    request: `config ${device}=${parts.join(',')}`,
    files,
    ...(flags.includes('c') ? { warning: 'flag c shares the disk writable with something else: only safe with a cluster filesystem' } : {}),
  };
}

function planEth(device: string, value: string): HotplugPlan {
  if (!/^eth\d+$/.test(device)) throw bad('eth<number>', device, 'as in eth0');
  const fields = value.split(',');
  const transport = fields[0]!;
  const t = ETH_TRANSPORTS[transport];
  if (!t) throw bad(`a transport (${Object.keys(ETH_TRANSPORTS).join(', ')})`, transport, 'as in eth1=mcast or eth0=tuntap,tap0');
  const args = fields.slice(1);
  const max = transport === 'slirp' || transport === 'pcap' ? Infinity : t.fields.length;
  if (args.length > max) throw bad(`at most ${max} fields after ${transport} (${t.fields.join(', ')})`, value, 'fields are separated by commas; leave one empty for its default');
  for (let i = 0; i < t.required; i++) {
    if (!args[i]) throw bad(`${transport}'s ${t.fields[i]}`, value, `${transport},${t.fields.map((f) => `<${f}>`).join(',')}`);
  }
  const field = (name: string) => args[t.fields.indexOf(name)];
  const mac = field('MAC');
  if (mac && !isMac(mac)) throw bad('a MAC address like fe:fd:0a:00:00:02', mac, 'six hex pairs separated by colons');
  for (const name of ['host IP', 'multicast IP']) {
    const ip = field(name);
    if (ip && !isIpv4(ip)) throw bad(`an IPv4 address for the ${name}`, ip, 'as in 192.168.0.254');
  }
  const port = field('port');
  if (port && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) throw bad('a port 1..65535', port, 'mcast defaults to 1102');
  const ttl = field('TTL');
  if (ttl && !(/^\d+$/.test(ttl) && Number(ttl) <= 255)) throw bad('a TTL 0..255', ttl, 'mcast defaults to 1 (this host only)');
  const type = field('socket type (unix)');
  if (type && type !== 'unix') throw bad('unix as the daemon socket type', type, 'eth0=daemon,,unix,/var/run/uml-utilities/uml_switch.ctl');
  if (transport === 'pcap') {
    for (const flag of args.slice(2)) {
      if (!['promisc', 'nopromisc', 'optimize', 'nooptimize'].includes(flag)) throw bad('pcap flags promisc, nopromisc, optimize or nooptimize', flag, '');
    }
  }
  return { kind: 'eth', device, request: `config ${device}=${value}`, files: transport === 'daemon' ? [daemonControl(field('control socket'))] : [] };
}

/** UML's daemon transport connects to this control socket when none is given (arch/um/drivers/daemon_kern.c). */
export const DAEMON_DEFAULT_CONTROL = '/tmp/uml.ctl';

/** The daemon transport's control socket (uml_switch's), which must exist before UML connects to it. */
function daemonControl(control: string | undefined): HotplugFile {
  const file = control || DAEMON_DEFAULT_CONTROL;
  if (!file.startsWith('/')) throw bad('an absolute control socket path', file, 'as in eth0=daemon,,unix,/var/run/uml-utilities/uml_switch.ctl');
  return { path: file, role: 'socket', mayCreate: false };
}

function planChannel(device: string, value: string): HotplugPlan {
  const m = /^(con|ssl)(\d+)$/.exec(device);
  const kind = (m?.[1] ?? 'con') as 'con' | 'ssl';
  const max = kind === 'con' ? MAX_CON : MAX_SSL;
  if (!m || Number(m[2]) > max) throw bad(`${kind}0..${kind}${max}`, device, `UML 6.1 has con0..con${MAX_CON} and ssl0..ssl${MAX_SSL}`);
  let config;
  try {
    config = parseChannelConfig(value);
  } catch {
    throw bad('a channel: pts, pty:DEV, tty:DEV, port:N, fd:N, xterm, null or none', value, `${device}=pts gives a host pty umux can attach to`);
  }
  const ends = [config.input, config.output];
  const files: HotplugFile[] = ends.flatMap((e) => (e.kind === 'tty' ? [{ path: e.path, role: 'tty' as const, mayCreate: false }] : []));
  let warning: string | undefined;
  const port = ends.find((e) => e.kind === 'port');
  if (port?.kind === 'port') {
    warning = `port:${port.port} makes UML listen on 0.0.0.0:${port.port}, every interface: anyone who reaches this host can type on ${device} (and it needs in.telnetd)`;
  } else if (ends.some((e) => e.kind === 'xterm')) warning = 'xterm needs an X display on the host';
  return { kind, device, request: `config ${device}=${value}`, files: [...new Map(files.map((f) => [f.path, f])).values()], ...(warning ? { warning } : {}) };
}

/** Checks `remove DEVICE`; mem cannot be removed. */
export function planRemove(device: string): { kind: HotplugKind; device: string; request: string } {
  if (device === 'mem') throw bad('a ubd, eth, con or ssl device', 'mem', 'memory can shrink (config NAME mem-=SIZE) but not be removed');
  const m = /^(ubd|eth|con|ssl)([a-z]|\d+)$/.exec(device);
  if (!m || (m[1] !== 'ubd' && !/^\d+$/.test(m[2]!))) throw bad('a device like ubdb, eth0, con2 or ssl1', device, 'without flags or =');
  return { kind: m[1] as HotplugKind, device, request: `remove ${device}` };
}

/** Memory a guest keeps available after an unplug, at least: below this its processes start to get killed. */
export const MEM_FLOOR = 16 * 2 ** 20;

export interface MemView {
  /** The size the guest booted with: its mem= (MemTotal is less: the kernel's own memory is not counted there). */
  boot: number;
  /** The guest's MemAvailable. */
  available: number;
  /** What umux has unplugged so far (UML cannot be asked). */
  unplugged: number;
}

/**
 * UML 6.1 takes relative changes only (`config mem=-64M`, `config mem=+64M`): turns mem-=, mem+= and mem= (the size
 * wanted: the difference from the boot size less what umux unplugged) into one, refusing what would starve the
 * guest or exceed its boot size. delta 0 means there is nothing to send.
 */
export function memRequest(op: NonNullable<HotplugPlan['memOp']>, view: MemView): { request: string; delta: number } {
  const current = view.boot - view.unplugged;
  const delta = op.op === '+=' ? op.bytes : op.op === '-=' ? -op.bytes : op.bytes - current;
  const mib = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;
  if (current + delta > view.boot) {
    throw new UsageError(`hot-plug: expected at most the boot size ${mib(view.boot)} of memory, got a request for ${mib(current + delta)}`, {
      hint: `a UML guest can never have more memory than it booted with (it has ${mib(current)} now): boot it larger and unplug the rest`,
    });
  }
  if (delta < 0 && view.available + delta < MEM_FLOOR) {
    const most = Math.max(0, view.available - MEM_FLOOR);
    throw new UsageError(`hot-plug: unplugging ${mib(-delta)} would leave the guest ${mib(Math.max(0, view.available + delta))} available (it has ${mib(view.available)})`, {
      hint: `at most ${mib(most)} can go while keeping ${mib(MEM_FLOOR)}; free memory in the guest first`,
    });
  }
  const kib = Math.floor(Math.abs(delta) / 4096) * 4;
  return { request: kib === 0 ? '' : `config mem=${delta > 0 ? '+' : '-'}${kib}K`, delta: kib === 0 ? 0 : Math.sign(delta) * kib * 1024 };
}

/** When UML refuses a device as busy (seed 004 Table 8.1 "Busy When"), and what to do about it. */
export function busyRule(kind: HotplugKind, device: string): string {
  switch (kind) {
    case 'ubd':
      return `${device} is busy while it is open in the guest in any way, mounted included: umount it (and swapoff) inside the guest first`;
    case 'eth':
      return `${device} is busy while the interface is up: run "ip link set ${device} down" (or ifconfig ${device} down) in the guest first`;
    case 'con':
    case 'ssl':
      return `${device} is busy while a process in the guest has it open (a getty or shell): stop that process first`;
    case 'mem':
      return 'memory can be unplugged (mem-=) and plugged back (mem+=), never removed completely, never above the boot size';
  }
}
