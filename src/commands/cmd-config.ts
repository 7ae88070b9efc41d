// umux config NAME DEVICE=SPEC: hot-plug through MConsole, checked first (planConfig) and re-queried after.
import { planConfig } from '../protocol/hotplug.js';
import { GUEST, guestCommand, targetGuest, yesOption } from './common.js';

export const configCommand = guestCommand({
  name: 'config',
  summary: 'Hot-plug a device into a running guest (ubd disk, eth, con/ssl console, mem), checked first and re-queried',
  usage: `${GUEST} DEVICE=SPEC`,
  minArgs: 2,
  maxArgs: 2,
  options: [yesOption],
  confirm: ([, spec]) => {
    try {
      return planConfig(spec ?? '').warning?.concat('. Go ahead?');
    } catch {
      return undefined; // the server explains the mistake
    }
  },
  details: [
    'ubdb=/abs/disk.img  ubdbr=... read-only  ubdb=/abs/cow,/abs/backing  (flags r s d c)',
    'eth0=mcast  eth0=tuntap,tap0  eth1=daemon,,unix,/var/run/uml-utilities/uml_switch.ctl  (tuntap ethertap daemon mcast slip slirp pcap)',
    'con2=pts  ssl1=pts  con3=tty:/dev/tty5  ssl2=port:9000 (listens on every interface: asks first)',
    'mem=48M sets the size (at most the mem= it booted with)  mem-=16M or mem=-16M unplugs  mem+=16M or mem=+16M plugs back',
    '  (UML 6.1 takes only mem=-SIZE and mem=+SIZE: umux computes them from the boot size and what it unplugged)',
    'Relative file names are made absolute against the working directory of the command (as umux mconsole does).',
    'After the request umux asks config DEVICE again and shows the answer.',
  ],
  serve: (scope, call) => scope.hotplug(targetGuest(call), call.parsed.args[1]!),
});
