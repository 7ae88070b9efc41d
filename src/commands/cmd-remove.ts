// umux remove NAME DEVICE: hot-unplug through MConsole; the kernel refuses while the guest uses the device.
import { GUEST, guestCommand, targetGuest, yesOption } from './common.js';

export const removeCommand = guestCommand({
  name: 'remove',
  summary: 'Unplug a device from a running guest (ubd, eth, con/ssl); refused while the guest uses it',
  usage: `${GUEST} DEVICE`,
  minArgs: 2,
  maxArgs: 2,
  options: [yesOption],
  confirm: ([g, dev]) => `remove ${dev} from ${g}? Anything in the guest still using it loses it.`,
  serve: (scope, call) => scope.unplug(targetGuest(call), call.parsed.args[1]!),
});
